package main

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Figure 3 settings.
const (
	rateDuration = 5 * time.Second // how long events are generated
	rateDrain    = 10 * time.Second
	rateClients  = 10
	rateTarget   = 5000.0 // events/s
)

// runRate is figure 3: the agent is on a call and writers REST writers
// change its call data on the simulator as fast as it accepts, for
// rateDuration; each change is one Dialog notification and one bridge event.
// The figure is the rate at which every one of rateClients toolbars had
// every event (sequence numbers continuous, none cut off).
func runRate(ctx context.Context, c *chain, writers int) []Row {
	const name = "sustained event rate to 10 clients, none behind"
	id, err := c.answeredCall(ctx)
	if err != nil {
		return []Row{failRow(3, name, err)}
	}
	tbs, err := c.dial(ctx, rateClients)
	if err != nil {
		return []Row{failRow(3, name, err)}
	}
	defer closeAll(tbs)
	startSeq := c.sess.Snapshot().Seq
	lastAt := make([]atomic.Int64, len(tbs)) // unix ns of each toolbar's latest event
	for i, tb := range tbs {
		tb.light.Store(true)
		tb.SetOnEvent(func(ev Event) { lastAt[i].Store(ev.At.UnixNano()) })
	}
	start := time.Now()
	sent, err := generateCallData(ctx, newDirectClient(c.sim, chainAgent, writers), id, writers)
	genEnd := time.Now()
	if err != nil {
		return []Row{failRow(3, name, err)}
	}
	if err := waitClientsAt(ctx, tbs, c, rateDrain); err != nil {
		return []Row{failRow(3, name, err)}
	}
	events := c.sess.Snapshot().Seq - startSeq
	end := latest(lastAt)
	r := float64(events) / end.Sub(start).Seconds()
	// Information only: the REST writers, not the app, set this rate; the
	// in-process publish row below is the one with the target.
	row := maxRow(3, name+", REST writers as the source", r, "events/s", 0, 0)
	offered, lag := float64(sent)/genEnd.Sub(start).Seconds(), end.Sub(genEnd)
	row.Note = fmt.Sprintf("%d events in %.2f s; the simulator accepted %.0f changes/s from %d REST writer(s); the slowest client ended %.1f ms after the last change",
		events, end.Sub(start).Seconds(), offered, writers, msf(lag))
	if lag < 100*time.Millisecond {
		row.Note += " (the source, not the app, is the limit here)"
	}
	if err := checkClients(tbs); err != nil {
		row.Status, row.Note = StatusMissed, err.Error()
	}
	pub := runPublishRate(ctx, c, id, tbs, lastAt)
	snap := c.sess.Snapshot()
	if len(snap.Dialogs) == 0 {
		return []Row{row, pub, failRow(3, "app fan-out stage", errNoDialog)}
	}
	return []Row{row, pub, runAppRate(ctx, snap.Agent, snap.Dialogs[0])}
}

// generateCallData runs the writers for rateDuration and returns how many
// changes the simulator accepted.
func generateCallData(ctx context.Context, d *directClient, dialogID string, writers int) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, rateDuration)
	defer cancel()
	var sent, next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for range writers {
		wg.Go(func() {
			for ctx.Err() == nil {
				v := "v" + strconv.FormatInt(next.Add(1), 10)
				if err := d.updateCallData(ctx, dialogID, v); err != nil {
					if ctx.Err() == nil {
						errs <- err
						cancel()
					}
					return
				}
				sent.Add(1)
			}
		})
	}
	wg.Wait()
	select {
	case err := <-errs:
		return sent.Load(), err
	default:
		return sent.Load(), nil
	}
}

// waitClientsAt waits until every toolbar has the session's latest event.
// The session's seq is re-read each time: the last changes may still be on
// their way from the simulator.
func waitClientsAt(ctx context.Context, tbs []*toolbar, c *chain, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	stable := 0
	for {
		want := c.sess.Snapshot().Seq
		behind, worst := 0, ""
		for i, tb := range tbs {
			if n, _, _, last, err := tb.Stats(); last < want {
				behind++
				worst = fmt.Sprintf("client %d at seq %d after %d events, connection error: %v", i, last, n, err)
			}
		}
		// Caught up, and the session has not moved for a few polls.
		if behind == 0 {
			if stable++; stable >= 20 {
				return nil
			}
		} else {
			stable = 0
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d of %d clients still behind seq %d after %v (%s)", behind, len(tbs), want, timeout, worst)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}

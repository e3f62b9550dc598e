package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// Offered rates of figure 3's whole chain with the simulator publishing in
// process (no REST in the source), each held for publishStep.
var publishRates = []int{2500, 5000, 7500, 10000, 15000}

const (
	publishStep  = 2 * time.Second
	publishDrain = 2 * time.Second // after a step, for every client to have its last event
)

// runPublishRate is figure 3's whole-chain rate with a source that is not
// the limit: the simulator changes the call's data from inside this process
// (finessesim.SetCallVariables, the same Dialog PUT over the same XMPP
// session as UPDATE_CALL_DATA) at each offered rate, and the figure is the
// highest rate at which every one of the chain's toolbars had every event,
// with every lower step held too. The clients stay connected across steps,
// so a gap or cut-off in any step fails that step and all after it.
func runPublishRate(ctx context.Context, c *chain, dialogID string, tbs []*toolbar, lastAt []atomic.Int64) Row {
	const name = "sustained event rate to 10 clients, none behind, simulator publishing in process"
	best, broken := 0.0, false
	var passed, failed []string
	for _, r := range publishRates {
		if broken {
			break
		}
		got, offered, err := publishStep1(ctx, c, dialogID, r, tbs, lastAt)
		switch {
		case err != nil:
		case offered < 0.95*float64(r):
			err = errors.New("this process could not offer 95 % of the rate (the machine is the limit, not the app)")
		case got < 0.95*float64(r):
			err = errors.New("delivered under 95 % of the rate")
		}
		if err != nil {
			failed = append(failed, fmt.Sprintf("%d/s (offered %.0f, delivered %.0f): %v", r, offered, got, err))
			broken = true
			continue
		}
		passed = append(passed, fmt.Sprintf("%d (%.0f delivered)", r, got))
		best = float64(r)
	}
	row := minRow(3, name, best, "events/s", 0, rateTarget)
	row.Note = fmt.Sprintf("highest offered rate held %v (and every lower one) from simulator to every client, seqs continuous; held %s/s",
		publishStep, strings.Join(passed, ", "))
	if len(passed) == 0 {
		row.Note = "no step held"
	}
	if len(failed) > 0 {
		row.Note += "; stopped at " + strings.Join(failed, "; ")
	}
	return row
}

// publishStep1 offers rate call-data changes per second for publishStep,
// waits for every client to have the last one, and returns the delivered
// rate (events / time from the first change to the last client's last
// event) and the rate actually offered.
func publishStep1(ctx context.Context, c *chain, dialogID string, rate int, tbs []*toolbar, lastAt []atomic.Int64) (delivered, offered float64, err error) {
	startSeq := c.sess.Snapshot().Seq
	start := time.Now()
	sent, err := paced(ctx, rate, publishStep, func(n int) error {
		return c.sim.SetCallVariables(dialogID, finessesim.Var{Name: "callVariable1", Value: "p" + strconv.Itoa(n)})
	})
	genEnd := time.Now()
	offered = float64(sent) / genEnd.Sub(start).Seconds()
	if err != nil {
		return 0, offered, err
	}
	// Every change is one Dialog event in the session: wait for all of
	// them (the link may still be decoding a backlog), then for the clients.
	want := startSeq + uint64(sent)
	err = c.waitSession(ctx, publishDrain, fmt.Sprintf("%d changes in the session", sent), func(s core.Snapshot) bool { return s.Seq >= want })
	if err != nil {
		return 0, offered, fmt.Errorf("%w (%d arrived)", err, c.sess.Snapshot().Seq-startSeq)
	}
	if err := waitClientsAt(ctx, tbs, c, publishDrain); err != nil {
		return 0, offered, err
	}
	if err := checkClients(tbs); err != nil {
		return 0, offered, err
	}
	events := c.sess.Snapshot().Seq - startSeq
	if int(events) < sent {
		return 0, offered, fmt.Errorf("%d changes published, %d bridge events", sent, events)
	}
	end := latest(lastAt)
	return float64(events) / end.Sub(start).Seconds(), offered, nil
}

// paced calls do about rate times a second for d, in batches every
// appRateTick; after a late tick it catches up by at most two batches (as
// feed does), so the source never bursts. It returns how many calls ran.
func paced(ctx context.Context, rate int, d time.Duration, do func(n int) error) (int, error) {
	tick := time.NewTicker(appRateTick)
	defer tick.Stop()
	perTick := max(1, rate*int(appRateTick)/int(time.Second))
	start := time.Now()
	sent := 0
	for time.Since(start) < d {
		if ctx.Err() != nil {
			return sent, ctx.Err()
		}
		due := int(time.Since(start).Seconds() * float64(rate))
		for n := 0; sent < due && n < 2*perTick; n++ {
			if err := do(sent); err != nil {
				return sent, err
			}
			sent++
		}
		<-tick.C
	}
	if sent == 0 {
		return 0, errors.New("nothing offered")
	}
	return sent, nil
}

// latest is the latest of the toolbars' last-event times.
func latest(lastAt []atomic.Int64) time.Time {
	var end time.Time
	for i := range lastAt {
		if t := time.Unix(0, lastAt[i].Load()); t.After(end) {
			end = t
		}
	}
	return end
}

package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/agentlink/agentlink/core"
)

// errClockSkew marks an event whose publication time is unusable.
var errClockSkew = errors.New("publication timed after delivery")

// fanoutTarget is figure 1's target: p99 within 1 ms at the sizes a
// desktop has (1 to 10 toolbars). 100 clients is reported for information.
// The span is timed from the simulator queuing the notification, which is
// before the app reads the XMPP stanza (it adds the simulator's TLS write
// and the socket), so the figure is an upper bound of stanza read to last
// frame.
const (
	fanoutTarget    = time.Millisecond
	fanoutTargetMax = 10 // clients; larger runs are information
)

// arrival is one toolbar having one AgentState event.
type arrival struct {
	state string
	at    time.Time
}

// publishClock records when the simulator published on one node. The
// hook's time is taken just after the simulator queued the notification.
type publishClock struct {
	mu      sync.Mutex
	node    string
	times   []time.Time   // guarded by mu: every publication on node, in order
	changed chan struct{} // guarded by mu: closed and replaced at each publication
}

func newPublishClock(node string) *publishClock {
	return &publishClock{node: node, changed: make(chan struct{})}
}

func (p *publishClock) hook(node string, at time.Time) {
	if node != p.node {
		return
	}
	p.mu.Lock()
	p.times = append(p.times, at)
	close(p.changed)
	p.changed = make(chan struct{})
	p.mu.Unlock()
}

func (p *publishClock) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.times)
}

// nth waits (briefly: the hook may run a moment after the delivery it
// times) for publication n (0-based) and returns its time.
func (p *publishClock) nth(n int) (time.Time, bool) {
	deadline := time.NewTimer(time.Second)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		if n < len(p.times) {
			t := p.times[n]
			p.mu.Unlock()
			return t, true
		}
		changed := p.changed
		p.mu.Unlock()
		select {
		case <-changed:
		case <-deadline.C:
			return time.Time{}, false
		}
	}
}

// runFanout is figure 1: for each client count, toggle the agent between
// READY and NOT_READY (one User notification each) and time from the
// simulator publishing it to the last toolbar having the AgentState event.
func runFanout(ctx context.Context, c *chain, events int) []Row {
	clock := newPublishClock(userNode(chainAgent.ID))
	c.sim.OnPublish(clock.hook)
	defer c.sim.OnPublish(nil)
	var rows []Row
	for _, n := range []int{1, 10, 100} {
		lat, skipped, err := fanoutOnce(ctx, c, clock, n, events)
		name := fmt.Sprintf("fan-out latency, %d clients", n)
		if err != nil {
			rows = append(rows, failRow(1, name, err))
			continue
		}
		s := Summarize(lat)
		limit := time.Duration(0)
		if n <= fanoutTargetMax {
			limit = fanoutTarget
		}
		rows = append(rows, durRow(1, name+", p50", s.P50, 0),
			durRow(1, name+", p99", s.P99, limit), durRow(1, name+", max", s.Max, 0))
		rows[len(rows)-1].Note = fmt.Sprintf("%d events timed", s.N)
		if skipped > 0 {
			rows[len(rows)-1].Note += fmt.Sprintf(", %d left out: simulator clock read after delivery", skipped)
		}
	}
	return rows
}

func fanoutOnce(ctx context.Context, c *chain, clock *publishClock, n, events int) (lat []time.Duration, skipped int, err error) {
	tbs, err := c.dial(ctx, n)
	if err != nil {
		return nil, 0, err
	}
	defer closeAll(tbs)
	arrivals := make(chan arrival, 4*n)
	for _, tb := range tbs {
		tb.SetOnEvent(func(ev Event) {
			if ev.Name == "AgentState" {
				arrivals <- arrival{state: ev.Data.State, at: ev.At}
			}
		})
	}
	lat = make([]time.Duration, 0, events)
	state := core.StateNotReady
	for range events {
		d, err := fanoutEvent(ctx, c, clock, arrivals, n, state)
		switch {
		case errors.Is(err, errClockSkew):
			skipped++
		case err != nil:
			return nil, 0, err
		default:
			lat = append(lat, d)
		}
		if state == core.StateNotReady {
			state = core.StateReady
		} else {
			state = core.StateNotReady
		}
	}
	return lat, skipped, checkClients(tbs)
}

// fanoutEvent changes the state once and waits for all n toolbars to have
// it. Latency is the last arrival minus the publication.
func fanoutEvent(ctx context.Context, c *chain, clock *publishClock, arrivals <-chan arrival, n int, st core.AgentState) (time.Duration, error) {
	cctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	seq := clock.count() // this change's publication is the next one
	errc := make(chan error, 1)
	go func() { errc <- c.sess.SetState(cctx, st, "") }()
	var last time.Time
	deadline := time.After(requestTimeout)
	for got := 0; got < n; {
		select {
		case a := <-arrivals:
			if a.state == string(st) {
				got++
				if a.at.After(last) {
					last = a.at
				}
			}
		case <-deadline:
			return 0, fmt.Errorf("only %d of %d clients got AgentState %s within %v", got, n, st, requestTimeout)
		}
	}
	if err := <-errc; err != nil {
		return 0, fmt.Errorf("set state %s: %w", st, err)
	}
	pub, ok := clock.nth(seq)
	if !ok {
		return 0, fmt.Errorf("no publication recorded for AgentState %s", st)
	}
	if pub.After(last) {
		// The simulator's goroutine was descheduled between queuing the
		// notification and reading the clock: its time is unusable.
		return 0, errClockSkew
	}
	return last.Sub(pub), nil
}

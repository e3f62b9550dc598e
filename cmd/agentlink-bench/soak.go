package main

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// Figure 6 settings.
const (
	soakClients   = 10
	soakMaxTime   = 6 * time.Minute // the whole soak stops here, whatever the count
	soakGrowthMax = 0.05
)

// dialogTracker is one toolbar's view of the calls: open dialogs, ended
// ones, and the agent's state, from the events alone.
type dialogTracker struct {
	mu    sync.Mutex
	open  map[string]bool // guarded by mu
	ended int             // guarded by mu
	twice int             // guarded by mu: DialogEnded for a dialog not open
}

func (t *dialogTracker) event(ev Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch ev.Name {
	case "Dialog":
		t.open[ev.Data.ID] = true
	case "DialogEnded":
		if !t.open[ev.Data.ID] {
			t.twice++
		}
		delete(t.open, ev.Data.ID)
		t.ended++
	}
}

func (t *dialogTracker) counts() (open, ended, twice int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.open), t.ended, t.twice
}

// soakSignal is what the driver learns from toolbar 0.
type soakSignal struct {
	name, id, agentState, state string
}

// footprint is a reading of this process for the flatness check.
type footprint struct {
	rss        int64
	goroutines int
}

func readFootprint() (footprint, error) {
	s, err := SampleProc(selfPID())
	return footprint{rss: s.RSS, goroutines: runtime.NumGoroutine()}, err
}

// runSoak is figure 6: calls calls, one after another, through the whole
// chain with soakClients toolbars: the simulator rings the agent, a toolbar
// (each in turn) answers through the bridge, the caller hangs up, the agent
// is READY again. RSS and goroutines of this process (simulator, app and
// toolbars alike) are read after a warm-up of a tenth of the calls and at
// the end.
func runSoak(ctx context.Context, c *chain, calls int) []Row {
	fail := func(err error) []Row { return []Row{failRow(6, "soak", err)} }
	tbs, err := c.dial(ctx, soakClients)
	if err != nil {
		return fail(err)
	}
	defer closeAll(tbs)
	trackers, signals := wireSoak(tbs)
	warmup := max(calls/10, 10)
	var before footprint
	start, deadline := time.Now(), time.Now().Add(soakMaxTime)
	done := 0
	for ; done < calls; done++ {
		if done == warmup {
			if before, err = readFootprint(); err != nil {
				return fail(err)
			}
		}
		if time.Now().After(deadline) {
			return fail(fmt.Errorf("stopped after %d of %d calls: over %v", done, calls, soakMaxTime))
		}
		if err := soakCall(ctx, c, tbs[done%len(tbs)], signals); err != nil {
			return fail(fmt.Errorf("call %d: %w", done+1, err))
		}
	}
	elapsed := time.Since(start)
	after, err := readFootprint()
	if err != nil {
		return fail(err)
	}
	if err := waitClientsAt(ctx, tbs, c, 10*time.Second); err != nil {
		return fail(err)
	}
	return soakRows(c, tbs, trackers, calls, elapsed, before, after)
}

// wireSoak gives every toolbar a dialog tracker, and has toolbar 0 signal
// the driver.
func wireSoak(tbs []*toolbar) ([]*dialogTracker, <-chan soakSignal) {
	trackers := make([]*dialogTracker, len(tbs))
	signals := make(chan soakSignal, 1024)
	for i, tb := range tbs {
		trackers[i] = &dialogTracker{open: map[string]bool{}}
		tb.SetOnEvent(func(ev Event) {
			trackers[i].event(ev)
			if i != 0 {
				return
			}
			// Never block the reader: a lost signal fails the call by its
			// timeout instead of stalling the toolbar.
			select {
			case signals <- soakSignal{name: ev.Name, id: ev.Data.ID, agentState: ev.Data.AgentState, state: ev.Data.State}:
			default:
			}
		})
	}
	return trackers, signals
}

// soakCall runs one call and returns when it has ended and the agent is
// READY again, as toolbar 0 saw it.
func soakCall(ctx context.Context, c *chain, tb *toolbar, signals <-chan soakSignal) error {
	id, err := c.sim.InjectCall(finessesim.CallSpec{AgentID: chainAgent.ID, ANI: "5550100", DNIS: "8000",
		Variables: []finessesim.Var{{Name: "callVariable1", Value: "soak"}}})
	if err != nil {
		return fmt.Errorf("inject: %w", err)
	}
	if err := waitSignal(signals, "ringing", func(s soakSignal) bool {
		return s.name == "Dialog" && s.id == id && s.agentState == "ALERTING"
	}); err != nil {
		return err
	}
	if _, err := tb.request(ctx, "Answer", map[string]string{"dialogId": id}); err != nil {
		return fmt.Errorf("answer %s: %w", id, err)
	}
	if err := c.sim.HangUp(id); err != nil {
		return fmt.Errorf("hang up %s: %w", id, err)
	}
	ended, ready := false, false
	return waitSignal(signals, "ended and READY", func(s soakSignal) bool {
		// The User and Dialog events of one step may come in either order.
		ended = ended || s.name == "DialogEnded" && s.id == id
		ready = ready || s.name == "AgentState" && s.state == "READY"
		return ended && ready
	})
}

// waitSignal reads signals until ok holds, for at most requestTimeout.
func waitSignal(signals <-chan soakSignal, what string, ok func(soakSignal) bool) error {
	deadline := time.After(requestTimeout)
	for {
		select {
		case s := <-signals:
			if ok(s) {
				return nil
			}
		case <-deadline:
			return fmt.Errorf("%s: not seen within %v", what, requestTimeout)
		}
	}
}

package core_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// fakeOutbox records what the session asks of its outbox.
type fakeOutbox struct {
	mu            sync.Mutex
	calls         []string // "live d1", "ended d1 pending", "wrapup d1 Sale", "settle"
	live, pending []core.CallSummary
	ended         []core.CallSummary
}

func (o *fakeOutbox) note(s string) { o.mu.Lock(); defer o.mu.Unlock(); o.calls = append(o.calls, s) }

func (o *fakeOutbox) Live(sum core.CallSummary) error { o.note("live " + sum.DialogID); return nil }
func (o *fakeOutbox) Ended(sum core.CallSummary, pending bool) error {
	o.mu.Lock()
	o.ended = append(o.ended, sum)
	o.mu.Unlock()
	if pending {
		o.note("ended " + sum.DialogID + " pending")
	} else {
		o.note("ended " + sum.DialogID)
	}
	return nil
}
func (o *fakeOutbox) WrapUp(id, reason string) error {
	o.note("wrapup " + id + " " + reason)
	return nil
}
func (o *fakeOutbox) Settle() error { o.note("settle"); return nil }
func (o *fakeOutbox) Recovered() (live, pending []core.CallSummary) {
	return o.live, o.pending
}

func (o *fakeOutbox) seen() []string { o.mu.Lock(); defer o.mu.Unlock(); return slices.Clone(o.calls) }

func agentNow(st core.AgentState) core.Update {
	return coretest.AgentUpdate(coretest.Agent(agentID, ext, st))
}

// TestOutboxPendingUntilWrapUpEnds: a call that ends while the agent is on
// it is pending (a reason may still come); wrap-up keeps it so; a reason
// chosen after Finesse removed the call is recorded; leaving wrap-up
// settles. A call that ends while the agent is idle is ready at once.
func TestOutboxPendingUntilWrapUpEnds(t *testing.T) {
	ob := &fakeOutbox{}
	f := newFixture(t, func(c *core.Config) { c.Outbox = ob })
	f.login()
	f.s.Apply(agentNow(core.StateTalking))
	f.s.Apply(coretest.DialogUpdate(active))
	f.s.Apply(coretest.Removed(active.ID))
	f.s.Apply(agentNow(core.StateWorkReady))
	if err := f.s.SetWrapUp(context.Background(), active.ID, "Sale"); err != nil {
		t.Fatal(err)
	}
	f.s.Apply(agentNow(core.StateReady))
	f.s.Apply(coretest.DialogUpdate(alerting))
	f.s.Apply(coretest.Removed(alerting.ID)) // missed while READY: nothing to wait for
	want := []string{"settle", "live d2", "ended d2 pending", "wrapup d2 Sale", "settle", "live d1", "ended d1"}
	// The first settle is the login (NOT_READY), the agent's first state.
	if got := ob.seen(); !slices.Equal(got, want) {
		t.Errorf("outbox calls = %q, want %q", got, want)
	}
}

// TestOutboxRecoversCallsEndedWhileAway: calls an earlier run left live are
// checked on the first resync after sign-in: one Finesse no longer lists
// ended while the app was away (DialogEnded marked Away, with the earlier
// start and answer times); one still listed keeps its start time. A
// pending call the earlier run left can still get its wrap-up reason.
func TestOutboxRecoversCallsEndedWhileAway(t *testing.T) {
	c := newClock()
	started := c.Now().Add(-10 * time.Minute)
	gone := core.CallSummary{DialogID: "gone", CallType: "ACD_IN", From: caller, Started: started, Answered: started.Add(time.Minute)}
	still := core.CallSummary{DialogID: active.ID, Started: started}
	wrapping := core.CallSummary{DialogID: "w", CallType: "ACD_IN", Started: started, Ended: started.Add(time.Minute)}
	ob := &fakeOutbox{live: []core.CallSummary{gone, still}, pending: []core.CallSummary{wrapping}}
	f := newFixture(t, func(cfg *core.Config) { cfg.Outbox = ob })
	w := f.s.Watch(core.WatchOptions{})
	defer w.Close()
	a := coretest.Agent(agentID, ext, core.StateWorkReady)
	f.s.Apply(core.Update{Kind: core.UpdateResync, Agent: &a, Dialogs: []core.Dialog{active}})

	var endedEv *core.CallSummary
	for _, ev := range drain(w) {
		if ev.Kind == core.EventDialogEnded {
			endedEv = ev.Ended
		}
	}
	if endedEv == nil || endedEv.DialogID != "gone" || !endedEv.Away || !endedEv.Started.Equal(gone.Started) ||
		!endedEv.Answered.Equal(gone.Answered) || !endedEv.Ended.Equal(f.clock.Now()) {
		t.Fatalf("DialogEnded = %+v, want the call gone while away", endedEv)
	}
	if ob.ended[0].DialogID != "gone" || !ob.ended[0].Away {
		t.Errorf("outbox Ended = %+v", ob.ended)
	}
	if got := slices.Index(ob.seen(), "ended gone pending"); got < 0 {
		t.Errorf("the call gone while away, with the agent in wrap-up, is not pending: %q", ob.seen())
	}
	// The listed call keeps the earlier run's start time.
	f.s.Apply(coretest.Removed(active.ID))
	if last := ob.ended[len(ob.ended)-1]; last.DialogID != active.ID || !last.Started.Equal(started) {
		t.Errorf("the call still listed ended with %+v, want started %v", last, started)
	}
	if err := f.s.SetWrapUp(context.Background(), "w", "Sale"); err != nil {
		t.Errorf("SetWrapUp for the pending call of the earlier run: %v", err)
	}
	if !slices.Contains(ob.seen(), "wrapup w Sale") {
		t.Errorf("outbox calls %q lack the reason for w", ob.seen())
	}
}

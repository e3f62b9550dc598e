package core_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

func TestEventSequence(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	w := f.s.Watch(core.WatchOptions{})
	defer w.Close()
	sys := core.System{Status: core.InService, Node: core.NodeA, Host: "fin-a", XMPPConnected: true}
	agent := coretest.Agent(agentID, ext, core.StateReady)
	updates := []core.Update{
		{Kind: core.UpdateSystem, System: &sys},
		{Kind: core.UpdateSystem, System: &sys}, // unchanged: no event
		coretest.AgentUpdate(agent),
		coretest.AgentUpdate(agent), // unchanged
		func() core.Update { // same instant in another zone: unchanged
			a := agent
			a.Since = a.Since.In(time.FixedZone("X", 3600))
			return coretest.AgentUpdate(a)
		}(),
		coretest.DialogUpdate(alerting),
		coretest.DialogUpdate(alerting), // unchanged
		coretest.DialogUpdate(with(alerting, core.PartActive, core.ActionHold, core.ActionDrop)),
		{Kind: core.UpdateError, DialogID: "d1", Err: &core.FinesseError{Type: "Generic Error"}},
		coretest.Removed("d1"),
		coretest.Removed("d1"), // already gone: no event
	}
	for _, u := range updates {
		f.s.Apply(u)
	}
	evs := drain(w)
	wantKinds := []core.EventKind{core.EventSystem, core.EventAgent, core.EventDialog, core.EventDialog,
		core.EventError, core.EventDialogEnded}
	if diff := cmp.Diff(wantKinds, kinds(evs)); diff != "" {
		t.Fatalf("event kinds mismatch (-want +got):\n%s", diff)
	}
	for i, ev := range evs {
		if ev.Seq != uint64(i+1) {
			t.Errorf("event %d has Seq %d, want %d", i, ev.Seq, i+1)
		}
	}
	if got := evs[3].Dialog; got.AgentState != core.PartActive || !got.Allows(core.ActionHold) {
		t.Errorf("dialog event agent view = %v %v, want ACTIVE with HOLD", got.AgentState, got.Actions)
	}
	if got := evs[4].Err.DialogID; got != "d1" {
		t.Errorf("error event dialog = %q, want d1", got)
	}
	if got := f.s.Snapshot(); got.Seq != 6 || len(got.Dialogs) != 0 {
		t.Errorf("snapshot Seq=%d dialogs=%d, want 6 and 0", got.Seq, len(got.Dialogs))
	}
}

func TestMalformedUpdatesIgnored(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.login()
	before := f.s.Snapshot()
	for _, u := range []core.Update{
		{},
		{Kind: 99},
		{Kind: core.UpdateAgent},
		{Kind: core.UpdateDialog},
		{Kind: core.UpdateDialog, Dialog: &core.Dialog{}},
		{Kind: core.UpdateDialogRemoved},
		{Kind: core.UpdateSystem},
		{Kind: core.UpdateError},
		{Kind: core.UpdateResync, Dialogs: []core.Dialog{{}}},
	} {
		f.s.Apply(u)
	}
	if diff := cmp.Diff(before, f.s.Snapshot()); diff != "" {
		t.Errorf("snapshot changed (-before +after):\n%s", diff)
	}
}

func TestAgentView(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.login()
	// The agent is the second participant here; the first is the caller.
	d := alerting
	d.Participants = []core.Participant{d.Participants[1], d.Participants[0]}
	f.s.Apply(coretest.DialogUpdate(d))
	got := f.s.Snapshot().Dialogs[0]
	if got.AgentState != core.PartAlerting || !cmp.Equal(got.Actions, []core.Action{core.ActionAnswer}) {
		t.Errorf("agent view = %v %v, want ALERTING [ANSWER]", got.AgentState, got.Actions)
	}
	// The agent moves to another extension: the view follows.
	f.s.Apply(coretest.AgentUpdate(coretest.Agent(agentID, "5099", core.StateNotReady)))
	got = f.s.Snapshot().Dialogs[0]
	if got.AgentState != "" || len(got.Actions) != 0 {
		t.Errorf("agent view on another extension = %v %v, want none", got.AgentState, got.Actions)
	}
}

func TestSnapshotIsACopy(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.login()
	d := with(active, core.PartActive, core.ActionHold) // a private copy to scribble on
	f.s.Apply(coretest.DialogUpdate(d))
	d.Participants[0].State = core.PartDropped // the caller's value must not leak in
	d.Participants[0].Actions[0] = "MESSED"
	snap := f.s.Snapshot()
	snap.Dialogs[0].Participants[0].Actions[0] = "MESSED"
	snap.Dialogs[0].Actions[0] = "MESSED"
	got := f.s.Snapshot().Dialogs[0]
	if got.AgentState != core.PartActive || got.Actions[0] != core.ActionHold ||
		got.Participants[0].Actions[0] != core.ActionHold {
		t.Errorf("model changed through a copy: %+v", got)
	}
}

func TestResync(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.login()
	for _, d := range []core.Dialog{alerting, active, held} {
		f.s.Apply(coretest.DialogUpdate(d))
	}
	w := f.s.Watch(core.WatchOptions{})
	defer w.Close()
	agent := coretest.Agent(agentID, ext, core.StateNotReady)
	newCall := coretest.Dialog("d7", ext, "5005", core.PartAlerting, core.ActionAnswer)
	changed := with(held, core.PartActive, core.ActionHold)
	// d1 ended while the link was down, d2 is unchanged (listed twice),
	// d3 was retrieved and d7 is new.
	f.s.Apply(core.Update{Kind: core.UpdateResync, Agent: &agent,
		Dialogs: []core.Dialog{active, changed, newCall, active}})
	evs := drain(w)
	want := []core.EventKind{core.EventDialogEnded, core.EventDialog, core.EventDialog}
	if diff := cmp.Diff(want, kinds(evs)); diff != "" {
		t.Fatalf("resync events mismatch (-want +got):\n%s", diff)
	}
	if evs[0].Ended.DialogID != "d1" || evs[1].Dialog.ID != "d3" || evs[2].Dialog.ID != "d7" {
		t.Errorf("resync events for %s, %s, %s; want d1, d3, d7", evs[0].Ended.DialogID, evs[1].Dialog.ID, evs[2].Dialog.ID)
	}
	var ids []string
	for _, d := range f.s.Snapshot().Dialogs {
		ids = append(ids, d.ID)
	}
	if diff := cmp.Diff([]string{"d2", "d3", "d7"}, ids); diff != "" {
		t.Errorf("dialogs after resync (-want +got):\n%s", diff)
	}
	// The same resync again changes nothing.
	f.s.Apply(core.Update{Kind: core.UpdateResync, Agent: &agent, Dialogs: []core.Dialog{active, changed, newCall}})
	if evs := drain(w); len(evs) != 0 {
		t.Errorf("repeated resync published %v, want nothing", kinds(evs))
	}
}

func TestCallSummary(t *testing.T) {
	t.Parallel()
	answered := with(alerting, core.PartActive, core.ActionDrop)
	answered.Variables = []core.CallVariable{{Name: "callVariable1", Value: "acct-42"}}
	wrapped := with(answered, core.PartWrapUp, core.ActionUpdateCallData)
	wrapped.WrapUpReason = "Sale"
	tests := []struct {
		name     string
		steps    []core.Update // applied one minute apart
		answered bool          // Answered set at the second step
		wrapUp   string
	}{
		{"answered, bare delete", []core.Update{coretest.DialogUpdate(alerting),
			coretest.DialogUpdate(answered), coretest.DialogUpdate(wrapped), coretest.Removed("d1")}, true, "Sale"},
		{"answered, final form", []core.Update{coretest.DialogUpdate(alerting),
			coretest.DialogUpdate(answered), {Kind: core.UpdateDialogRemoved, Dialog: &wrapped}}, true, "Sale"},
		{"never answered", []core.Update{coretest.DialogUpdate(alerting),
			coretest.DialogUpdate(with(alerting, core.PartDropped)), coretest.Removed("d1")}, false, ""},
		{"ended by resync", []core.Update{coretest.DialogUpdate(alerting),
			coretest.DialogUpdate(answered), {Kind: core.UpdateResync}}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, nil)
			f.login()
			w := f.s.Watch(core.WatchOptions{})
			defer w.Close()
			t0 := f.clock.Now()
			for i, u := range tt.steps {
				if i > 0 {
					f.clock.Advance(time.Minute)
				}
				f.s.Apply(u)
			}
			evs := drain(w)
			last := evs[len(evs)-1]
			if last.Kind != core.EventDialogEnded {
				t.Fatalf("last event %v, want DialogEnded", last.Kind)
			}
			want := core.CallSummary{DialogID: "d1", CallType: "ACD_IN", From: caller, To: ext,
				Started: t0, Ended: f.clock.Now(), WrapUpReason: tt.wrapUp}
			if tt.answered {
				want.Answered = t0.Add(time.Minute)
				want.Variables = answered.Variables
			}
			if diff := cmp.Diff(want, *last.Ended); diff != "" {
				t.Errorf("summary mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUpdateKindString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		k    core.UpdateKind
		want string
	}{
		{core.UpdateAgent, "Agent"}, {core.UpdateDialog, "Dialog"}, {core.UpdateDialogRemoved, "DialogRemoved"},
		{core.UpdateSystem, "System"}, {core.UpdateError, "Error"}, {core.UpdateResync, "Resync"}, {0, "Unknown"},
	}
	for _, tt := range tests {
		if got := tt.k.String(); got != tt.want {
			t.Errorf("UpdateKind(%d).String() = %q, want %q", int(tt.k), got, tt.want)
		}
	}
}

func TestInitialState(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	snap := f.s.Snapshot()
	if snap.Seq != 0 || snap.System.Status != core.OutOfService || snap.System.Reason == "" ||
		snap.Agent.LoggedIn() || len(snap.Dialogs) != 0 {
		t.Errorf("initial snapshot = %+v, want seq 0, out of service with a reason, signed out, no dialogs", snap)
	}
}

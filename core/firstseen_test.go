package core_test

import (
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// TestDialogTimesSurviveHold: published dialogs carry when the session
// first saw the call and when the agent answered, unchanged by hold, so a
// toolbar's call timer does not restart (issue 9, toolbar parity).
func TestDialogTimesSurviveHold(t *testing.T) {
	f := newFixture(t, nil)
	f.login()
	w := f.s.Watch(core.WatchOptions{})
	defer w.Close()
	drain(w)
	t0 := f.clock.Now()
	f.s.Apply(coretest.DialogUpdate(coretest.Dialog("d1", ext, caller, core.PartAlerting, core.ActionAnswer)))
	t1 := f.clock.Advance(3 * time.Second)
	f.s.Apply(coretest.DialogUpdate(coretest.Dialog("d1", ext, caller, core.PartActive, core.ActionHold)))
	f.clock.Advance(40 * time.Second)
	f.s.Apply(coretest.DialogUpdate(coretest.Dialog("d1", ext, caller, core.PartHeld, core.ActionRetrieve)))
	var last *core.Dialog
	for _, ev := range drain(w) {
		if ev.Kind == core.EventDialog {
			last = ev.Dialog
		}
	}
	if last == nil || last.AgentState != core.PartHeld || !last.FirstSeen.Equal(t0) || !last.Answered.Equal(t1) {
		t.Fatalf("held dialog = %+v, want first seen %v and answered %v", last, t0, t1)
	}
	snap := f.s.Snapshot()
	if d := snap.Dialogs[0]; !d.FirstSeen.Equal(t0) || !d.Answered.Equal(t1) {
		t.Errorf("snapshot dialog times = %v / %v, want %v / %v", d.FirstSeen, d.Answered, t0, t1)
	}
}

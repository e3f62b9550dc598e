package core_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// mirror rebuilds the session state from events alone, as a watcher would.
type mirror struct {
	snap core.Snapshot
}

func (m *mirror) apply(t *testing.T, ev core.Event) {
	t.Helper()
	if ev.Seq != m.snap.Seq+1 {
		t.Fatalf("event Seq %d after %d: gap or repeat", ev.Seq, m.snap.Seq)
	}
	m.snap.Seq = ev.Seq
	i := -1
	if ev.Dialog != nil {
		i = slices.IndexFunc(m.snap.Dialogs, func(d core.Dialog) bool { return d.ID == ev.Dialog.ID })
	}
	switch ev.Kind {
	case core.EventSystem:
		m.snap.System = *ev.System
	case core.EventAgent:
		m.snap.Agent = *ev.Agent
	case core.EventDialog:
		if i < 0 {
			m.snap.Dialogs = append(m.snap.Dialogs, *ev.Dialog)
		} else {
			m.snap.Dialogs[i] = *ev.Dialog
		}
	case core.EventDialogEnded:
		if i < 0 {
			t.Fatalf("DialogEnded for %s, which was never published (phantom)", ev.Dialog.ID)
		}
		m.snap.Dialogs = slices.Delete(m.snap.Dialogs, i, i+1)
	}
}

// updateFrom turns two bytes into an update over a small set of dialogs and
// states, so that sequences revisit the same dialogs often.
func updateFrom(op, arg byte) core.Update {
	id := fmt.Sprintf("d%d", arg%4)
	states := []core.ParticipantState{core.PartAlerting, core.PartActive, core.PartHeld, core.PartWrapUp, core.PartDropped}
	d := coretest.Dialog(id, ext, caller, states[int(arg/4)%len(states)], core.ActionDrop)
	switch op % 7 {
	case 0:
		return agentWithReason(int(arg % 3))
	case 1, 2:
		return coretest.DialogUpdate(d)
	case 3:
		return coretest.Removed(id)
	case 4:
		sys := core.System{Status: core.InService, Node: core.NodeA, XMPPConnected: arg%2 == 0}
		return core.Update{Kind: core.UpdateSystem, System: &sys}
	case 5:
		var ds []core.Dialog
		for k := range 4 {
			if arg&(1<<k) != 0 {
				ds = append(ds, coretest.Dialog(fmt.Sprintf("d%d", k), ext, caller, states[int(arg>>4)%len(states)]))
			}
		}
		a := coretest.Agent(agentID, ext, core.StateTalking)
		return core.Update{Kind: core.UpdateResync, Agent: &a, Dialogs: ds}
	}
	return core.Update{Kind: core.UpdateError, DialogID: id, Err: &core.FinesseError{Type: "Generic Error"}}
}

func checkSequence(t *testing.T, data []byte) {
	f := newFixture(t, func(c *core.Config) { c.WatchBuffer = len(data) + 8 })
	w := f.s.Watch(core.WatchOptions{})
	defer w.Close()
	m := &mirror{snap: w.Snapshot()}
	for i := 0; i+1 < len(data); i += 2 {
		f.s.Apply(updateFrom(data[i], data[i+1]))
	}
	for _, ev := range drain(w) {
		m.apply(t, ev)
	}
	got := f.s.Snapshot()
	if diff := cmp.Diff(got, m.snap, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("state rebuilt from events differs from the snapshot (-snapshot +rebuilt):\n%s", diff)
	}
	seen := map[string]bool{}
	for _, d := range got.Dialogs {
		if seen[d.ID] {
			t.Fatalf("dialog %s twice in the snapshot", d.ID)
		}
		seen[d.ID] = true
	}
}

// FuzzApply applies arbitrary update sequences: events must number without
// gaps, never end a dialog that was not published, and rebuild exactly the
// session's snapshot.
func FuzzApply(f *testing.F) {
	f.Add([]byte{1, 0, 1, 4, 3, 0})
	f.Add([]byte{1, 1, 2, 2, 5, 0x13, 5, 0x13, 3, 1})
	f.Add([]byte{0, 1, 4, 0, 6, 2, 5, 0xff, 5, 0})
	f.Fuzz(checkSequence)
}

// TestApplyRandomSequences runs many pseudo-random sequences without -fuzz.
func TestApplyRandomSequences(t *testing.T) {
	t.Parallel()
	x := uint32(2463534242)
	for n := range 300 {
		data := make([]byte, 2+n%120)
		for i := range data {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			data[i] = byte(x)
		}
		t.Run(fmt.Sprint(n), func(t *testing.T) { checkSequence(t, data) })
	}
}

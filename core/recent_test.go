package core_test

import (
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// The session lists the day's ended calls, newest first: an answered
// inbound call, a missed one and one the agent placed, each with the
// number to redial and its call data.
func TestRecentCalls(t *testing.T) {
	f := newFixture(t, nil)
	f.login()

	in := with(active, core.PartActive)
	in.Variables = []core.CallVariable{{Name: "callVariable1", Value: "Ada Lovelace"}}
	f.s.Apply(coretest.DialogUpdate(in))
	f.clock.Advance(time.Minute)
	f.s.Apply(coretest.Removed(in.ID))

	f.clock.Advance(time.Minute)
	f.s.Apply(coretest.DialogUpdate(alerting))
	f.s.Apply(coretest.Removed(alerting.ID))

	out := coretest.Dialog("d7", ext, "", core.PartActive)
	out.From, out.To, out.CallType = ext, "4085550100", "OUT"
	f.clock.Advance(time.Minute)
	f.s.Apply(coretest.DialogUpdate(out))
	f.s.Apply(coretest.Removed(out.ID))

	got := f.s.RecentCalls()
	want := []struct {
		id, number, name string
		dir              core.Direction
	}{
		{"d7", "4085550100", "", core.CallOut},
		{alerting.ID, caller, "", core.CallMissed},
		{in.ID, caller, "Ada Lovelace", core.CallIn},
	}
	if len(got) != len(want) {
		t.Fatalf("RecentCalls = %+v, want %d calls", got, len(want))
	}
	for i, w := range want {
		g := got[i]
		name := core.CallLayout{}.CallerName(core.Dialog{Variables: g.Variables}, "callVariable1")
		if g.DialogID != w.id || g.Number != w.number || name != w.name || g.Direction != w.dir {
			t.Errorf("RecentCalls[%d] = %+v, want %+v", i, g, w)
		}
	}

	// Tomorrow the list starts empty again.
	f.clock.Advance(24 * time.Hour)
	if got := f.s.RecentCalls(); len(got) != 0 {
		t.Errorf("RecentCalls the next day = %+v, want none", got)
	}
}

// A MemoryCallLog keeps only the newest Keep calls.
func TestMemoryCallLogBounded(t *testing.T) {
	m := &core.MemoryCallLog{Keep: 2}
	t0 := time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)
	for i, id := range []string{"a", "b", "c"} {
		m.Record(core.RecentCall{DialogID: id, Ended: t0.Add(time.Duration(i) * time.Minute)})
	}
	got := m.Recent(time.Time{})
	if len(got) != 2 || got[0].DialogID != "c" || got[1].DialogID != "b" {
		t.Errorf("Recent = %+v, want c, b", got)
	}
	if got := m.Recent(t0.Add(2 * time.Minute)); len(got) != 1 || got[0].DialogID != "c" {
		t.Errorf("Recent(since) = %+v, want c", got)
	}
}

// A session can be given its own CallLog (a durable store later).
func TestRecentCallsCustomLog(t *testing.T) {
	log := &core.MemoryCallLog{}
	f := newFixture(t, func(c *core.Config) { c.CallLog = log })
	f.login()
	f.s.Apply(coretest.DialogUpdate(active))
	f.s.Apply(coretest.Removed(active.ID))
	if got := log.Recent(time.Time{}); len(got) != 1 || got[0].DialogID != active.ID {
		t.Errorf("the configured CallLog has %+v, want %s", got, active.ID)
	}
}

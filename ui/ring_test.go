package ui

import (
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// TestRingRaisesWindowAndReportsMissedCall: a ringing call brings the
// window forward; when the caller hangs up before the agent answers, a
// "Missed call" notification goes out and the window says so until the
// next call rings.
func TestRingRaisesWindowAndReportsMissedCall(t *testing.T) {
	f := newFixture(t, fixtureOpts{raiseOnRing: true})
	f.signIn(core.StateReady)
	at := time.Date(2026, 5, 1, 10, 42, 0, 0, time.Local)
	var before int
	f.ui(func() { f.s.now = func() time.Time { return at }; before = f.s.raised })

	ringing := coretest.Dialog("d1", "5001", "0201234567", core.PartAlerting, core.ActionAnswer)
	f.sess.Apply(coretest.DialogUpdate(ringing))
	f.waitFor("the window raised for the ringing call", func() bool { return f.s.raised > before })

	f.sess.Apply(coretest.Removed("d1"))
	f.waitFor("missed call shown", func() bool {
		return f.s.phone.notice.Visible() && f.s.phone.notice.Text == "Missed call from 0201234567 at 10:42"
	})
	f.note.wait(t, "the missed-call notification", func(n *fakeNotifier) bool {
		return n.last().Title == "Missed call" && n.last().Body == "From 0201234567 at 10:42"
	})
	f.sess.Apply(coretest.DialogUpdate(coretest.Dialog("d2", "5001", "0207654321", core.PartAlerting, core.ActionAnswer)))
	f.waitFor("the notice cleared by the next call", func() bool { return !f.s.phone.notice.Visible() })
}

// TestAnsweredCallIsNotMissed and the window stays put with raise_on_ring off.
func TestAnsweredCallIsNotMissed(t *testing.T) {
	f := newFixture(t, fixtureOpts{answer: finesse})
	f.signIn(core.StateReady)
	var before int
	f.ui(func() { before = f.s.raised })
	f.sess.Apply(coretest.DialogUpdate(coretest.Dialog("d1", "5001", "0201234567", core.PartAlerting, core.ActionAnswer)))
	f.waitFor("Answer enabled", func() bool { c := f.card("d1"); return c != nil && !c.buttons[core.ActionAnswer].Disabled() })
	f.tapCall("d1", core.ActionAnswer)
	f.waitFor("answered", func() bool { return f.card("d1").d.AgentState == core.PartActive })
	f.sess.Apply(coretest.Removed("d1"))
	f.waitFor("call gone", func() bool { return f.card("d1") == nil })
	f.ui(func() {
		if f.s.notice != "" {
			t.Errorf("notice %q after an answered call", f.s.notice)
		}
		if f.s.raised != before {
			t.Error("window raised although raise_on_ring is off")
		}
	})
}

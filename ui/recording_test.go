package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// TestRecordButton: with recording on, the active call's card offers
// Record, which sends START_RECORDING for that call and then says so; a
// ringing call does not offer it.
func TestRecordButton(t *testing.T) {
	f := newFixture(t, fixtureOpts{answer: finesse, recording: true})
	f.signIn(core.StateTalking)
	f.sess.Apply(coretest.DialogUpdate(coretest.Dialog("d1", "5001", "0201234567", core.PartAlerting, core.ActionAnswer)))
	f.waitFor("card", func() bool { c := f.card("d1"); return c != nil && c.record != nil })
	f.ui(func() {
		if !f.card("d1").record.Disabled() {
			t.Error("Record enabled on a ringing call")
		}
	})
	f.sess.Apply(coretest.DialogUpdate(coretest.Dialog("d1", "5001", "0201234567", core.PartActive, core.ActionHold, core.ActionDrop)))
	f.waitFor("Record enabled", func() bool { return !f.card("d1").record.Disabled() })
	f.ui(func() { test.Tap(f.card("d1").record) })
	if got := f.sent(1); got.Kind != core.CmdStartRecording || got.DialogID != "d1" {
		t.Fatalf("sent %+v, want StartRecording on d1", got)
	}
	f.waitFor("recording requested", func() bool {
		r := f.card("d1").record
		return r.Text == "Recording requested" && r.Disabled()
	})
}

// Without finesse.recording there is no Record button.
func TestNoRecordButton(t *testing.T) {
	f := newFixture(t, fixtureOpts{answer: finesse})
	f.signIn(core.StateTalking)
	f.sess.Apply(coretest.DialogUpdate(coretest.Dialog("d1", "5001", "0201234567", core.PartActive, core.ActionHold)))
	f.waitFor("card", func() bool { return f.card("d1") != nil })
	f.ui(func() {
		if f.card("d1").record != nil {
			t.Error("Record offered with recording off")
		}
	})
}

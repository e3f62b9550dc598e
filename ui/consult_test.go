package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// consultPair puts the agent on a consult: the customer call c1 held
// (Finesse offers Transfer and Conference there) and the consult k1 active.
func consultPair(f *fixture) {
	f.signIn(core.StateTalking)
	customer := coretest.Dialog("c1", "5001", "0201234567", core.PartHeld,
		core.ActionRetrieve, core.ActionDrop, core.ActionTransfer, core.ActionConference)
	consult := coretest.Dialog("k1", "5001", "5002", core.PartActive, core.ActionHold, core.ActionDrop)
	consult.CallType, consult.AssociatedID = "CONSULT", "c1"
	f.sess.Apply(coretest.DialogUpdate(customer))
	f.sess.Apply(coretest.DialogUpdate(consult))
	f.waitFor("both cards", func() bool { return f.card("c1") != nil && f.card("k1") != nil })
}

// TestConsultCardTransfers: the consult card offers Transfer and
// Conference and sends them to the held customer call, as Finesse wants.
func TestConsultCardTransfers(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	consultPair(f)
	f.ui(func() {
		k := f.card("k1")
		if k.buttons[core.ActionTransfer].Disabled() || k.buttons[core.ActionConference].Disabled() {
			t.Fatal("Transfer or Conference disabled on the consult card")
		}
	})
	f.tapCall("k1", core.ActionTransfer)
	if got := f.sent(1); got.Kind != core.CmdTransfer || got.DialogID != "c1" {
		t.Errorf("sent %s on %q, want Transfer on the held customer call c1", got.Kind, got.DialogID)
	}
}

// TestEndingCustomerDuringConsultAsks: End on the held customer call
// while consulting asks first; Keep sends nothing. Ctrl+E ends the consult
// (the active call) without asking.
func TestEndingCustomerDuringConsultAsks(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	consultPair(f)
	f.tapCall("c1", core.ActionDrop)
	f.ui(func() {
		if f.s.endAsk == nil || f.s.win.Canvas().Overlays().Top() == nil {
			t.Fatal("End on the customer call during a consult did not ask")
		}
		f.s.endAsk(false) // Keep
	})
	f.ui(func() {
		if n := len(f.port.Sent()); n != 0 {
			t.Errorf("%d commands sent after Keep, want none", n)
		}
	})
	pressShortcut(f, fyne.KeyE)
	if got := f.sent(1); got.Kind != core.CmdRelease || got.DialogID != "k1" {
		t.Errorf("Ctrl+E sent %s on %q, want Release of the consult k1", got.Kind, got.DialogID)
	}
	f.tapCall("c1", core.ActionDrop)
	f.ui(func() { f.s.endAsk(true) })
	if got := f.sent(2); got.Kind != core.CmdRelease || got.DialogID != "c1" {
		t.Errorf("confirmed End sent %s on %q, want Release of c1", got.Kind, got.DialogID)
	}
}

package ui

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

func wrapUpFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, fixtureOpts{answer: finesse, setup: func(p *coretest.Port) {
		p.WrapUpReasonsFunc = func(ctx context.Context) ([]core.WrapUpReason, error) {
			return []core.WrapUpReason{{ID: "1", Label: "Sale"}, {ID: "2", Label: "No sale"}}, nil
		}
	}})
	f.signIn(core.StateTalking)
	return f
}

var talking = coretest.Dialog("d1", "5001", "0201234567", core.PartActive,
	core.ActionHold, core.ActionDrop, core.ActionSendDTMF, core.ActionUpdateCallData)

// The demo's default: Finesse DELETEs the call at its end while the agent
// goes WORK_READY. Saving the reason then must work and say so, not fail
// with "that call has already ended" (issue 9, defect 1).
func TestWrapUpPanelAfterCallRemoved(t *testing.T) {
	f := wrapUpFixture(t)
	f.sess.Apply(coretest.DialogUpdate(talking))
	f.waitFor("the reason picker during the call", func() bool {
		w := f.s.phone.wrap
		return w.obj.Visible() && len(w.pick.Options) == 2 && w.title.Text == "Wrap-up reason for this call"
	})
	f.sess.Apply(coretest.Removed("d1"))
	f.sess.Apply(coretest.AgentUpdate(testAgent("1001", "5001", core.StateWorkReady)))
	f.waitFor("wrap-up with the call gone", func() bool {
		return f.s.phone.wrap.obj.Visible() && f.s.phone.wrap.title.Text == "Wrap-up" && len(f.s.m.Dialogs) == 0
	})
	f.ui(func() { f.s.phone.wrap.pick.SetSelected("Sale") })
	f.tap(f.s.phone.wrap.apply)
	f.waitFor("saved shown", func() bool {
		w := f.s.phone.wrap
		return !f.s.busy[keyWrapUp] && w.status.Visible() && w.status.Text == "Saved: Sale"
	})
	saveShot(f, "ui-wrapup-saved.png")
	f.ui(func() {
		if f.s.errText != "" {
			t.Errorf("error shown after saving: %q", f.s.errText)
		}
		if !f.s.phone.wrap.apply.Disabled() {
			t.Error("Save still enabled for the reason just saved")
		}
	})
}

// The reason picked during the call goes to Finesse on that call at once.
func TestWrapUpPanelDuringCall(t *testing.T) {
	f := wrapUpFixture(t)
	f.sess.Apply(coretest.DialogUpdate(talking))
	f.waitFor("picker", func() bool { return f.s.phone.wrap.obj.Visible() && len(f.s.phone.wrap.pick.Options) == 2 })
	f.ui(func() { f.s.phone.wrap.pick.SetSelected("No sale") })
	f.tap(f.s.phone.wrap.apply)
	if got := f.sent(1); got.Kind != core.CmdWrapUp || got.DialogID != "d1" || got.WrapUpReason != "No sale" {
		t.Errorf("sent %+v, want WrapUp No sale on d1", got)
	}
	f.waitFor("saved shown", func() bool { return f.s.phone.wrap.status.Text == "Saved: No sale" })
}

// The next call starts with nothing picked and nothing saved.
func TestWrapUpPanelNoCarryOver(t *testing.T) {
	f := wrapUpFixture(t)
	f.sess.Apply(coretest.DialogUpdate(talking))
	f.waitFor("picker", func() bool { return f.s.phone.wrap.obj.Visible() && len(f.s.phone.wrap.pick.Options) == 2 })
	f.ui(func() { f.s.phone.wrap.pick.SetSelected("Sale") })
	f.tap(f.s.phone.wrap.apply)
	f.waitFor("saved", func() bool { return f.s.phone.wrap.saved == "Sale" })
	f.sess.Apply(coretest.Removed("d1"))
	f.sess.Apply(coretest.AgentUpdate(testAgent("1001", "5001", core.StateReady)))
	f.waitFor("panel hidden when Ready", func() bool { return !f.s.phone.wrap.obj.Visible() })
	next := talking
	next.ID = "d2"
	f.sess.Apply(coretest.AgentUpdate(testAgent("1001", "5001", core.StateTalking)))
	f.sess.Apply(coretest.DialogUpdate(next))
	f.waitFor("picker for the next call", func() bool { return f.s.phone.wrap.obj.Visible() && f.s.phone.wrap.callID == "d2" })
	f.ui(func() {
		w := f.s.phone.wrap
		if w.pick.Selected != "" || w.status.Visible() {
			t.Errorf("next call starts with %q picked, status %q shown=%v; want nothing", w.pick.Selected, w.status.Text, w.status.Visible())
		}
	})
}

// After a transfer the cards are gone and the agent is in wrap-up: the
// panel must be in view, not below a scrolled-away area.
func TestWrapUpPanelInViewAfterTransfer(t *testing.T) {
	f := wrapUpFixture(t)
	f.ui(func() { f.s.win.Resize(fyne.NewSize(320, 480)) })
	consult := coretest.Dialog("d2", "5001", "5002", core.PartActive, core.ActionDrop, core.ActionUpdateCallData)
	held := coretest.Dialog("d1", "5001", "0201234567", core.PartHeld, core.ActionRetrieve, core.ActionTransfer, core.ActionUpdateCallData)
	f.sess.Apply(coretest.DialogUpdate(held))
	f.sess.Apply(coretest.DialogUpdate(consult))
	f.waitFor("two cards", func() bool { return len(f.s.phone.calls.cards) == 2 })
	var scroll *container.Scroll
	f.ui(func() {
		scroll = findScroll(f.s.phone.obj)
		if scroll == nil {
			t.Fatal("no scroll container in the softphone")
		}
		scroll.Offset = fyne.NewPos(0, 200) // the agent scrolled down to the dial pad
		scroll.Refresh()
	})
	f.sess.Apply(coretest.Removed("d2"))
	f.sess.Apply(coretest.Removed("d1"))
	f.sess.Apply(coretest.AgentUpdate(testAgent("1001", "5001", core.StateWork)))
	f.waitFor("wrap-up panel shown at the top", func() bool {
		return f.s.phone.wrap.obj.Visible() && f.s.phone.wrap.title.Text == "Wrap-up" && scroll.Offset.Y == 0
	})
	f.ui(func() {
		obj := f.s.phone.wrap.obj
		if top := obj.Position().Y - scroll.Offset.Y; obj.Size().Height == 0 || top < 0 || top+obj.Size().Height > scroll.Size().Height {
			t.Errorf("wrap-up panel at y=%v, height %v; the visible area is 0..%v", top, obj.Size().Height, scroll.Size().Height)
		}
		if f.s.phone.wrap.callID != "d1" {
			t.Errorf("wrap-up panel is for %q, want the customer's call d1", f.s.phone.wrap.callID)
		}
	})
}

func findScroll(o fyne.CanvasObject) *container.Scroll {
	switch x := o.(type) {
	case *container.Scroll:
		return x
	case *fyne.Container:
		for _, c := range x.Objects {
			if s := findScroll(c); s != nil {
				return s
			}
		}
	}
	return nil
}

// The tone dialog: the field has focus, the keypad types, Enter sends and
// the dialog says "Sent" although Finesse publishes nothing for DTMF
// (issue 9, defect 2).
func TestToneDialogSendsOnEnter(t *testing.T) {
	f := wrapUpFixture(t)
	f.sess.Apply(coretest.DialogUpdate(talking))
	f.waitFor("Keypad enabled", func() bool {
		c := f.card("d1")
		return c != nil && !c.buttons[core.ActionSendDTMF].Disabled()
	})
	var tones *toneDialog
	f.ui(func() {
		test.Tap(f.card("d1").buttons[core.ActionSendDTMF])
		tones = f.card("d1").tones
		if tones == nil {
			t.Fatal("no tone dialog opened")
		}
		if got := f.s.win.Canvas().Focused(); got != tones.digits {
			t.Errorf("focused = %T, want the digits field", got)
		}
		for _, k := range []string{"1", "2", "#"} {
			tones.press(k)
		}
		if tones.digits.Text != "12#" {
			t.Errorf("keypad typed %q, want 12#", tones.digits.Text)
		}
		f.s.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	if got := f.sent(1); got.Kind != core.CmdSendDTMF || got.Digits != "12#" || got.DialogID != "d1" {
		t.Errorf("sent %+v, want SendDTMF 12# on d1", got)
	}
	f.waitFor("Sent shown", func() bool { return tones.status.Text == "Sent 12#." && tones.digits.Text == "" })
	saveShot(f, "ui-tones-sent.png")
	f.ui(func() {
		if f.s.errText != "" {
			t.Errorf("error shown: %q", f.s.errText)
		}
	})
}

// saveShot keeps a picture of the window in $AGENTLINK_ARTIFACTS (make test
// sets it), for people reviewing the UI; nothing is written without it.
func saveShot(f *fixture, name string) {
	f.t.Helper()
	dir := os.Getenv("AGENTLINK_ARTIFACTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		f.t.Fatal(err)
	}
	file, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		f.t.Fatal(err)
	}
	defer file.Close()
	f.ui(func() {
		if err := png.Encode(file, f.s.win.Canvas().Capture()); err != nil {
			f.t.Error(err)
		}
	})
}

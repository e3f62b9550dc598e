package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// pressShortcut delivers Ctrl+key the way Fyne's desktop driver does: to
// the focused widget when it takes shortcuts, else to the window (the test
// canvas cannot dispatch shortcuts itself).
func pressShortcut(f *fixture, key fyne.KeyName) {
	f.ui(func() {
		sc := &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierControl}
		c := f.s.win.Canvas()
		if sh, ok := c.Focused().(fyne.Shortcutable); ok {
			sh.TypedShortcut(sc)
			return
		}
		f.s.onShortcut(key) // what the window's handler (addShortcuts) calls
	})
}

// pressKey delivers a key the way the driver does: to the focused widget,
// else to the window's key handler.
func pressKey(f *fixture, key fyne.KeyName) {
	f.ui(func() {
		ev := &fyne.KeyEvent{Name: key}
		c := f.s.win.Canvas()
		if w := c.Focused(); w != nil {
			w.TypedKey(ev)
			return
		}
		c.OnTypedKey()(ev)
	})
}

// TestShortcutsWorkInDialField: after keyboard dialling the dial field has
// the focus; Ctrl+H and Ctrl+E must still hold and end the call.
func TestShortcutsWorkInDialField(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.signIn(core.StateTalking)
	f.sess.Apply(coretest.DialogUpdate(coretest.Dialog("d1", "5001", "0201234567", core.PartActive, core.ActionHold, core.ActionDrop)))
	f.waitFor("the call", func() bool { return f.card("d1") != nil })

	pressShortcut(f, fyne.KeyD)
	f.ui(func() {
		if f.s.win.Canvas().Focused() != fyne.Focusable(f.s.phone.dial.number) {
			t.Fatal("Ctrl+D did not focus the dial field")
		}
		test.Type(f.s.phone.dial.number, "123")
	})
	pressShortcut(f, fyne.KeyH)
	if got := f.sent(1); got.Kind != core.CmdHold || got.DialogID != "d1" {
		t.Errorf("Ctrl+H in the dial field sent %s %q, want Hold d1", got.Kind, got.DialogID)
	}
	f.waitFor("hold done", func() bool { return !f.s.busy["dialog:d1:HOLD"] })
	pressShortcut(f, fyne.KeyE)
	if got := f.sent(2); got.Kind != core.CmdRelease {
		t.Errorf("Ctrl+E in the dial field sent %s, want Release", got.Kind)
	}
	f.ui(func() {
		if got := f.s.phone.dial.number.Text; got != "123" {
			t.Errorf("dial field = %q, the shortcuts must not type into it", got)
		}
	})
}

// TestHelpAndEscape: F1 opens the keyboard help, which lists every
// shortcut; Escape closes it, also with the dial field focused.
func TestHelpAndEscape(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.signIn(core.StateNotReady)
	for _, focusDial := range []bool{false, true} {
		if focusDial {
			pressShortcut(f, fyne.KeyD)
		}
		pressKey(f, fyne.KeyF1)
		f.ui(func() {
			if f.s.win.Canvas().Overlays().Top() == nil {
				t.Fatalf("F1 (dial focused %t) opened nothing", focusDial)
			}
		})
		pressKey(f, fyne.KeyEscape)
		f.ui(func() {
			if f.s.win.Canvas().Overlays().Top() != nil {
				t.Errorf("Escape (dial focused %t) left the dialog open", focusDial)
			}
		})
	}
	text := helpText(nil)
	for _, want := range []string{"Ctrl+Enter\tAnswer", "Ctrl+E\tEnd", "Ctrl+R\tReady", "Ctrl+H\tHold / Retrieve", "Ctrl+D\tDial", "Escape"} {
		if !strings.Contains(text, want) {
			t.Errorf("help text lacks %q:\n%s", want, text)
		}
	}
}

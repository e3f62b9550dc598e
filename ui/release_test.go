package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// TestHideReleasesWindowKeepsSignInForm hides the window with half a
// sign-in typed: once released, the window is a new one that was never
// shown, the old one is closed, the tray shows the new one, and showing it
// brings back the same form with what was typed.
func TestHideReleasesWindowKeepsSignInForm(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.ui(func() {
		f.s.releaseDelay = 0
		f.s.trayUp = true // as Run sets it: the tray shows the window
		f.s.win.Show()
		f.s.win.Resize(fyne.NewSize(460, 700)) // the agent made it bigger
		f.s.login.agentID.SetText("")
		test.Type(f.s.login.agentID, "1042")
		test.Type(f.s.login.password, "half-typed")
	})
	var old fyne.Window
	closed := false
	f.ui(func() {
		old = f.s.win
		old.SetOnClosed(func() { closed = true })
		f.s.hideToTray() // the close button's intercept
	})
	f.waitFor("the hidden window released", func() bool { return f.s.released == 1 })
	f.ui(func() {
		if !closed {
			t.Error("the hidden window was not closed")
		}
		if f.s.win == old {
			t.Fatal("the released window is still the shell's window")
		}
		if f.app.window != f.s.win {
			t.Error("the tray still shows the old window")
		}
		if got, want := f.s.win.Canvas().Size(), fyne.NewSize(460, 700); got != want {
			t.Errorf("new window size = %v, want %v as the agent left it", got, want)
		}
		if f.s.win.Content() != f.s.login.obj {
			t.Error("the new window does not hold the sign-in form")
		}
		f.s.showWindow()
		if got := f.s.login.agentID.Text; got != "1042" {
			t.Errorf("agent ID after hide and show = %q, want 1042", got)
		}
		if got := f.s.login.password.Text; got != "half-typed" {
			t.Errorf("password after hide and show = %q, want what was typed", got)
		}
	})
	// The new window works: signing in switches it to the softphone.
	f.signIn(core.StateNotReady)
	f.ui(func() {
		if f.s.win.Content() != f.s.phone.obj {
			t.Error("after signing in the new window does not show the softphone")
		}
	})
}

// TestHideKeepsCallAndTimers hides the window during a call and shows it
// again after the release: the same call card is there, its timer went on
// while hidden, and its buttons still send commands.
func TestHideKeepsCallAndTimers(t *testing.T) {
	f := newFixture(t, fixtureOpts{answer: func(cmd core.Command) []core.Update { return nil }})
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	f.ui(func() {
		f.s.releaseDelay = 0
		f.s.now = func() time.Time { return now }
		f.s.win.Show()
	})
	f.signIn(core.StateTalking)
	d := coretest.Dialog("d1", "5001", "+14155550123", core.PartActive, core.ActionHold, core.ActionDrop)
	d.Participants[0].Since = now
	f.sess.Apply(coretest.DialogUpdate(d))
	f.waitFor("the call card", func() bool { return f.card("d1") != nil })
	var card *callCard
	f.ui(func() {
		card = f.card("d1")
		f.s.hideToTray()
	})
	f.waitFor("the hidden window released", func() bool { return f.s.released == 1 })
	f.ui(func() {
		now = now.Add(75 * time.Second)
		f.s.tick() // the follow goroutine's second tick
		f.s.showWindow()
		if f.card("d1") != card {
			t.Fatal("the call card was rebuilt: its state is lost")
		}
		if got := card.state.Text; !contains(got, "1:15") {
			t.Errorf("call timer after 75 s hidden = %q, want it to say 1:15", got)
		}
		if !containsObject(f.s.win.Content(), card.buttons[core.ActionHold]) {
			t.Error("the shown window does not hold the call card's Hold button")
		}
	})
	f.tapCall("d1", core.ActionHold)
	if cmd := f.sent(1); cmd.Kind != core.CmdHold || cmd.DialogID != "d1" {
		t.Errorf("Hold after hide and show sent %+v", cmd)
	}
}

// TestShowCancelsRelease: a window shown again before its release is due
// is not released, and a window with a dialog open is hidden but kept.
func TestShowCancelsRelease(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.ui(func() {
		f.s.releaseDelay = time.Hour // the test runs the due releases itself
		f.s.win.Show()
		first := f.s.win
		f.s.hideToTray()
		gen := f.s.hideGen
		f.s.showWindow()
		f.s.releaseHidden(gen) // the release the hide scheduled comes due
		if f.s.released != 0 || f.s.win != first {
			t.Errorf("a window shown again was released (%d)", f.s.released)
		}

		f.s.showHelp()
		f.s.hideToTray()
		f.s.releaseHidden(f.s.hideGen)
		if f.s.released != 0 || f.s.win != first {
			t.Errorf("a window with a dialog open was released (%d)", f.s.released)
		}
		if !f.s.hidden {
			t.Error("the window with a dialog open was not hidden")
		}
	})
}

// containsObject says whether o is in the tree under root.
func containsObject(root, o fyne.CanvasObject) bool {
	if root == o {
		return true
	}
	var kids []fyne.CanvasObject
	switch r := root.(type) {
	case *fyne.Container:
		kids = r.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(r).Objects()
	}
	for _, k := range kids {
		if containsObject(k, o) {
			return true
		}
	}
	return false
}

// TestCloseTrayMonitor closes the hidden window Fyne's tray creates (with a
// GL context of its own) and nothing else.
func TestCloseTrayMonitor(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	monitorClosed, winClosed := false, false
	f.ui(func() {
		mon := f.app.NewWindow(trayMonitorTitle) // as Fyne's runSystray does
		mon.SetOnClosed(func() { monitorClosed = true })
		f.s.win.SetOnClosed(func() { winClosed = true })
		f.s.closeTrayMonitor()
	})
	if !monitorClosed {
		t.Error("the tray's monitor window was not closed")
	}
	if winClosed {
		t.Error("the softphone window was closed")
	}
}

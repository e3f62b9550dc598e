package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// quitPrompt is the "Quit AgentLink?" dialog shown to a signed-in agent;
// kept on the shell so tests can press its buttons.
type quitPrompt struct {
	dialog   *dialog.CustomDialog
	reason   *widget.Select // nil when Finesse has no logout reasons
	signOut  *widget.Button
	justQuit *widget.Button
	cancel   *widget.Button
}

// quitApp quits the app. From here on the shell leaves the tray alone:
// Fyne closes the tray's D-Bus connection while quitting, and a tray
// update queued behind the quit would then panic inside fyne.io/systray
// (seen as exit status 2 on SIGTERM). Fyne thread.
func (s *shell) quitApp() {
	s.quitting.Store(true)
	defer s.windowsGone()
	s.app.Quit()
}

// windowsGone, deferred around app.Quit, absorbs the one panic quitting may
// hit on SIGINT/SIGTERM: Fyne's GLFW driver handles those signals itself and
// terminates GLFW, and our own quit (the app's context ends on the same
// signal) then closes a window GLFW no longer knows, which panics
// ("NotInitialized: The GLFW library is not initialized") instead of
// returning. The app is quitting either way. Any other panic goes on.
func (s *shell) windowsGone() {
	r := recover()
	if r == nil {
		return
	}
	if err, ok := r.(error); ok && strings.Contains(err.Error(), "GLFW library is not initialized") {
		s.log.Info("ui quit: the windows are already gone", "err", err)
		return
	}
	panic(r)
}

// quit is the tray's and the window's Quit. Quitting drops the agent's
// desktop presence. With a call up that costs call control, so it asks.
// Signed in without a call, Finesse signs the agent out by itself about a
// minute later (reason 255, which reports show as a forced logout; on some
// UCCE sites the agent is left Not Ready instead), so it offers a clean
// sign-out first. Fyne thread.
func (s *shell) quit() {
	switch {
	case s.m.callUp():
		s.showWindow()
		dialog.ShowConfirm("Quit AgentLink?",
			"A call is still up. If you quit, CRM toolbars lose call control and Finesse may sign you out.",
			func(ok bool) {
				if ok {
					s.quitApp()
				}
			}, s.win)
	case s.m.Agent.LoggedIn():
		s.showWindow()
		s.quitAsk = s.newQuitPrompt()
		s.quitAsk.dialog.Show()
	default:
		s.quitApp()
	}
}

func (s *shell) newQuitPrompt() *quitPrompt {
	q := &quitPrompt{}
	msg := widget.NewLabel(fmt.Sprintf("You are still signed in to the phone as agent %s. "+
		"Sign out now, or Finesse signs you out by itself about a minute after AgentLink closes, "+
		"which shows in reports as a forced logout.", s.m.Agent.ID))
	msg.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(msg)
	if reasons := s.lists.logout; len(reasons) > 0 {
		labels := make([]string, len(reasons))
		for i, r := range reasons {
			labels[i] = r.Label
		}
		q.reason = widget.NewSelect(labels, nil)
		q.reason.SetSelectedIndex(0)
		content.Add(container.NewBorder(nil, nil, widget.NewLabel("Sign-out reason"), nil, q.reason))
	}
	q.dialog = dialog.NewCustomWithoutButtons("Quit AgentLink?", content, s.win)
	q.signOut = widget.NewButton("Sign out and quit", func() {
		q.dialog.Hide()
		s.signOutAndQuit(s.logoutReasonID(q.reason))
	})
	q.signOut.Importance = widget.HighImportance
	q.justQuit = widget.NewButton("Quit without signing out", func() {
		q.dialog.Hide()
		s.quitApp()
	})
	q.cancel = widget.NewButton("Cancel", q.dialog.Hide)
	// The three long buttons stacked, not side by side: in a row they
	// made the dialog wider than the window.
	content.Add(container.NewVBox(q.signOut, q.justQuit, q.cancel))
	q.dialog.Resize(dialogSize(s.win, 400))
	return q
}

// logoutReasonID maps the selected label back to its reason code id.
func (s *shell) logoutReasonID(sel *widget.Select) string {
	if sel == nil || sel.SelectedIndex() < 0 {
		return ""
	}
	return s.lists.logout[sel.SelectedIndex()].ID
}

// signOutAndQuit logs the agent out and quits once Finesse confirms. If
// the logout fails the app stays open with the reason shown, so the agent
// is never left unsure whether they are still signed in.
func (s *shell) signOutAndQuit(reasonID string) { s.logOutThen("Sign out", reasonID, s.quitApp) }

// dialogSize is w wide but never wider than the window, and as tall as the
// window allows: a wrapped label in a dialog left at its minimum size is
// one word wide.
func dialogSize(win fyne.Window, w float32) fyne.Size {
	size := win.Canvas().Size()
	if max := size.Width - 2*theme.Padding(); max > 0 && w > max {
		w = max
	}
	return fyne.NewSize(w, 0)
}

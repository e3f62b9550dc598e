package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// Window geometry the Xvfb smoke test relies on (see notes/ui-smoke.md).
const (
	windowTitle  = "AgentLink"
	windowWidth  = 420
	windowHeight = 640
)

// buildWindow creates the one main window and the content it shows: the
// login form while the agent is signed out and the softphone while signed
// in. Fyne thread.
func (s *shell) buildWindow() {
	s.phone = newSoftphone(s)
	s.login = newLoginForm(s)
	s.newWindow()
}

// newWindow creates the main window for the content that exists. Fyne
// creates a window's GL context, textures and renderers only when it is
// first shown, so a window that is never shown costs little: releaseWindow
// swaps the shown one for such a window while the softphone is hidden in
// the tray. Closing it hides it to the tray. Fyne thread.
func (s *shell) newWindow() {
	s.win = s.app.NewWindow(windowTitle)
	s.win.Resize(fyne.NewSize(windowWidth, windowHeight))
	s.addShortcuts()
	s.refresh()
	s.attachWindow()
}

// refresh redraws everything from the model. Fyne thread.
func (s *shell) refresh() {
	if s.win == nil {
		return
	}
	want := s.login.obj
	if s.m.Agent.LoggedIn() {
		want = s.phone.obj
	}
	if s.win.Content() != want {
		s.win.SetContent(want)
	}
	s.phone.refresh()
	s.login.refresh()
	s.syncRinging()
	s.refreshTray()
	if s.changed != nil {
		s.changed()
	}
}

// tick updates the timers. Fyne thread.
func (s *shell) tick() {
	if s.phone != nil {
		s.phone.tick()
	}
}

// showWindow brings the window back from the tray.
func (s *shell) showWindow() {
	s.hidden = false
	s.win.Show()
	s.win.RequestFocus()
	s.raised++
}

// scrolled wraps content that may outgrow the window.
func scrolled(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVScroll(o)
}

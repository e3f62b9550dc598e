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

// buildWindow creates the one main window. It shows the login form while
// the agent is signed out and the softphone while signed in; closing it
// hides it to the tray. Fyne thread.
func (s *shell) buildWindow() {
	s.win = s.app.NewWindow(windowTitle)
	s.win.Resize(fyne.NewSize(windowWidth, windowHeight))
	s.win.SetCloseIntercept(s.win.Hide)
	s.phone = newSoftphone(s)
	s.login = newLoginForm(s)
	s.addShortcuts()
	s.refresh()
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
	s.win.Show()
	s.win.RequestFocus()
	s.raised++
}

// scrolled wraps content that may outgrow the window.
func scrolled(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVScroll(o)
}

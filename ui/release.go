package ui

import (
	"runtime"
	"runtime/debug"
	"time"

	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
	"fyne.io/systray"
)

// releaseDelay is how long the window stays hidden before it is released:
// showing it again within that time is instant, and an agent who closes
// the window by mistake does not pay for a rebuild.
const releaseDelay = 10 * time.Second

// attachWindow makes s.win the window the tray icon shows and hides, and
// closing it hides it to the tray. Fyne's SetSystemTrayWindow sets its own
// close intercept (a plain Hide), so ours comes after it. Fyne thread.
func (s *shell) attachWindow() {
	if desk, ok := s.app.(desktop.App); ok && s.trayUp {
		desk.SetSystemTrayWindow(s.win)
		// Fyne's click handler shows the window directly; ours also
		// cancels a pending release.
		systray.SetOnTapped(func() { s.do(s.showWindow) })
	}
	s.win.SetCloseIntercept(s.hideToTray)
}

// hideToTray hides the window and, unless it is shown again first, releases
// it after releaseDelay. Fyne thread.
func (s *shell) hideToTray() {
	s.win.Hide()
	s.hidden = true
	s.hideGen++
	gen := s.hideGen
	if s.releaseDelay < 0 {
		return // releasing is off (tests of the plain hide)
	}
	time.AfterFunc(s.releaseDelay, func() { s.do(func() { s.releaseHidden(gen) }) })
}

// releaseHidden releases the window if it is still hidden by the hide that
// scheduled this (gen), not shown and hidden again since. Fyne thread.
func (s *shell) releaseHidden(gen int) {
	if s.hidden && s.hideGen == gen {
		s.releaseWindow()
	}
}

// releaseWindow closes the hidden window, which frees its GL context, its
// textures and its widgets' renderers, and puts a new, never-shown window
// in its place with the same content: the widgets, and so the call cards,
// timers and whatever the sign-in form holds, stay as they are. Showing
// the window again creates its GL context and draws it afresh. A window
// with a dialog open is left alone: the dialog lives on that window's
// canvas and would be lost. Fyne thread.
func (s *shell) releaseWindow() {
	if s.quitting.Load() || len(s.win.Canvas().Overlays().List()) > 0 {
		return
	}
	old := s.win
	size := old.Canvas().Size() // as the agent left it
	// Detach the content first: closing a window destroys the renderers
	// of everything on its canvas, and the content moves on.
	old.SetContent(widget.NewLabel(""))
	old.SetCloseIntercept(nil)
	old.Close()
	s.newWindow()
	// Fyne has no API for the window's position: a window manager places
	// the new one afresh.
	s.win.Resize(size)
	s.released++
	// The GL context goes with the window on Fyne's next frame; give the
	// memory back to the system after that.
	time.AfterFunc(time.Second, freeMemory)
}

// freeMemory returns freed memory to the system: the Go heap the window's
// images and renderers used, and the C heap the GL driver freed with the
// context (glibc keeps freed pages otherwise).
func freeMemory() {
	debug.FreeOSMemory()
	trimCHeap()
}

// trayMonitorTitle is the title of the hidden window Fyne's tray creates
// (fyne internal/driver/glfw/driver_desktop.go, runSystray).
const trayMonitorTitle = "SystrayMonitor"

// closeTrayMonitor closes the hidden window Fyne creates with its tray.
// Fyne gives that window a GL context of its own at once (with Mesa's
// software renderer, 14 MB of C heap for as long as the app runs), only so
// that a request to close it quits the app. On Linux and the BSDs it is
// never mapped, so nothing can ask that: the app quits as before through
// the tray menu's Quit, the signals Fyne and cmd/agentlink handle, or its
// context. Fyne quits when its last window goes; the softphone's window
// (shown or not) is always there. Fyne thread.
func (s *shell) closeTrayMonitor() {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return
	}
	for _, w := range s.app.Driver().AllWindows() {
		if w.Title() == trayMonitorTitle && w != s.win {
			w.Close()
			// Its GL context goes on Fyne's next frame; glibc keeps
			// what Mesa frees then unless asked.
			time.AfterFunc(time.Second, freeMemory)
		}
	}
}

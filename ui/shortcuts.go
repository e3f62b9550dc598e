package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/agentlink/agentlink/core"
)

// shortcut is one window keyboard shortcut.
type shortcut struct {
	Key   fyne.KeyName
	Label string // for the help text and ui-smoke.md
}

// shortcuts are window-local (Fyne has no global hotkeys); all use Ctrl.
// They are listed in the help dialog (F1) and the README.
var shortcuts = []shortcut{
	{fyne.KeyReturn, "Answer"},
	{fyne.KeyE, "End"},
	{fyne.KeyR, "Ready"},
	{fyne.KeyH, "Hold / Retrieve"},
	{fyne.KeyD, "Dial"},
	{fyne.KeyK, "Directory (phone books, recent numbers)"},
	{fyne.KeyW, "Hide the window to the tray"},
}

// addShortcuts binds the shortcuts to the window. Fyne thread.
func (s *shell) addShortcuts() {
	for _, sc := range shortcuts {
		s.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: sc.Key, Modifier: fyne.KeyModifierControl},
			func(fyne.Shortcut) { s.onShortcut(sc.Key) })
	}
	s.win.Canvas().SetOnTypedKey(s.onTypedKey)
}

// onShortcut performs a shortcut. Fyne thread.
func (s *shell) onShortcut(k fyne.KeyName) {
	if k == fyne.KeyW {
		s.hideToTray()
		return
	}
	if k == fyne.KeyD {
		if s.phone != nil {
			s.phone.dial.focus()
		}
		return
	}
	if k == fyne.KeyK {
		if s.phone != nil && s.m.Agent.LoggedIn() {
			s.phone.dial.openDirectory()
		}
		return
	}
	if k == fyne.KeyR {
		if readyOffered(s.m.Agent) {
			s.setReady()
		}
		return
	}
	if a, id, ok := shortcutAction(s.m, k); ok {
		s.callAction(a, id)
	}
}

// shortcutAction picks the call action a shortcut means now: Ctrl+Enter
// answers the ringing call, Ctrl+E ends the current one (the active call
// first), Ctrl+H holds the active call or else retrieves the held one.
func shortcutAction(m model, k fyne.KeyName) (core.Action, string, bool) {
	var want []core.Action
	switch k {
	case fyne.KeyReturn:
		want = []core.Action{core.ActionAnswer}
	case fyne.KeyE:
		want = []core.Action{core.ActionDrop}
	case fyne.KeyH:
		want = []core.Action{core.ActionHold, core.ActionRetrieve}
	}
	// The call the agent is talking on first: with a consult up, Ctrl+E
	// ends the consult, not the held customer.
	for _, a := range want {
		for _, active := range []bool{true, false} {
			for _, d := range m.Dialogs {
				if (d.AgentState == core.PartActive) == active && d.Allows(a) {
					return a, d.ID, true
				}
			}
		}
	}
	return "", "", false
}

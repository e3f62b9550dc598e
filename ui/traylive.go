package ui

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/agentlink/agentlink/core"
)

// setupTray installs the tray icon, menu and window. Fyne calls for this
// must come before app.Run (a menu set only later can stay dead). Fyne
// thread.
func (s *shell) setupTray() {
	desk, ok := s.app.(desktop.App)
	if !ok {
		s.log.Info("ui no system tray on this platform")
		return
	}
	s.trayKey = ""
	s.refreshTray()
	desk.SetSystemTrayWindow(s.win)
}

// refreshTray rebuilds the tray menu and icon when what they show changed.
// Fyne thread.
func (s *shell) refreshTray() {
	desk, ok := s.app.(desktop.App)
	if !ok || s.quitting.Load() {
		return
	}
	st := trayState{Model: s.m, NotReady: s.lists.notReady, HasMonitor: s.bridge != nil}
	menu := trayMenu(st, s.trayActions())
	tip := trayTooltip(s.m, s.caller)
	key := statusOf(s.m).String() + "|" + menuKey(menu) + "|" + tip
	if key == s.trayKey {
		return
	}
	s.trayKey = key
	defer s.trayGone()
	desk.SetSystemTrayMenu(menu)
	desk.SetSystemTrayIcon(loadIcon(iconFile(statusOf(s.m))))
	if s.setTooltip != nil {
		s.setTooltip(tip)
	}
}

// trayTooltip says who is signed in and what is happening, e.g.
// "AgentLink: Test Agent · agent 1001 · ext 5001 – Ringing: Jane Doe (0201234567)";
// caller names the other party of a call (shell.caller). The tray cannot
// ask for attention otherwise: fyne.io/systray fixes the
// StatusNotifierItem's Status at Active, so the ringing icon and this
// tooltip are the tray's signal.
func trayTooltip(m model, caller func(core.Dialog) string) string {
	if !m.Agent.LoggedIn() {
		return "AgentLink: signed out"
	}
	what := strings.TrimPrefix(trayStateLine(m), "State: ")
	for _, d := range m.Dialogs {
		if d.AgentState == core.PartAlerting {
			what = "Ringing: " + caller(d)
			break
		}
	}
	if ml := mediaLine(m.Media); ml != "" {
		what += " · " + ml
	}
	return "AgentLink: " + identity(m.Agent) + " – " + what
}

// trayGone, deferred around tray updates, absorbs the one panic a tray
// update may hit while the app quits: Fyne stops the tray by itself on
// SIGINT/SIGTERM (before our own quit runs), closing fyne.io/systray's D-Bus
// connection, and systray then panics on the next update instead of
// returning an error. Any other panic goes on.
func (s *shell) trayGone() {
	r := recover()
	if r == nil {
		return
	}
	if err, ok := r.(error); ok && strings.Contains(err.Error(), "dbus: connection closed") {
		s.quitting.Store(true)
		s.log.Info("ui tray update skipped: the tray is already gone", "err", err)
		return
	}
	panic(r)
}

func (s *shell) trayActions() trayActions {
	return trayActions{
		Ready:    s.setReady,
		NotReady: s.setNotReady,
		Call:     s.callAction,
		Show:     s.showWindow,
		Monitor:  s.openMonitor,
		Quit:     s.quit,
	}
}

// menuKey summarises what a menu shows, to tell whether it changed.
func menuKey(m *fyne.Menu) string {
	var b strings.Builder
	for _, it := range m.Items {
		fmt.Fprintf(&b, "%s/%t/%t;", it.Label, it.Disabled, it.Checked)
		if it.ChildMenu != nil {
			b.WriteString("[" + menuKey(it.ChildMenu) + "]")
		}
	}
	return b.String()
}

// openMonitor opens the Connector Monitor in the default browser.
func (s *shell) openMonitor() {
	if s.bridge == nil {
		return
	}
	var target *url.URL
	s.command("monitor", "Open Connector Monitor", func(context.Context) error {
		raw, err := s.bridge.MonitorURL()
		if err != nil {
			return err
		}
		target, err = url.Parse(raw)
		return err
	}, func(err error) {
		if err == nil {
			if err := s.app.OpenURL(target); err != nil {
				s.errText = commandMessage("Open Connector Monitor", err)
			}
		}
	})
}

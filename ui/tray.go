package ui

import (
	"fyne.io/fyne/v2"

	"github.com/agentlink/agentlink/core"
)

// trayState is everything the tray menu shows.
type trayState struct {
	Model      model
	NotReady   []core.ReasonCode // Not Ready reasons; empty: one plain item
	HasMonitor bool              // a bridge with a Connector Monitor exists
}

// trayActions are the tray menu's callbacks; they run on the Fyne thread.
type trayActions struct {
	Ready    func()
	NotReady func(reasonCodeID string)
	Call     func(a core.Action, dialogID string)
	Show     func()
	Monitor  func()
	Quit     func()
}

// Tray menu labels, in the order they appear (ui-smoke.md lists them).
const (
	trayReady    = "Ready"
	trayNotReady = "Not Ready"
	trayShow     = "Show softphone"
	trayMonitor  = "Open Connector Monitor"
	trayQuit     = "Quit"
)

// trayMenu builds the whole tray menu from state. The menu is rebuilt on
// every change rather than patched, so it can never disagree with the state
// (the approach tailscale's systray takes).
func trayMenu(st trayState, act trayActions) *fyne.Menu {
	m := st.Model
	line := fyne.NewMenuItem(trayStateLine(m), nil)
	line.Disabled = true

	ready := fyne.NewMenuItem(trayReady, act.Ready)
	ready.Disabled = !readyOffered(m.Agent)

	items := []*fyne.MenuItem{line, fyne.NewMenuItemSeparator(), ready, notReadyItem(st, act), fyne.NewMenuItemSeparator()}
	items = append(items, callItems(m, act)...)
	items = append(items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem(trayShow, act.Show))

	mon := fyne.NewMenuItem(trayMonitor, act.Monitor)
	mon.Disabled = !st.HasMonitor
	quit := fyne.NewMenuItem(trayQuit, act.Quit)
	quit.IsQuit = true // replaces Fyne's own Quit, which would not ask first
	items = append(items, mon, fyne.NewMenuItemSeparator(), quit)
	return fyne.NewMenu("AgentLink", items...)
}

// trayStateLine is the menu's first, disabled item. The "State: " prefix
// keeps it distinct from the Ready item for tools that click by label.
func trayStateLine(m model) string {
	if !m.Agent.LoggedIn() {
		return "State: Signed out"
	}
	if m.System.Status == core.OutOfService {
		return "State: " + stateLine(m.Agent) + " (Finesse out of service)"
	}
	return "State: " + stateLine(m.Agent)
}

func notReadyItem(st trayState, act trayActions) *fyne.MenuItem {
	a := st.Model.Agent
	item := fyne.NewMenuItem(trayNotReady, nil)
	item.Disabled = !a.LoggedIn()
	if len(st.NotReady) == 0 {
		item.Action = func() { act.NotReady("") }
		item.Disabled = item.Disabled || a.State == core.StateNotReady
		return item
	}
	subs := make([]*fyne.MenuItem, 0, len(st.NotReady))
	for _, r := range st.NotReady {
		sub := fyne.NewMenuItem(r.Label, func() { act.NotReady(r.ID) })
		sub.Checked = a.State == core.StateNotReady && a.ReasonCodeID == r.ID
		subs = append(subs, sub)
	}
	item.ChildMenu = fyne.NewMenu("", subs...)
	return item
}

// trayCallActions are the call items the tray offers, in order.
var trayCallActions = []callButton{
	{core.ActionAnswer, "Answer"},
	{core.ActionHold, "Hold"},
	{core.ActionRetrieve, "Retrieve"},
	{core.ActionDrop, "End"},
}

func callItems(m model, act trayActions) []*fyne.MenuItem {
	d, ok := m.current()
	out := make([]*fyne.MenuItem, 0, len(trayCallActions))
	for _, b := range trayCallActions {
		item := fyne.NewMenuItem(b.Label, func() { act.Call(b.Action, d.ID) })
		item.Disabled = !ok || !d.Allows(b.Action)
		out = append(out, item)
	}
	return out
}

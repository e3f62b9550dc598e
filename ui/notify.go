package ui

import (
	"fyne.io/fyne/v2"

	"github.com/agentlink/agentlink/core"
)

// notificationFor decides which OS notification, if any, an event deserves,
// given the model before it. Only things an agent must not miss while the
// window is hidden get one: a call starting to ring, being signed out by
// Finesse (reason 255, or any logout the agent did not ask for). Outages
// are announced by watchOutage (outage.go), only when they last. expectLogout
// is true while the agent's own Logout command is in flight.
func notificationFor(prev model, ev core.Event, expectLogout bool) *fyne.Notification {
	switch ev.Kind {
	case core.EventDialog:
		return ringingNotification(prev, ev.Dialog)
	case core.EventAgent:
		return logoutNotification(prev, ev.Agent, expectLogout)
	}
	return nil
}

func ringingNotification(prev model, d *core.Dialog) *fyne.Notification {
	if d == nil || d.AgentState != core.PartAlerting {
		return nil
	}
	if old, ok := prev.dialog(d.ID); ok && old.AgentState == core.PartAlerting {
		return nil // already announced
	}
	body := "From " + otherParty(*d, prev.Agent.Extension)
	if v, ok := mainVariable(*d); ok {
		body += "\n" + v.Name + ": " + v.Value
	}
	return fyne.NewNotification("Incoming call", body)
}

func logoutNotification(prev model, a *core.Agent, expectLogout bool) *fyne.Notification {
	if a == nil || a.State != core.StateLogout || !prev.Agent.LoggedIn() {
		return nil
	}
	if a.ReasonCodeID == core.ForcedLogoutReason {
		return fyne.NewNotification("Signed out by Finesse",
			"Finesse signed you out because it lost contact with your desktop (reason 255). Sign in again to take calls.")
	}
	if expectLogout {
		return nil
	}
	return fyne.NewNotification("Signed out", "You were signed out of Finesse unexpectedly. Sign in again to take calls.")
}

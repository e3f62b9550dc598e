package ui

import (
	"fyne.io/fyne/v2"
	"time"

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

// newlyRinging says whether d rings for the agent and did not before.
func newlyRinging(prev model, d core.Dialog) bool {
	if d.AgentState != core.PartAlerting {
		return false
	}
	old, ok := prev.dialog(d.ID)
	return !ok || old.AgentState != core.PartAlerting
}

// missedCall says whether ev ends a call that was ringing for the agent and
// never answered, with the caller and the time (HH:MM) for the message.
func missedCall(prev model, ev core.Event, now time.Time) (from, at string, ok bool) {
	if ev.Kind != core.EventDialogEnded {
		return "", "", false
	}
	old, found := prev.dialog(endedID(ev))
	if !found || old.AgentState != core.PartAlerting || (ev.Ended != nil && !ev.Ended.Answered.IsZero()) {
		return "", "", false
	}
	return otherParty(old, prev.Agent.Extension), now.Format("15:04"), true
}

func ringingNotification(prev model, d *core.Dialog) *fyne.Notification {
	if d == nil || !newlyRinging(prev, *d) {
		return nil
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

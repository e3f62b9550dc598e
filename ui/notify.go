package ui

import (
	"fyne.io/fyne/v2"

	"github.com/agentlink/agentlink/core"
)

// notificationFor decides which OS notification, if any, an event deserves,
// given the model before it: being signed out by Finesse (reason 255, or
// any logout the agent did not ask for). Outages are announced by
// watchOutage (outage.go), only when they last; ringing and missed calls by
// the alerter (callalert.go), which can withdraw them. expectLogout is true
// while the agent's own Logout command is in flight.
func notificationFor(prev model, ev core.Event, expectLogout bool) *fyne.Notification {
	if ev.Kind == core.EventAgent {
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
// never answered, and returns that call as it last rang.
func missedCall(prev model, ev core.Event) (core.Dialog, bool) {
	if ev.Kind != core.EventDialogEnded {
		return core.Dialog{}, false
	}
	old, found := prev.dialog(endedID(ev))
	if !found || old.AgentState != core.PartAlerting || (ev.Ended != nil && !ev.Ended.Answered.IsZero()) {
		return core.Dialog{}, false
	}
	return old, true
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

package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
)

func TestNotificationFor(t *testing.T) {
	t.Parallel()
	ready := model{Agent: agentIn(core.StateReady), System: core.System{Status: core.InService}}
	ringing := dialogAs("d1", core.PartAlerting, core.ActionAnswer)
	ringing.Variables = []core.CallVariable{{Name: "callVariable1", Value: "ACC-42"}}
	withRinging := ready
	withRinging.Dialogs = []core.Dialog{ringing}
	active := dialogAs("d1", core.PartActive)
	logout := agentIn(core.StateLogout)
	forced := logout
	forced.ReasonCodeID = core.ForcedLogoutReason
	oos := core.System{Status: core.OutOfService, Reason: "side A unreachable, trying side B"}

	tests := []struct {
		name         string
		prev         model
		ev           core.Event
		expectLogout bool
		want         *fyne.Notification
	}{
		{"incoming call: the alerter's (callalert.go)", ready, core.Event{Kind: core.EventDialog, Dialog: &ringing}, false, nil},
		{"same call still ringing", withRinging, core.Event{Kind: core.EventDialog, Dialog: &ringing}, false, nil},
		{"answered", withRinging, core.Event{Kind: core.EventDialog, Dialog: &active}, false, nil},
		{"forced logout", ready, core.Event{Kind: core.EventAgent, Agent: &forced},
			true, fyne.NewNotification("Signed out by Finesse", "Finesse signed you out because it lost contact with your desktop (reason 255). Sign in again to take calls.")},
		{"unexpected logout", ready, core.Event{Kind: core.EventAgent, Agent: &logout},
			false, fyne.NewNotification("Signed out", "You were signed out of Finesse unexpectedly. Sign in again to take calls.")},
		{"own logout", ready, core.Event{Kind: core.EventAgent, Agent: &logout}, true, nil},
		{"already signed out", model{Agent: logout}, core.Event{Kind: core.EventAgent, Agent: &forced}, false, nil},
		{"out of service: watchOutage decides, later", ready, core.Event{Kind: core.EventSystem, System: &oos}, false, nil},
		{"still out of service", model{System: oos}, core.Event{Kind: core.EventSystem, System: &oos}, false, nil},
		{"error event", ready, core.Event{Kind: core.EventError, Err: &core.FinesseError{}}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := notificationFor(tt.prev, tt.ev, tt.expectLogout)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("notificationFor (-want +got):\n%s", diff)
			}
		})
	}
}

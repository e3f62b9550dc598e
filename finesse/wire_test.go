package finesse

import (
	"errors"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/google/go-cmp/cmp"
)

func TestDecodeRESTGolden(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 22, 4, 20, 0, 0, time.UTC)
	agent := func(st core.AgentState, pending core.AgentState, rc, label string) core.Agent {
		return core.Agent{ID: "1001", FirstName: "Alice", LastName: "Anders", State: st, PendingState: pending,
			ReasonCodeID: rc, ReasonLabel: label, Extension: "5001", Since: at, WrapUpOnIncoming: "OPTIONAL"}
	}
	tests := []struct {
		file string
		got  func([]byte) (any, error)
		want any
	}{
		{"user_ready.xml", decodeAgent, agent(core.StateReady, "", "-1", "")},
		{"user_notready.xml", decodeAgent, agent(core.StateNotReady, "", "17", "Lunch")},
		{"user_notready_pending.xml", decodeAgent, agent(core.StateTalking, core.StateNotReady, "-1", "")},
		{"dialogs_empty.xml", decodeDialogs, []core.Dialog{}},
		{"dialogs_one_alerting.xml", decodeDialogs, []core.Dialog{alertingDialog()}},
		{"systeminfo.xml", func(b []byte) (any, error) {
			var w wireSystemInfo
			err := decodeXML(b, "SystemInfo", &w)
			return [3]string{string(systemStatus(w.Status)), w.XMPPDomain, w.XMPPPubSubDomain}, err
		}, [3]string{"IN_SERVICE", "finesse-a.sim.test", "pubsub.finesse-a.sim.test"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := tt.got(readGolden(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func decodeAgent(b []byte) (any, error) {
	var w wireUser
	err := decodeXML(b, "User", &w)
	return agentFromWire(&w), err
}

func decodeDialogs(b []byte) (any, error) {
	var w wireDialogs
	err := decodeXML(b, "Dialogs", &w)
	return dialogsFromWire(w.Dialogs), err
}

func TestDecodeDialogActiveGolden(t *testing.T) {
	t.Parallel()
	var w wireDialog
	if err := decodeXML(readGolden(t, "dialog_active.xml"), "Dialog", &w); err != nil {
		t.Fatal(err)
	}
	d := dialogFromWire(&w)
	want := []core.Action{core.ActionTransferSST, core.ActionConsultCall, core.ActionHold,
		core.ActionUpdateCallData, core.ActionSendDTMF, core.ActionDrop}
	if diff := cmp.Diff(want, agentPart(d).Actions); diff != "" || d.State != core.DialogActive {
		t.Errorf("state %s, actions (-want +got):\n%s", d.State, diff)
	}
}

func TestDecodeWrongRoot(t *testing.T) {
	t.Parallel()
	var w wireUser
	err := decodeXML(readGolden(t, "apierrors_invalid_state.xml"), "User", &w)
	if !errors.Is(err, ErrMalformed) {
		t.Errorf("err = %v, want ErrMalformed for an ApiErrors body read as User", err)
	}
}

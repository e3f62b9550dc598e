package ui

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
)

func agentIn(st core.AgentState) core.Agent {
	return core.Agent{ID: "1001", Extension: "5001", State: st}
}

func dialogAs(id string, st core.ParticipantState, acts ...core.Action) core.Dialog {
	return core.Dialog{ID: id, From: "0201234567", To: "5001", CallType: "ACD_IN", AgentState: st, Actions: acts}
}

func TestStatusOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		m    model
		want status
	}{
		{"signed out", model{Agent: agentIn(core.StateLogout)}, statusOffline},
		{"never signed in", model{}, statusOffline},
		{"ready", model{Agent: agentIn(core.StateReady)}, statusReady},
		{"ready, finesse in service", model{Agent: agentIn(core.StateReady), System: core.System{Status: core.InService}}, statusReady},
		{"ready but finesse out of service", model{Agent: agentIn(core.StateReady), System: core.System{Status: core.OutOfService}}, statusOffline},
		{"not ready", model{Agent: agentIn(core.StateNotReady)}, statusNotReady},
		{"reserved", model{Agent: agentIn(core.StateReserved)}, statusRinging},
		{"talking", model{Agent: agentIn(core.StateTalking)}, statusTalking},
		{"hold", model{Agent: agentIn(core.StateHold)}, statusHeld},
		{"work", model{Agent: agentIn(core.StateWork)}, statusWrapUp},
		{"work ready", model{Agent: agentIn(core.StateWorkReady)}, statusWrapUp},
		{"ringing dialog wins over not ready", model{Agent: agentIn(core.StateNotReady),
			Dialogs: []core.Dialog{dialogAs("1", core.PartAlerting)}}, statusRinging},
		{"ringing consult wins over talking", model{Agent: agentIn(core.StateTalking),
			Dialogs: []core.Dialog{dialogAs("1", core.PartHeld), dialogAs("2", core.PartAlerting)}}, statusRinging},
		{"held call is held, not talking", model{Agent: agentIn(core.StateNotReady),
			Dialogs: []core.Dialog{dialogAs("1", core.PartHeld)}}, statusHeld},
		{"consult talking while the customer is held", model{Agent: agentIn(core.StateTalking),
			Dialogs: []core.Dialog{dialogAs("1", core.PartHeld), dialogAs("2", core.PartActive)}}, statusTalking},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := statusOf(tt.m); got != tt.want {
				t.Errorf("statusOf = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestStatusColorsDistinct(t *testing.T) {
	t.Parallel()
	seen := map[string]status{}
	for s := statusOffline; s <= statusWrapUp; s++ {
		c := statusColor(s)
		key := string([]byte{c.R, c.G, c.B})
		if other, dup := seen[key]; dup {
			t.Errorf("statusColor(%v) = statusColor(%v) = %v; want distinct colours", s, other, c)
		}
		seen[key] = s
	}
}

func TestStateLineAndPending(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		a             core.Agent
		line, pending string
	}{
		{"ready", core.Agent{State: core.StateReady}, "Ready", ""},
		{"not ready with reason", core.Agent{State: core.StateNotReady, ReasonCodeID: "12", ReasonLabel: "Lunch"}, "Not Ready – Lunch", ""},
		{"talking, pending not ready", core.Agent{State: core.StateTalking, PendingState: core.StateNotReady}, "Talking", "Next: Not Ready"},
		{"pending equals state", core.Agent{State: core.StateReady, PendingState: core.StateReady}, "Ready", ""},
		{"empty state", core.Agent{}, "Logged out", ""},
		{"unknown future state", core.Agent{State: "BREAK"}, "BREAK", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := stateLine(tt.a); got != tt.line {
				t.Errorf("stateLine = %q, want %q", got, tt.line)
			}
			if got := pendingLine(tt.a); got != tt.pending {
				t.Errorf("pendingLine = %q, want %q", got, tt.pending)
			}
		})
	}
}

func TestTimerText(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		since time.Time
		want  string
	}{
		{"zero", time.Time{}, ""},
		{"just now", now, "0:00"},
		{"seconds", now.Add(-7 * time.Second), "0:07"},
		{"minutes", now.Add(-(12*time.Minute + 5*time.Second)), "12:05"},
		{"hours", now.Add(-(2*time.Hour + 3*time.Minute + 4*time.Second)), "2:03:04"},
		{"clock skew in the future", now.Add(5 * time.Second), "0:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := timerText(tt.since, now); got != tt.want {
				t.Errorf("timerText = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEnabledButtons(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		d    core.Dialog
		want []string
	}{
		{"ringing", dialogAs("1", core.PartAlerting, core.ActionAnswer), []string{"Answer"}},
		{"active", dialogAs("1", core.PartActive, core.ActionDrop, core.ActionHold, core.ActionConsultCall, core.ActionSendDTMF, core.ActionTransferSST),
			[]string{"Hold", "End", "Consult", "Direct transfer", "Keypad"}},
		{"held with consult up", dialogAs("1", core.PartHeld, core.ActionRetrieve, core.ActionTransfer, core.ActionConference, core.ActionDrop),
			[]string{"Retrieve", "End", "Transfer", "Conference"}},
		{"nothing allowed", dialogAs("1", core.PartDropped), nil},
		{"unknown action ignored", dialogAs("1", core.PartActive, "PARK"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, enabledButtons(tt.d)); diff != "" {
				t.Errorf("enabledButtons (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCallTexts(t *testing.T) {
	t.Parallel()
	vars := []core.CallVariable{{Name: "callVariable1", Value: ""}, {Name: "callVariable2", Value: "ACC-42"}, {Name: "user.lang", Value: "fr"}}
	tests := []struct {
		name                    string
		d                       core.Dialog
		party, sub, state, vars string
	}{
		{"inbound ringing", core.Dialog{From: "0201234567", To: "5001", CallType: "ACD_IN", QueueName: "Sales", AgentState: core.PartAlerting, Variables: vars},
			"0201234567", "Inbound · Sales", "Ringing", "callVariable2: ACC-42\nuser.lang: fr"},
		{"outbound", core.Dialog{From: "5001", To: "+4420790000", CallType: "OUT", AgentState: core.PartInitiated},
			"+4420790000", "Outbound", "Calling", ""},
		{"consult held", core.Dialog{From: "5001", To: "5002", CallType: "CONSULT", AgentState: core.PartHeld},
			"5002", "Consult", "On hold (consult)", ""},
		{"no numbers", core.Dialog{From: "5001", CallType: "X_NEW", State: core.DialogActive},
			"Unknown caller", "X_NEW", "active", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := []string{otherParty(tt.d, "5001"), callSubtitle(tt.d), callStateLine(tt.d), variablesText(tt.d.Variables)}
			want := []string{tt.party, tt.sub, tt.state, tt.vars}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("party, subtitle, state, variables (-want +got):\n%s", diff)
			}
		})
	}
}

func TestVariablesTextCaps(t *testing.T) {
	t.Parallel()
	var vs []core.CallVariable
	for i := range 10 {
		vs = append(vs, core.CallVariable{Name: "v", Value: string(rune('a' + i))})
	}
	got := variablesText(vs)
	want := "v: a\nv: b\nv: c\nv: d\nv: e\nv: f\n…"
	if got != want {
		t.Errorf("variablesText = %q, want %q", got, want)
	}
}

package core_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

func TestExecuteInvalid(t *testing.T) {
	t.Parallel()
	vars := []core.CallVariable{{Name: "callVariable1", Value: "x"}}
	tests := []struct {
		name string
		cmd  core.Command
		want error
		msg  string // the error must say this
	}{
		{"no kind", core.Command{}, core.ErrInvalidCommand, "kind required"},
		{"unknown kind", core.Command{Kind: "Dance"}, core.ErrInvalidCommand, `"Dance"`},
		{"login no agent", core.Command{Kind: core.CmdLogin, Password: "p", Extension: ext}, core.ErrInvalidCommand, "agent id required"},
		{"login no password", core.Command{Kind: core.CmdLogin, AgentID: agentID, Extension: ext}, core.ErrInvalidCommand, "password required"},
		{"login no extension", core.Command{Kind: core.CmdLogin, AgentID: agentID, Password: "p"}, core.ErrInvalidCommand, "extension required"},
		{"make call no number", core.Command{Kind: core.CmdMakeCall}, core.ErrInvalidCommand, "MakeCall: number required"},
		{"make call blank number", core.Command{Kind: core.CmdMakeCall, Number: "  "}, core.ErrInvalidCommand, "number required"},
		{"make call spaced number", core.Command{Kind: core.CmdMakeCall, Number: "555 1234"}, core.ErrInvalidCommand, "space"},
		{"consult no number", core.Command{Kind: core.CmdConsult, DialogID: "d2"}, core.ErrInvalidCommand, "Consult: number required"},
		{"sst no number", core.Command{Kind: core.CmdSingleStepTransfer, DialogID: "d2"}, core.ErrInvalidCommand, "SingleStepTransfer: number required"},
		{"dtmf no digits", core.Command{Kind: core.CmdSendDTMF, DialogID: "d2"}, core.ErrInvalidCommand, "digits required"},
		{"dtmf bad digit", core.Command{Kind: core.CmdSendDTMF, DialogID: "d2", Digits: "12x"}, core.ErrInvalidCommand, `'x'`},
		{"dtmf lower case", core.Command{Kind: core.CmdSendDTMF, DialogID: "d2", Digits: "a"}, core.ErrInvalidCommand, "0123456789*#ABCD"},
		{"call data none", core.Command{Kind: core.CmdUpdateCallData, DialogID: "d2"}, core.ErrInvalidCommand, "variables required"},
		{"call data no name", core.Command{Kind: core.CmdUpdateCallData, DialogID: "d2",
			Variables: []core.CallVariable{{Name: "a"}, {Value: "v"}}}, core.ErrInvalidCommand, "variable 2: name required"},
		{"wrap-up no reason", core.Command{Kind: core.CmdWrapUp, DialogID: "d3"}, core.ErrInvalidCommand, "wrap-up reason required"},
		{"unknown dialog", core.Command{Kind: core.CmdHold, DialogID: "d404"}, core.ErrNoSuchDialog, "d404"},
		{"hold not allowed", core.Command{Kind: core.CmdHold, DialogID: "d1"}, core.ErrActionNotAllowed,
			"HOLD on dialog d1; allowed now: ANSWER"},
		{"answer not allowed", core.Command{Kind: core.CmdAnswer, DialogID: "d2"}, core.ErrActionNotAllowed,
			"ANSWER on dialog d2; allowed now: HOLD, DROP"},
		{"transfer not allowed", core.Command{Kind: core.CmdTransfer, DialogID: "d2"}, core.ErrActionNotAllowed, "TRANSFER"},
		{"dtmf not allowed", core.Command{Kind: core.CmdSendDTMF, DialogID: "d3", Digits: "1"}, core.ErrActionNotAllowed, "SEND_DTMF"},
		{"call data not allowed", core.Command{Kind: core.CmdUpdateCallData, DialogID: "d1", Variables: vars}, core.ErrActionNotAllowed, "UPDATE_CALL_DATA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := callFixture(t, nil)
			err := f.s.Execute(t.Context(), tt.cmd)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Execute() = %v, want %v saying %q", err, tt.want, tt.msg)
			}
			if n := f.port.Calls("Send"); n != 0 {
				t.Errorf("port.Send called %d times, want 0", n)
			}
		})
	}
}

func TestExecuteNotLoggedIn(t *testing.T) {
	t.Parallel()
	cmds := []core.Command{
		{Kind: core.CmdReady}, {Kind: core.CmdNotReady}, {Kind: core.CmdLogout},
		{Kind: core.CmdMakeCall, Number: "1"}, {Kind: core.CmdAnswer},
		{Kind: core.CmdWrapUp, WrapUpReason: "x"},
	}
	for _, st := range []core.AgentState{"", core.StateLogout, core.StateUnknown} {
		f := newFixture(t, nil)
		if st != "" {
			f.s.Apply(coretest.AgentUpdate(coretest.Agent(agentID, "", st)))
		}
		for _, cmd := range cmds {
			if err := f.s.Execute(t.Context(), cmd); !errors.Is(err, core.ErrNotLoggedIn) {
				t.Errorf("agent %q: Execute(%s) = %v, want ErrNotLoggedIn", st, cmd.Kind, err)
			}
		}
		if n := f.port.Calls("Send"); n != 0 {
			t.Errorf("port.Send called %d times, want 0", n)
		}
	}
}

// TestResolveDialog checks which dialog an empty DialogID picks.
func TestResolveDialog(t *testing.T) {
	t.Parallel()
	dialing := coretest.Dialog("d4", ext, "5002", core.PartInitiated, core.ActionDrop, core.ActionUpdateCallData)
	wrapUp := coretest.Dialog("d5", ext, caller, core.PartWrapUp, core.ActionUpdateCallData)
	tests := []struct {
		name    string
		dialogs []core.Dialog
		cmd     core.Command
		want    string // dialog id sent, or "" for ErrNoSuchDialog
	}{
		{"answer the ringing one", []core.Dialog{active, alerting, held}, core.Command{Kind: core.CmdAnswer}, "d1"},
		{"hold the active one", []core.Dialog{alerting, active, held}, core.Command{Kind: core.CmdHold}, "d2"},
		{"release the active one", []core.Dialog{active, held}, core.Command{Kind: core.CmdRelease}, "d2"},
		{"release while dialing", []core.Dialog{held, dialing}, core.Command{Kind: core.CmdRelease}, "d4"},
		{"consult from the active one", []core.Dialog{held, active}, core.Command{Kind: core.CmdConsult, Number: "5002"}, "d2"},
		{"dtmf on the active one", []core.Dialog{active, held}, core.Command{Kind: core.CmdSendDTMF, Digits: "1"}, "d2"},
		{"sst the active one", []core.Dialog{active}, core.Command{Kind: core.CmdSingleStepTransfer, Number: "5003"}, "d2"},
		{"retrieve the held one", []core.Dialog{held, active}, core.Command{Kind: core.CmdRetrieve}, "d3"},
		{"transfer the held one", []core.Dialog{held, active}, core.Command{Kind: core.CmdTransfer}, "d3"},
		{"conference the held one", []core.Dialog{active, held}, core.Command{Kind: core.CmdConference}, "d3"},
		{"wrap-up the one in wrap-up", []core.Dialog{wrapUp, active}, core.Command{Kind: core.CmdWrapUp, WrapUpReason: "x"}, "d5"},
		{"wrap-up the most recent", []core.Dialog{held, active}, core.Command{Kind: core.CmdWrapUp, WrapUpReason: "x"}, "d2"},
		{"nothing to answer", []core.Dialog{active}, core.Command{Kind: core.CmdAnswer}, ""},
		{"nothing to retrieve", []core.Dialog{active}, core.Command{Kind: core.CmdRetrieve}, ""},
		{"no dialogs", nil, core.Command{Kind: core.CmdHold}, ""},
		{"no dialog to wrap up", nil, core.Command{Kind: core.CmdWrapUp, WrapUpReason: "x"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, nil)
			f.login()
			for _, d := range tt.dialogs {
				f.s.Apply(coretest.DialogUpdate(d))
			}
			f.reply(func(cmd core.Command) []core.Update {
				return coretest.Echo(cmd, coretest.DialogUpdate(active))
			})
			err := f.s.Execute(t.Context(), tt.cmd)
			if tt.want == "" {
				if !errors.Is(err, core.ErrNoSuchDialog) || !strings.Contains(err.Error(), "no call is") {
					t.Errorf("Execute() = %v, want ErrNoSuchDialog saying which call is missing", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Execute() = %v", err)
			}
			if got := f.port.Sent()[0].DialogID; got != tt.want {
				t.Errorf("sent dialog %q, want %q", got, tt.want)
			}
		})
	}
}

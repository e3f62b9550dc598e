package core_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// TestShorthands checks that each method sends the Command it stands for.
func TestShorthands(t *testing.T) {
	t.Parallel()
	vars := []core.CallVariable{{Name: "callVariable1", Value: "x"}}
	tests := []struct {
		name string
		call func(ctx context.Context, s *core.Session) error
		want core.Command
	}{
		{"Logout", func(ctx context.Context, s *core.Session) error { return s.Logout(ctx, "3") },
			core.Command{Kind: core.CmdLogout, ReasonCodeID: "3"}},
		{"SetState NOT_READY", func(ctx context.Context, s *core.Session) error {
			return s.SetState(ctx, core.StateNotReady, "4")
		}, core.Command{Kind: core.CmdNotReady, ReasonCodeID: "4"}},
		{"SetState LOGOUT", func(ctx context.Context, s *core.Session) error {
			return s.SetState(ctx, core.StateLogout, "5")
		}, core.Command{Kind: core.CmdLogout, ReasonCodeID: "5"}},
		{"MakeCall", func(ctx context.Context, s *core.Session) error { return s.MakeCall(ctx, "+15551234") },
			core.Command{Kind: core.CmdMakeCall, Number: "+15551234"}},
		{"Answer", func(ctx context.Context, s *core.Session) error { return s.Answer(ctx, "d1") },
			core.Command{Kind: core.CmdAnswer, DialogID: "d1"}},
		{"Hold", func(ctx context.Context, s *core.Session) error { return s.Hold(ctx, "d2") },
			core.Command{Kind: core.CmdHold, DialogID: "d2"}},
		{"Retrieve", func(ctx context.Context, s *core.Session) error { return s.Retrieve(ctx, "d3") },
			core.Command{Kind: core.CmdRetrieve, DialogID: "d3"}},
		{"Release", func(ctx context.Context, s *core.Session) error { return s.Release(ctx, "d2") },
			core.Command{Kind: core.CmdRelease, DialogID: "d2"}},
		{"Consult", func(ctx context.Context, s *core.Session) error { return s.Consult(ctx, "d2", "5002") },
			core.Command{Kind: core.CmdConsult, DialogID: "d2", Number: "5002"}},
		{"Transfer", func(ctx context.Context, s *core.Session) error { return s.Transfer(ctx, "d3") },
			core.Command{Kind: core.CmdTransfer, DialogID: "d3"}},
		{"Conference", func(ctx context.Context, s *core.Session) error { return s.Conference(ctx, "d3") },
			core.Command{Kind: core.CmdConference, DialogID: "d3"}},
		{"SingleStepTransfer", func(ctx context.Context, s *core.Session) error {
			return s.SingleStepTransfer(ctx, "d2", "5003")
		}, core.Command{Kind: core.CmdSingleStepTransfer, DialogID: "d2", Number: "5003"}},
		{"SendDTMF", func(ctx context.Context, s *core.Session) error { return s.SendDTMF(ctx, "d2", "*9") },
			core.Command{Kind: core.CmdSendDTMF, DialogID: "d2", Digits: "*9"}},
		{"UpdateCallData", func(ctx context.Context, s *core.Session) error { return s.UpdateCallData(ctx, "d2", vars) },
			core.Command{Kind: core.CmdUpdateCallData, DialogID: "d2", Variables: vars}},
		{"SetWrapUp", func(ctx context.Context, s *core.Session) error { return s.SetWrapUp(ctx, "d3", "Sale") },
			core.Command{Kind: core.CmdWrapUp, DialogID: "d3", WrapUpReason: "Sale"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := callFixture(t, nil)
			f.reply(func(cmd core.Command) []core.Update { return coretest.Echo(cmd, coretest.DialogUpdate(active)) })
			if err := tt.call(t.Context(), f.s); err != nil {
				t.Fatalf("%s() = %v", tt.name, err)
			}
			got := f.port.Sent()
			if len(got) != 1 {
				t.Fatalf("sent %d commands, want 1", len(got))
			}
			got[0].RequestID = ""
			if diff := cmp.Diff(tt.want, got[0]); diff != "" {
				t.Errorf("sent command mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

package coretest_test

import (
	"errors"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

func newSession(t *testing.T) (*core.Session, *coretest.Finesse) {
	t.Helper()
	fin := coretest.NewFinesse("1001")
	s := core.NewSession(core.Config{Port: fin.Port(), Logger: slog.New(slog.DiscardHandler)})
	fin.Attach(s)
	if err := s.Login(t.Context(), core.LoginRequest{AgentID: "1001", Password: "pw", Extension: "5001"}); err != nil {
		t.Fatalf("Login() = %v", err)
	}
	return s, fin
}

func dialogIDs(s *core.Session) []string {
	var ids []string
	for _, d := range s.Snapshot().Dialogs {
		ids = append(ids, d.ID)
	}
	return ids
}

// TestFinesseClassicFlow drives a real session through a whole call with
// a consult transfer.
func TestFinesseClassicFlow(t *testing.T) {
	t.Parallel()
	s, fin := newSession(t)
	ctx := t.Context()
	steps := []struct {
		name  string
		do    func() error
		state core.AgentState
		want  []string // dialog ids afterwards
	}{
		{"ready", func() error { return s.SetState(ctx, core.StateReady, "") }, core.StateReady, nil},
		{"call offered", func() error {
			fin.Incoming("6125551234", core.CallVariable{Name: "callVariable1", Value: "acct"})
			return nil
		},
			core.StateReserved, []string{"1001"}},
		{"answer", func() error { return s.Answer(ctx, "") }, core.StateTalking, []string{"1001"}},
		{"hold", func() error { return s.Hold(ctx, "") }, core.StateTalking, []string{"1001"}},
		{"retrieve", func() error { return s.Retrieve(ctx, "") }, core.StateTalking, []string{"1001"}},
		{"dtmf", func() error { return s.SendDTMF(ctx, "", "12#") }, core.StateTalking, []string{"1001"}},
		{"consult", func() error { return s.Consult(ctx, "", "5002") }, core.StateTalking, []string{"1001", "1002"}},
		{"transfer", func() error { return s.Transfer(ctx, "1001") }, core.StateNotReady, nil},
		{"second call", func() error { fin.Incoming("6125550000"); return nil }, core.StateNotReady, []string{"1003"}},
		{"answer it", func() error { return s.Answer(ctx, "1003") }, core.StateTalking, []string{"1003"}},
		{"wrap-up", func() error { return s.SetWrapUp(ctx, "", "Sale") }, core.StateTalking, []string{"1003"}},
		{"caller hangs up", func() error { fin.Hangup("1003"); return nil }, core.StateNotReady, nil},
		{"make call", func() error { return s.MakeCall(ctx, "5003") }, core.StateTalking, []string{"1004"}},
		{"release", func() error { return s.Release(ctx, "") }, core.StateNotReady, nil},
		{"logout", func() error { return s.Logout(ctx, "") }, core.StateLogout, nil},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := s.Snapshot().Agent.State; got != st.state {
			t.Errorf("%s: agent %s, want %s", st.name, got, st.state)
		}
		if diff := cmp.Diff(st.want, dialogIDs(s)); diff != "" {
			t.Errorf("%s: dialogs mismatch (-want +got):\n%s", st.name, diff)
		}
	}
}

func TestFinesseConference(t *testing.T) {
	t.Parallel()
	s, fin := newSession(t)
	ctx := t.Context()
	id := fin.Incoming("6125551234")
	if err := s.Answer(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := s.Consult(ctx, id, "5002"); err != nil {
		t.Fatal(err)
	}
	if err := s.Conference(ctx, ""); err != nil {
		t.Fatalf("Conference() = %v", err)
	}
	snap := s.Snapshot()
	if len(snap.Dialogs) != 1 || len(snap.Dialogs[0].Participants) != 3 || snap.Dialogs[0].AgentState != core.PartActive {
		t.Errorf("after conference: %+v, want one active dialog with 3 participants", snap.Dialogs)
	}
}

func TestFinesseRefuse(t *testing.T) {
	t.Parallel()
	s, fin := newSession(t)
	fin.Refuse(core.CmdReady, &core.FinesseError{Type: "Invalid State", Message: "CF_INVALID_AGENT_STATE"})
	err := s.SetState(t.Context(), core.StateReady, "")
	var fe *core.FinesseError
	if !errors.As(err, &fe) || fe.Type != "Invalid State" {
		t.Errorf("SetState(READY) = %v, want the refusal", err)
	}
	fin.Refuse(core.CmdReady, nil)
	if err := s.SetState(t.Context(), core.StateReady, ""); err != nil {
		t.Errorf("SetState(READY) after the refusal is lifted = %v", err)
	}
}

func TestFinesseReasons(t *testing.T) {
	t.Parallel()
	s, fin := newSession(t)
	if err := s.SetState(t.Context(), core.StateNotReady, "2"); err != nil {
		t.Fatal(err)
	}
	if got := fin.Agent().ReasonCodeID; got != "2" {
		t.Errorf("reason = %q, want 2", got)
	}
	codes, err := s.ReasonCodes(t.Context(), core.CategoryNotReady)
	if err != nil || len(codes) != 2 {
		t.Errorf("ReasonCodes() = %v, %v", codes, err)
	}
}

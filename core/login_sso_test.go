package core_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
)

// A single sign-on Login carries no password: the port signs in with its
// SSO session. Without SSO the password stays required (TestExecuteInvalid).
func TestLoginSSO(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.reply(func(cmd core.Command) []core.Update {
		return []core.Update{agentIn(core.StateNotReady, "")}
	})
	if err := f.s.Login(t.Context(), core.LoginRequest{AgentID: agentID, Extension: ext, SSO: true}); err != nil {
		t.Fatalf("Login(SSO) = %v, want nil", err)
	}
	want := core.Command{Kind: core.CmdLogin, AgentID: agentID, Extension: ext, SSO: true}
	got := f.port.Sent()[0]
	got.RequestID = ""
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sent command mismatch (-want +got):\n%s", diff)
	}
}

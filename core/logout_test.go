package core_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// ucceLogout answers like UCCE: LOGOUT only from NOT_READY, else a
// synchronous 400 Invalid State.
func ucceLogout(f *fixture, notReadyErr error) (sent func() []core.CommandKind) {
	var (
		mu    sync.Mutex
		kinds []core.CommandKind
	)
	f.port.SendFunc = func(_ context.Context, cmd core.Command) error {
		mu.Lock()
		kinds = append(kinds, cmd.Kind)
		mu.Unlock()
		a := f.s.Snapshot().Agent
		switch cmd.Kind {
		case core.CmdNotReady:
			if notReadyErr != nil {
				return notReadyErr
			}
			a.State = core.StateNotReady
		case core.CmdLogout:
			if a.State != core.StateNotReady {
				return &core.FinesseError{Status: 400, Type: "Invalid State", Message: "logout needs NOT_READY"}
			}
			a.State = core.StateLogout
		}
		go f.s.Apply(coretest.Echo(cmd, coretest.AgentUpdate(a))[0])
		return nil
	}
	return func() []core.CommandKind {
		mu.Lock()
		defer mu.Unlock()
		return append([]core.CommandKind(nil), kinds...)
	}
}

func TestLogoutFromReadyGoesNotReadyFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.s.Apply(coretest.AgentUpdate(coretest.Agent(agentID, ext, core.StateReady)))
	sent := ucceLogout(f, nil)
	if err := f.s.Logout(context.Background(), "21"); err != nil {
		t.Fatalf("Logout from READY: %v", err)
	}
	want := []core.CommandKind{core.CmdLogout, core.CmdNotReady, core.CmdLogout}
	if diff := cmp.Diff(want, sent()); diff != "" {
		t.Errorf("commands sent (-want +got):\n%s", diff)
	}
	if st := f.s.Snapshot().Agent.State; st != core.StateLogout {
		t.Errorf("agent state = %s, want LOGOUT", st)
	}
}

func TestLogoutNotReadyRefusedSaysWhy(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.s.Apply(coretest.AgentUpdate(coretest.Agent(agentID, ext, core.StateReady)))
	required := &core.FinesseError{Status: 400, Type: "Parameter Missing", Message: "reasonCodeId is required"}
	ucceLogout(f, required)
	err := f.s.Logout(context.Background(), "")
	if !errors.As(err, new(*core.FinesseError)) || !strings.Contains(err.Error(), "Not Ready first") || !strings.Contains(err.Error(), "reasonCodeId") {
		t.Errorf("err = %v, want the NotReady refusal explained", err)
	}
}

func TestLogoutFromNotReadyIsOneRequest(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.login()
	sent := ucceLogout(f, nil)
	if err := f.s.Logout(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]core.CommandKind{core.CmdLogout}, sent()); diff != "" {
		t.Errorf("commands sent (-want +got):\n%s", diff)
	}
}

package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/agentlink/agentlink/core"
)

func TestLoginMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string // a phrase the message must contain
	}{
		{"nil", nil, ""},
		{"wrong password from finesse", &core.FinesseError{Status: 401, Type: "Unauthorized"}, "Wrong agent ID or password"},
		{"locked from finesse", &core.FinesseError{Status: 401, Message: "ACCOUNT_LOCKED"}, "locked"},
		{"wrapped unreachable", fmt.Errorf("dial side A: %w", core.ErrUnreachable), "Cannot reach the Finesse server"},
		{"untrusted certificate", fmt.Errorf("tls: %w", core.ErrUntrustedCertificate), "certificate is not trusted"},
		{"out of service 503", &core.FinesseError{Status: 503}, "out of service"},
		{"other", errors.New("boom"), "Sign in failed: something went wrong"},
		{"another agent", fmt.Errorf("Login: %w", core.ErrOtherAgent), "Another agent is signed in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := loginMessage(tt.err)
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("loginMessage(%v) = %q, want it to contain %q", tt.err, got, tt.want)
			}
		})
	}
}

func TestCommandMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"timeout", core.ErrCommandTimeout, "Answer failed: Finesse did not confirm it in time. Check the state shown before trying again."},
		{"ctx deadline", context.DeadlineExceeded, "Answer failed: Finesse did not confirm it in time. Check the state shown before trying again."},
		{"not allowed", fmt.Errorf("%w: ANSWER (allowed now: DROP)", core.ErrActionNotAllowed), "Answer failed: Finesse does not allow that right now."},
		{"gone", core.ErrNoSuchDialog, "Answer failed: that call has already ended."},
		{"finesse invalid state", &core.FinesseError{Status: 400, Type: "Invalid State", Message: "CF_INVALID_STATE"}, "Answer failed: Finesse does not allow that in your current state."},
		{"finesse CTI code stays in the log", &core.FinesseError{Type: "Generic Error", Message: "CF_INVALID_OBJECT_STATE"}, "Answer failed: Finesse refused it; the details are in the AgentLink log."},
		{"finesse words", &core.FinesseError{Type: "Generic Error", Message: "Agent is busy"}, "Answer failed: Finesse said Agent is busy."},
		{"technical error stays in the log", errors.New("finesse: malformed payload: XML syntax error"), "Answer failed: something went wrong; the details are in the AgentLink log."},
		{"other agent", fmt.Errorf("Login: %w (agent 1001)", core.ErrOtherAgent), "Answer failed: another agent is signed in here; sign them out first."},
		{"invalid command keeps detail", fmt.Errorf("%w: number required", core.ErrInvalidCommand), "Answer failed: invalid command: number required"},
		{"not logged in", core.ErrNotLoggedIn, "Answer failed: you are not signed in."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := commandMessage("Answer", tt.err); got != tt.want {
				t.Errorf("commandMessage = %q, want %q", got, tt.want)
			}
		})
	}
}

type fakeSecrets struct {
	avail  error
	mu     sync.Mutex // guards stored
	stored map[string]string
	setErr error
}

func (f *fakeSecrets) get(id string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.stored[id]
}

func (f *fakeSecrets) Password(id string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.avail != nil {
		return "", f.avail
	}
	pw, ok := f.stored[id]
	if !ok {
		return "", ErrNoSecret
	}
	return pw, nil
}

func (f *fakeSecrets) SetPassword(id, pw string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.setErr != nil {
		return f.setErr
	}
	f.stored[id] = pw
	return nil
}

func (f *fakeSecrets) Available() error { return f.avail }

func TestKeychainNote(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		s    Secrets
		want string
	}{
		{"no secrets", nil, "asked each time"},
		{"no keychain", &fakeSecrets{avail: fmt.Errorf("%w: no secret service on the session bus", ErrNoKeychain)}, "no secret service on the session bus"},
		{"available", &fakeSecrets{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := keychainNote(tt.s)
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("keychainNote = %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

func TestAsyncErrorMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e    core.FinesseError
		want string
	}{
		{core.FinesseError{Type: "Generic Error", Message: "CF_RESOURCE_OUT_OF_SERVICE"}, "Finesse reported an error: CF_RESOURCE_OUT_OF_SERVICE."},
		{core.FinesseError{Type: "Invalid State"}, "Finesse reported an error: Invalid State."},
		{core.FinesseError{}, "Finesse reported an error: no details."},
	}
	for _, tt := range tests {
		if got := asyncErrorMessage(&tt.e); got != tt.want {
			t.Errorf("asyncErrorMessage(%+v) = %q, want %q", tt.e, got, tt.want)
		}
	}
}

func TestSignedOutStatus(t *testing.T) {
	t.Parallel()
	forced := agentIn(core.StateLogout)
	forced.ReasonCodeID = core.ForcedLogoutReason
	tests := []struct {
		name string
		m    model
		want string
	}{
		{"fresh start", model{System: core.System{Status: core.OutOfService, Reason: "not connected to Finesse yet"}},
			"Finesse: not connected to Finesse yet"},
		{"forced logout wins", model{Agent: forced, System: core.System{Status: core.OutOfService, Reason: "x"}},
			"Finesse signed you out because it lost contact with this computer (reason 255)."},
		{"plain sign-out", model{Agent: agentIn(core.StateLogout), System: core.System{Status: core.InService}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := signedOutStatus(tt.m); got != tt.want {
				t.Errorf("signedOutStatus = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLoginInputValidate(t *testing.T) {
	t.Parallel()
	full := loginInput{SideA: "fa", AgentID: "1001", Password: "pw", Extension: "5001"}
	tests := []struct {
		name     string
		in       loginInput
		editable bool
		want     string
	}{
		{"complete", full, true, ""},
		{"no side A, hosts fixed", loginInput{AgentID: "1001", Password: "pw", Extension: "5001"}, false, ""},
		{"no side A, hosts editable", loginInput{AgentID: "1001", Password: "pw", Extension: "5001"}, true, "enter the Finesse side A host"},
		{"no agent", loginInput{SideA: "fa", Password: "pw", Extension: "5001"}, true, "enter your agent ID"},
		{"no password", loginInput{SideA: "fa", AgentID: "1001", Extension: "5001"}, true, "enter your password"},
		{"no extension", loginInput{SideA: "fa", AgentID: "1001", Password: "pw"}, true, "enter your phone extension"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.in.validate(tt.editable)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("validate = %q, want %q", got, tt.want)
			}
		})
	}
}

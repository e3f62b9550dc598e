package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/agentlink/agentlink/core"
)

// Without SSO the form has no SSO button; with it, the button runs the
// browser sign-in for the typed agent, then a Login with SSO and no
// password.
func TestLoginFormSignInWithSSO(t *testing.T) {
	t.Run("no SSO", func(t *testing.T) {
		f := newFixture(t, fixtureOpts{answer: finesse})
		if f.s.login.sso != nil {
			t.Fatal("SSO button shown without SSO")
		}
	})
	t.Run("SSO", func(t *testing.T) {
		agents := make(chan string, 1)
		release := make(chan struct{})
		f := newFixture(t, fixtureOpts{answer: finesse, signInSSO: func(_ context.Context, agent string) error {
			agents <- agent
			<-release // the agent is still in the browser
			return nil
		}})
		if f.s.login.sso == nil {
			t.Fatal("no SSO button")
		}
		f.tap(f.s.login.sso)
		f.waitFor("the browser hint", func() bool { return f.s.login.status.Text == ssoWaitText })
		close(release)
		if got := <-agents; got != "1001" {
			t.Fatalf("SignInSSO(%q), want 1001", got)
		}
		cmd := f.sent(1)
		if cmd.Kind != core.CmdLogin || !cmd.SSO || cmd.Password != "" || cmd.AgentID != "1001" || cmd.Extension != "5001" {
			t.Fatalf("login sent = %+v, want an SSO login of 1001 on 5001 without a password", cmd)
		}
	})
	t.Run("SSO refused", func(t *testing.T) {
		f := newFixture(t, fixtureOpts{answer: finesse, signInSSO: func(context.Context, string) error {
			return fmt.Errorf("finesse: %w", core.ErrSignInExpired)
		}})
		f.tap(f.s.login.sso)
		f.waitFor("the error", func() bool { return strings.Contains(f.s.login.errMsg.Text, "single sign-on") })
		if n := len(f.port.Sent()); n != 0 {
			t.Fatalf("%d commands sent after a failed SSO sign-in", n)
		}
	})
}

func TestLoginMessageSSO(t *testing.T) {
	for _, err := range []error{core.ErrSSORequired, core.ErrSignInExpired} {
		if m := loginMessage(fmt.Errorf("x: %w", err)); !strings.Contains(m, "Sign in with SSO") {
			t.Errorf("loginMessage(%v) = %q", err, m)
		}
	}
	// ErrSSORequired wraps the wrong-credentials error: SSO words win.
	both := fmt.Errorf("%w: %w", core.ErrSSORequired, core.ErrWrongCredentials)
	if m := loginMessage(both); strings.Contains(m, "Wrong agent ID") || !errors.Is(both, core.ErrWrongCredentials) {
		t.Errorf("loginMessage(SSO required + wrong credentials) = %q", m)
	}
}

func TestCommandMessageSSOExpired(t *testing.T) {
	m := commandMessage("Ready", fmt.Errorf("x: %w", core.ErrSignInExpired))
	if !strings.Contains(m, "single sign-on session has ended") {
		t.Errorf("commandMessage(ErrSignInExpired) = %q", m)
	}
}

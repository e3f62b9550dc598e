//go:build !nogui

package main

import (
	"errors"
	"io"
	"log/slog"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/agentlink/agentlink/core"
)

// The re-sign-in prompt reaches the agent as a desktop notification, and
// the login form gets its SSO button only when [sso] is configured.
func TestSSOForUIPrompt(t *testing.T) {
	a := test.NewTempApp(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	p := &parts{sso: newSSOWiring(SSOConfig{}, keychain{}, log)}
	if ssoForUI(a, Config{}, p) != nil {
		t.Fatal("SSO sign-in offered without [sso]")
	}
	cfg := Config{SSO: SSOConfig{IDSURL: "https://ids.example.com:8553", ClientID: "agentlink"}}
	p.sso = newSSOWiring(cfg.SSO, keychain{}, log)
	if ssoForUI(a, cfg, p) == nil {
		t.Fatal("no SSO sign-in with [sso]")
	}
	prompt := p.sso.prompt.Load()
	if prompt == nil {
		t.Fatal("no prompt registered")
	}
	want := fyne.NewNotification("AgentLink: sign in again",
		"Your single sign-on session for agent 1001 has ended. Open AgentLink and press \"Sign in with SSO\".")
	test.AssertNotificationSent(t, want, func() { (*prompt)("1001", errors.New("x: "+core.ErrSignInExpired.Error())) })
}

//go:build !nogui

package main

import (
	"context"
	"net/url"

	"fyne.io/fyne/v2"
)

// ssoForUI wires single sign-on to the softphone: the browser opens
// through the desktop, and a session that can no longer be refreshed
// shows a notification asking the agent to sign in again. nil when SSO is
// not configured (the login form then has no SSO button).
func ssoForUI(a fyne.App, cfg Config, p *parts) func(ctx context.Context, agentID string) error {
	if p.sso == nil || !cfg.SSO.Enabled() || p.demo != nil {
		return nil
	}
	open := func(u string) error {
		parsed, err := url.Parse(u)
		if err != nil {
			return err
		}
		return a.OpenURL(parsed)
	}
	p.sso.open.Store(&open)
	prompt := func(agentID string, err error) {
		a.SendNotification(fyne.NewNotification("AgentLink: sign in again",
			"Your single sign-on session for agent "+agentID+" has ended. Open AgentLink and press \"Sign in with SSO\"."))
	}
	p.sso.prompt.Store(&prompt)
	return p.sso.signIn(p.link)
}

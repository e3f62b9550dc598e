package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"golang.org/x/oauth2"

	"github.com/agentlink/agentlink/finesse"
)

// runLoginSSO is agentlink login --sso: the browser sign-in from a
// terminal (headless machines, scripts that prepare a desktop). It prints
// the IdS address to open, waits for the redirect and keeps the session in
// the OS keychain, where the next start (--headless too) finds it.
func runLoginSSO(ctx context.Context, cfg Config, sio stdio, kc keychain, log *slog.Logger) error {
	agent := cfg.Finesse.AgentID
	switch {
	case agent == "":
		return fmt.Errorf("agentlink login --sso needs the agent id: pass --agent or set finesse.agent_id in %s", cfg.fileHint())
	case !cfg.SSO.Enabled():
		return fmt.Errorf("agentlink login --sso needs [sso]: set sso.ids_url and sso.client_id in %s (or --sso-ids-url, --sso-client-id)", cfg.fileHint())
	}
	if err := kc.Available(); err != nil {
		return fmt.Errorf("%w: the single sign-on session could not be kept", err)
	}
	w := newSSOWiring(cfg.SSO, kc, log)
	var stored error = errors.New("IdS gave no tokens")
	lc := w.linkConfig()
	lc.OnTokens = func(agentID string, tok *oauth2.Token) { stored = kc.SetSSOTokens(agentID, tok) }
	fc, err := finesseConfig(cfg, nil, log)
	if err != nil {
		return err
	}
	fc.SSO = lc
	link, err := finesse.NewLink(fc)
	if err != nil {
		return fmt.Errorf("finesse settings: %w", err)
	}
	err = link.SignInSSO(ctx, agent, func(u string) error {
		fmt.Fprintf(sio.err, "Open this address in a web browser on this computer to sign in as agent %s:\n\n  %s\n\n", agent, u)
		return nil
	})
	link.StopSSO()
	if err != nil {
		return err
	}
	if stored != nil {
		return stored
	}
	fmt.Fprintf(sio.out, "Single sign-on session of agent %s stored in the OS keychain (service %q).\n", agent, kc.service)
	return nil
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/zalando/go-keyring"
	"golang.org/x/oauth2"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse"
)

// ssoAccount is the keychain account of an agent's SSO tokens. Agent ids
// never contain '@', so it cannot be another agent's password entry.
func ssoAccount(agentID string) string { return agentID + "@sso" }

// storedTokens is what the keychain holds for an SSO session: the tokens
// live only there (never in a file or the log).
type storedTokens struct {
	Access  string    `json:"access_token"`
	Refresh string    `json:"refresh_token"`
	Expiry  time.Time `json:"expiry"`
}

// SSOTokens returns the agent's stored SSO tokens; errNoPassword when none.
func (k keychain) SSOTokens(agentID string) (*oauth2.Token, error) {
	raw, err := k.get(ssoAccount(agentID))
	if errors.Is(err, keyring.ErrNotFound) {
		return nil, fmt.Errorf("%w: no single sign-on session stored for agent %s", errNoPassword, agentID)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the SSO session of agent %s from the keychain: %w", agentID, err)
	}
	var st storedTokens
	if err := json.Unmarshal([]byte(raw), &st); err != nil || st.Refresh == "" {
		return nil, fmt.Errorf("the SSO session of agent %s in the keychain is unreadable; sign in again", agentID)
	}
	return &oauth2.Token{AccessToken: st.Access, RefreshToken: st.Refresh, Expiry: st.Expiry, TokenType: "Bearer"}, nil
}

// SetSSOTokens stores (or replaces) the agent's SSO tokens.
func (k keychain) SetSSOTokens(agentID string, tok *oauth2.Token) error {
	raw, err := json.Marshal(storedTokens{Access: tok.AccessToken, Refresh: tok.RefreshToken, Expiry: tok.Expiry})
	if err != nil {
		return err
	}
	if err := k.do(func() error { return k.store.Set(k.service, ssoAccount(agentID), string(raw)) }); err != nil {
		return fmt.Errorf("storing the SSO session of agent %s in the keychain: %w", agentID, err)
	}
	return nil
}

// DeleteSSOTokens forgets the agent's SSO tokens; none is not an error.
func (k keychain) DeleteSSOTokens(agentID string) error {
	err := k.do(func() error { return k.store.Delete(k.service, ssoAccount(agentID)) })
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("deleting the SSO session of agent %s from the keychain: %w", agentID, err)
	}
	return nil
}

// ssoWiring connects the link's SSO to the keychain and to the UI's
// prompts. The zero value (no SSO configured) does nothing.
type ssoWiring struct {
	cfg  SSOConfig
	keys keychain
	log  *slog.Logger
	// prompt tells the agent to sign in again (the UI sets it; headless
	// only logs).
	prompt atomic.Pointer[func(agentID string, err error)]
	// open shows a URL in the system browser (the UI sets it; headless
	// logs the URL for the agent to open).
	open atomic.Pointer[func(url string) error]
}

func newSSOWiring(cfg SSOConfig, keys keychain, log *slog.Logger) *ssoWiring {
	return &ssoWiring{cfg: cfg, keys: keys, log: log.With("component", "sso")}
}

// linkConfig is the link's SSO configuration with the keychain and prompt
// hooks.
func (w *ssoWiring) linkConfig() finesse.SSOConfig {
	if !w.cfg.Enabled() {
		return finesse.SSOConfig{}
	}
	return finesse.SSOConfig{
		IDSURL: w.cfg.IDSURL, ClientID: w.cfg.ClientID, RedirectPort: w.cfg.RedirectPort,
		XMPPMechanism: w.cfg.XMPPMechanism,
		OnTokens: func(agentID string, tok *oauth2.Token) {
			if err := w.keys.SetSSOTokens(agentID, tok); err != nil {
				// The session goes on; only a restart will need a new sign-in.
				w.log.Warn("sso tokens not kept", "agent", agentID, "err", err)
			}
		},
		OnSignInNeeded: func(agentID string, err error) {
			_ = w.keys.DeleteSSOTokens(agentID)
			w.log.Warn("single sign-on ended: the agent must sign in again", "agent", agentID, "err", err)
			if f := w.prompt.Load(); f != nil {
				(*f)(agentID, err)
			}
		},
	}
}

// signIn runs the browser sign-in for agentID through the link.
func (w *ssoWiring) signIn(link *finesse.Link) func(ctx context.Context, agentID string) error {
	return func(ctx context.Context, agentID string) error {
		return link.SignInSSO(ctx, agentID, func(u string) error {
			if f := w.open.Load(); f != nil {
				return (*f)(u)
			}
			w.log.Info("open this address in a web browser to sign in", "url", u)
			return nil
		})
	}
}

// restore gives the link the agent's stored SSO session; it reports
// whether there was one.
func (w *ssoWiring) restore(link *finesse.Link, agentID string) bool {
	if !w.cfg.Enabled() || agentID == "" {
		return false
	}
	tok, err := w.keys.SSOTokens(agentID)
	if err != nil {
		if !errors.Is(err, errNoPassword) {
			w.log.Info("stored single sign-on session not used", "agent", agentID, "reason", err.Error())
		}
		return false
	}
	link.SetSSOToken(agentID, tok)
	return true
}

// ssoLogin is autoLogin's SSO path: with a stored session, sign in with
// it; it reports whether it tried.
func ssoLogin(ctx context.Context, p *parts, agent, ext string, log *slog.Logger) bool {
	if p.sso == nil || !p.sso.restore(p.link, agent) {
		return false
	}
	err := p.session.Login(ctx, core.LoginRequest{AgentID: agent, Extension: ext, SSO: true})
	switch {
	case err == nil:
		log.Info("signed in with the stored single sign-on session", "agent", agent, "extension", ext)
	case ctx.Err() == nil:
		log.Warn("signing in at start with the stored single sign-on session failed", "agent", agent, "err", err)
	}
	return true
}

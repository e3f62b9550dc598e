//go:build !nogui

package main

import (
	"context"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/localbridge"
	"github.com/agentlink/agentlink/ui"
)

// signInTimeout bounds a sign-in typed in the app's own prompt.
const signInTimeout = 30 * time.Second

// pairingSource is what promptPairings needs of the bridge
// (*localbridge.Server).
type pairingSource interface {
	PairingRequests() []localbridge.PairingRequest
	DecidePairing(id string, allow bool, scopes ...localbridge.Scope) error
	PairingChanges() <-chan struct{}
}

// promptPairings shows one prompt per pairing request of the bridge until
// ctx ends, and closes the prompts of requests that went away (expired, or
// their toolbar closed).
func promptPairings(ctx context.Context, a fyne.App, b pairingSource, log *slog.Logger) {
	shown := map[string]func(){} // request id -> close its prompt
	for {
		syncPrompts(a, b, shown, log)
		select {
		case <-ctx.Done():
			return
		case <-b.PairingChanges():
		case <-time.After(30 * time.Second): // requests also expire silently
		}
	}
}

// syncPrompts opens a prompt for each new request and closes those of
// requests that are gone.
func syncPrompts(a fyne.App, b pairingSource, shown map[string]func(), log *slog.Logger) {
	live := map[string]bool{}
	for _, r := range b.PairingRequests() {
		live[r.ID] = true
		if _, ok := shown[r.ID]; ok {
			continue
		}
		id := r.ID
		shown[id] = ui.ShowPairingPrompt(a, pairingPrompt(r), func(allow bool, scopes []string) {
			if err := b.DecidePairing(id, allow, toScopes(scopes)...); err != nil {
				log.Info("pairing answer not delivered", "err", err)
			}
		})
	}
	for id, closeFn := range shown {
		if !live[id] {
			closeFn()
			delete(shown, id)
		}
	}
}

// pairingPrompt is what the prompt shows of a pairing request.
func pairingPrompt(r localbridge.PairingRequest) ui.PairingPrompt {
	p := ui.PairingPrompt{Origin: r.Origin, Code: r.Code, Locked: r.ScopesLocked}
	for _, sc := range r.Scopes {
		p.Scopes = append(p.Scopes, string(sc))
	}
	return p
}

// toScopes turns the prompt's ticked names back into scopes; never nil, so
// unticking everything means events only.
func toScopes(names []string) []localbridge.Scope {
	out := []localbridge.Scope{}
	for _, n := range names {
		out = append(out, localbridge.Scope(n))
	}
	return out
}

// signInPrompt returns the bridge's sign-in prompt: the app's own window
// asks for the password, signs in, and keeps the password in the keychain
// when the agent asks it to. The password never reaches the toolbar.
func signInPrompt(a fyne.App, p *parts, log *slog.Logger) func(agentID, extension string) {
	return func(agentID, extension string) {
		ui.ShowSignInPrompt(a, agentID, extension, func(password string, remember bool) error {
			ctx, cancel := context.WithTimeout(context.Background(), signInTimeout)
			defer cancel()
			err := p.session.Execute(ctx, core.Command{Kind: core.CmdLogin, AgentID: agentID, Extension: extension, Password: password})
			if err != nil {
				return err
			}
			if remember {
				if err := p.keys.SetPassword(agentID, password); err != nil {
					log.Warn("password not saved in the keychain", "err", err)
				}
			}
			return nil
		})
	}
}

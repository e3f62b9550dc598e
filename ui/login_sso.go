package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
)

// newSSOButton is "Sign in with SSO" for deployments with single sign-on
// (systemAuthMode SSO or HYBRID): no password, the agent signs in to the
// identity provider in the system browser. nil when the app has no SSO.
func newSSOButton(f *loginForm) *widget.Button {
	if f.s.signInSSO == nil {
		return nil
	}
	return widget.NewButton("Sign in with SSO", f.onSSO)
}

// validateSSO names the first missing field of an SSO sign-in: everything
// but the password.
func (in loginInput) validateSSO(hostsEditable bool) error {
	in.Password = "-" // not used
	return in.validate(hostsEditable)
}

func (f *loginForm) onSSO() {
	in := f.input()
	f.errMsg.SetText("")
	if err := in.validateSSO(f.s.reconnect != nil); err != nil {
		if !f.showHostError(err) {
			f.errMsg.SetText(capitalise(err.Error()) + ".")
		}
		return
	}
	f.showHostError(nil)
	typed := servers{in.SideA, in.SideB}
	hostsChanged := f.s.reconnect != nil && typed != f.s.applied
	f.inBrowser = true
	f.s.command(keyLogin, "Sign in", func(ctx context.Context) error {
		return f.s.signInWithSSO(ctx, in, hostsChanged)
	}, func(err error) {
		f.inBrowser = false
		f.s.errText = ""
		var rerr *reconnectError
		if errors.As(err, &rerr) {
			if !f.showHostError(err) {
				f.errMsg.SetText(capitalise(err.Error()) + ".")
			}
			return
		}
		if hostsChanged {
			f.s.applied = typed
		}
		f.errMsg.SetText(loginMessage(err))
		if err == nil {
			f.s.defaults.SideA, f.s.defaults.SideB = in.SideA, in.SideB
			in.Remember = false // nothing to remember: the tokens are in the keychain already
			rememberSignIn(f.s.app.Preferences(), in, f.s.reconnect != nil)
		}
	})
}

// signInWithSSO applies new hosts if needed, runs the browser sign-in and
// signs the agent in with the SSO session. Runs off the Fyne thread.
func (s *shell) signInWithSSO(ctx context.Context, in loginInput, hostsChanged bool) error {
	if hostsChanged {
		if err := s.reconnect(ctx, in.SideA, in.SideB); err != nil {
			return &reconnectError{err}
		}
	}
	// The agent may take minutes in the browser (the identity provider's
	// own sign-in, MFA): the command's time limit starts after it.
	bctx, cancel := context.WithTimeout(s.ctx, ssoBrowserTimeout)
	defer cancel()
	if err := s.signInSSO(bctx, in.AgentID); err != nil {
		return err
	}
	lctx, cancel2 := context.WithTimeout(s.ctx, commandTimeout)
	defer cancel2()
	return s.sess.Execute(lctx, core.Command{Kind: core.CmdLogin, AgentID: in.AgentID, Extension: in.Extension, SSO: true})
}

// ssoBrowserTimeout bounds the browser part of an SSO sign-in.
const ssoBrowserTimeout = 5 * time.Minute

// ssoWaitText is shown while the sign-in waits for the browser.
const ssoWaitText = "Finish signing in in your web browser…"

// refreshSSO keeps the SSO button and the browser hint in step with the
// form (Fyne thread).
func (f *loginForm) refreshSSO() {
	if f.sso == nil {
		return
	}
	setEnabled(f.sso, !f.s.busy[keyLogin])
	if f.inBrowser && f.s.busy[keyLogin] {
		f.status.SetText(ssoWaitText)
	}
}

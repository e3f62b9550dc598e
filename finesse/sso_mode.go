package finesse

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/agentlink/agentlink/core"
)

// Authentication modes of SystemInfo's systemAuthMode (reference §1.2).
const (
	AuthNonSSO = "NON_SSO"
	AuthSSO    = "SSO"
	AuthHybrid = "HYBRID"
)

// ProbeAuthMode reads systemAuthMode from SystemInfo on the side in use
// without credentials, as Cisco's client integration procedure does before
// any sign-in (step 1). A Finesse that wants credentials even for
// SystemInfo answers 401; the error then says so.
func (l *Link) ProbeAuthMode(ctx context.Context) (string, error) {
	l.mu.Lock()
	n := len(l.sides)
	l.mu.Unlock()
	if n == 0 {
		return "", errNoServer
	}
	info, err := l.rest.systemInfo(ctx, l.endpoint(l.currentSide()), creds{})
	if err != nil {
		return "", err
	}
	return strings.ToUpper(strings.TrimSpace(info.SystemAuthMode)), nil
}

// ssoHint explains a refused password on a Finesse that signs agents in
// through SSO: instead of "wrong password", the agent reads that SSO is
// the way (ErrSSORequired, which still matches ErrWrongCredentials).
func (l *Link) ssoHint(c creds, err error) error {
	if c.sso != nil {
		if errors.Is(err, core.ErrSignInExpired) || !errors.Is(err, core.ErrWrongCredentials) {
			return err
		}
		// The access token was refused (XMPP or REST) and could not be
		// refreshed: a new sign-in is the only way.
		if dead := c.sso.deadErr(); dead != nil {
			return fmt.Errorf("%w (%w)", dead, err)
		}
		if strings.Contains(err.Error(), "xmpp sign-in refused") {
			// Fresh tokens that REST takes and XMPP refuses: the way the
			// token is presented is likely wrong, which nobody documents.
			return fmt.Errorf("%w: Finesse's notification service (XMPP) refused the access token even after a refresh; "+
				"if signing in again does not help, try the other sso.xmpp_mechanism (PLAIN or X-OAUTH2): %w", core.ErrSignInExpired, err)
		}
		return fmt.Errorf("%w: %w", core.ErrSignInExpired, err)
	}
	if !errors.Is(err, core.ErrWrongCredentials) {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	mode, perr := l.ProbeAuthMode(ctx)
	switch {
	case perr != nil:
		if l.cfg.SSO.Enabled() {
			// SystemInfo is closed here, but SSO is configured: say both.
			return fmt.Errorf("%w; if your account uses single sign-on, use Sign in with SSO", err)
		}
		return err
	case mode == AuthSSO:
		return fmt.Errorf("%w (systemAuthMode %s): %w", core.ErrSSORequired, mode, err)
	case mode == AuthHybrid:
		return fmt.Errorf("%w; this Finesse runs HYBRID: if your account uses single sign-on, use Sign in with SSO", err)
	}
	return err
}

// maxAuthRetries bounds how often a refused access token is refreshed and
// tried again on connect: a setting that can never work (the wrong XMPP
// mechanism) must end in a sign-in prompt, not a refresh loop.
const maxAuthRetries = 2

// retryAfterRefusal refreshes the access token after Finesse refused it on
// connect (it may have expired while the machine slept) and reports
// whether the next connect should try the new one.
func (s *ssoSession) retryAfterRefusal() bool {
	s.mu.Lock()
	s.authRetries++
	n := s.authRetries
	s.mu.Unlock()
	return n <= maxAuthRetries && s.refreshNow(s.access())
}

// stopSSORefresh ends the refresher when Run ends: nothing uses the tokens
// any more.
func (l *Link) stopSSORefresh() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cred.sso != nil {
		l.cred.sso.close()
	}
}

// StopSSO stops refreshing the SSO session. Run does it when it ends; a
// link that never runs (agentlink login --sso) calls it itself.
func (l *Link) StopSSO() { l.stopSSORefresh() }

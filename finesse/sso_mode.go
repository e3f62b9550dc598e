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
	if c.sso != nil || !errors.Is(err, core.ErrWrongCredentials) {
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

package finesse

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/agentlink/agentlink/core"
	"github.com/go-resty/resty/v2"
	"github.com/xmppo/go-xmpp"
)

// usable reports whether c can authenticate: a password, or an SSO session.
func (c creds) usable() bool { return c.user != "" && (c.pass != "" || c.sso != nil) }

// authorize puts c on a REST request: Basic with a password, Bearer with
// the SSO access token. It returns the access token it used ("" for Basic),
// so a 401 can tell a stale token from a refreshed one.
func (c creds) authorize(req *resty.Request) string {
	if c.sso == nil {
		if c.user != "" || c.pass != "" { // none at all: an anonymous probe (sso_mode.go)
			req.SetBasicAuth(c.user, c.pass)
		}
		return ""
	}
	tok := c.sso.access()
	req.SetAuthToken(tok) // Authorization: Bearer (TAC doc 215626)
	return tok
}

// ssoRefused turns a 401 under SSO whose session can no longer be refreshed
// into ErrSignInExpired, so the agent is asked to sign in again rather
// than told the password is wrong.
func (c creds) ssoRefused(err error) error {
	if c.sso == nil {
		return err
	}
	var fe *core.FinesseError
	if errors.As(err, &fe) && fe.Status == http.StatusUnauthorized {
		if dead := c.sso.deadErr(); dead != nil {
			return fmt.Errorf("%w (%w)", dead, err)
		}
		return fmt.Errorf("%w: Finesse refused the access token (%w)", core.ErrSignInExpired, err)
	}
	return err
}

// xmppOAuthNS is the namespace X-OAUTH2 clients announce (Google's, the
// only published one).
const xmppOAuthNS = "http://www.google.com/talk/protocol/auth"

// xmppAuth sets the XMPP credentials: the password, or under SSO the
// current access token, as the SASL PLAIN password (default) or through
// X-OAUTH2 (SSOConfig.XMPPMechanism). See sso.go for why this is a setting.
func (c creds) xmppAuth(o *xmpp.Options) {
	if c.sso == nil {
		o.Password = c.pass
		return
	}
	tok := c.sso.access()
	if strings.EqualFold(c.sso.hooks.XMPPMechanism, "X-OAUTH2") {
		o.Mechanism, o.OAuthToken, o.OAuthScope, o.OAuthXmlNs = "X-OAUTH2", tok, "finesse", xmppOAuthNS
		return
	}
	o.Mechanism, o.Password = "PLAIN", tok
}

// loginCreds are the credentials a Login uses: the password it carries, or
// with sso (or without a password) the SSO session of that agent.
func (l *Link) loginCreds(id, password string, sso bool) (creds, error) {
	if password != "" && !sso {
		return creds{user: id, pass: password}, nil
	}
	l.mu.Lock()
	cur := l.cred
	l.mu.Unlock()
	switch {
	case cur.sso != nil && cur.user == id:
		if err := cur.sso.deadErr(); err != nil {
			return creds{}, err
		}
		return cur, nil
	case cur.sso != nil:
		return creds{}, fmt.Errorf("%w: the single sign-on session is agent %s's, not %s's", core.ErrOtherAgent, cur.user, id)
	case sso || l.cfg.SSO.Enabled():
		return creds{}, fmt.Errorf("%w: no single sign-on session: sign in with SSO first", core.ErrInvalidCommand)
	}
	return creds{}, fmt.Errorf("%w: login needs a password", core.ErrInvalidCommand)
}

// xmppAuthError makes "the server offers no mechanism we can use" a
// refusal of the access token under SSO, so it ends in a sign-in error
// that names sso.xmpp_mechanism instead of endless "unreachable" retries.
func (c creds) xmppAuthError(addr string, err error) error {
	if c.sso == nil || err == nil || !strings.Contains(err.Error(), "no viable authentication method") {
		return err
	}
	return fmt.Errorf("%w: xmpp sign-in refused by %s: its SASL mechanisms do not take the access token as sent (%v)",
		core.ErrWrongCredentials, addr, err)
}

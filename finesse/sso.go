package finesse

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Single sign-on (SSO) through Cisco Identity Service (IdS).
//
// What Cisco documents, and what this follows:
//   - SystemInfo's systemAuthMode says NON_SSO, SSO or HYBRID; a client reads
//     it first (developer.cisco.com/docs/finesse/rest-api-with-sso-guide-client-integration,
//     step 1).
//   - IdS is "a light-weight OAuth server" that "supports the Authorization
//     Code Grant flow" (developer.cisco.com/docs/contact-center-express/cisco-identity-service-client-sdk-overview);
//     its authorize endpoint is https://<ids>:8553/ids/v1/oauth/authorize with
//     response_type=code, client_id and redirect_uri (IdS client SDK samples).
//     The token endpoint /ids/v1/oauth/token is the SDK's counterpart and is
//     assumed here, not seen in a document: set SSOConfig.TokenURL if yours
//     differs. Whether IdS checks PKCE is not documented; AgentLink always
//     sends it (RFC 7636), which an OAuth server that ignores it tolerates.
//   - Finesse REST takes "Authorization: Bearer <access token>" (TAC doc
//     215626, "Finesse third-party client integration with SSO").
//   - Refresh "after 75% of the token expiry time is elapsed" (Finesse
//     developer guide, "Single Sign-On—Refresh Existing Access Token").
//   - How the XMPP notification connection authenticates under SSO is not
//     documented anywhere we found: the EventTunnel API takes an "Agent XMPP
//     password" and nothing else, and the Finesse desktop is believed to
//     pass the access token there. AgentLink sends the access token as the
//     SASL PLAIN password by default and X-OAUTH2 when SSOConfig.XMPPMechanism
//     says so; the simulator can be set to either.
//
// Cisco's own guide for thick clients uses Finesse's /desktop/sso/token in an
// embedded browser instead; a desktop app without a web view cannot run
// the IdP's JavaScript, so AgentLink uses the system browser with a
// loopback redirect (RFC 8252), which needs AgentLink registered as an IdS
// client (client id and redirect URL) by the administrator.

// SSOConfig tells the link how to reach Cisco IdS. The zero value means no
// SSO: only password sign-in.
type SSOConfig struct {
	// IDSURL is the IdS base URL, such as https://ids.example.com:8553.
	IDSURL string
	// ClientID is the client id registered at IdS for AgentLink.
	ClientID string
	// RedirectPort is the loopback port of the redirect URL registered at
	// IdS (http://127.0.0.1:<port>/callback); 0 picks a free port, which
	// works only where IdS accepts any loopback port (RFC 8252 §7.3).
	RedirectPort int
	// AuthURL and TokenURL override IDSURL + /ids/v1/oauth/authorize and
	// /ids/v1/oauth/token.
	AuthURL, TokenURL string
	// XMPPMechanism is how the access token authenticates the XMPP
	// notification connection: "PLAIN" (default: the token as password) or
	// "X-OAUTH2".
	XMPPMechanism string
	// SignInTimeout bounds waiting for the browser; default 5 minutes.
	SignInTimeout time.Duration
	// OnTokens receives every new token pair (sign-in and each refresh), to
	// be kept in the OS keychain. Never log its argument.
	OnTokens func(agentID string, tok *oauth2.Token)
	// OnSignInNeeded is called once when the session can no longer be
	// refreshed (refresh token revoked or expired): the agent must sign in
	// again. err says why, in words for the agent.
	OnSignInNeeded func(agentID string, err error)
}

// Enabled reports whether SSO is configured.
func (c SSOConfig) Enabled() bool { return c.IDSURL != "" || c.AuthURL != "" }

// validate checks what a sign-in needs.
func (c SSOConfig) validate() error {
	if !c.Enabled() {
		return nil
	}
	for _, u := range []struct{ field, v string }{{"SSO.IDSURL", c.IDSURL}, {"SSO.AuthURL", c.AuthURL}, {"SSO.TokenURL", c.TokenURL}} {
		if u.v == "" {
			continue
		}
		p, err := url.Parse(u.v)
		if err != nil || p.Host == "" || (p.Scheme != "https" && !(p.Scheme == "http" && isLoopbackHost(p.Hostname()))) {
			return &ConfigError{u.field, fmt.Sprintf("%q must be an https:// URL (http only for a loopback simulator)", u.v)}
		}
	}
	if c.ClientID == "" {
		return &ConfigError{"SSO.ClientID", "required with SSO: the client id registered for AgentLink at Cisco IdS"}
	}
	if c.RedirectPort < 0 || c.RedirectPort > 65535 {
		return &ConfigError{"SSO.RedirectPort", fmt.Sprintf("port %d out of range 0-65535", c.RedirectPort)}
	}
	switch strings.ToUpper(c.XMPPMechanism) {
	case "", "PLAIN", "X-OAUTH2":
	default:
		return &ConfigError{"SSO.XMPPMechanism", fmt.Sprintf("%q: use PLAIN or X-OAUTH2", c.XMPPMechanism)}
	}
	return nil
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// oauth returns the OAuth 2.0 client configuration for redirect.
func (c SSOConfig) oauth(redirect string) *oauth2.Config {
	base := strings.TrimRight(c.IDSURL, "/")
	auth, tok := c.AuthURL, c.TokenURL
	if auth == "" {
		auth = base + "/ids/v1/oauth/authorize"
	}
	if tok == "" {
		tok = base + "/ids/v1/oauth/token"
	}
	return &oauth2.Config{
		ClientID:    c.ClientID,
		RedirectURL: redirect,
		// A public client (RFC 8252 §8.5): no secret, so the id goes in the
		// form body.
		Endpoint: oauth2.Endpoint{AuthURL: auth, TokenURL: tok, AuthStyle: oauth2.AuthStyleInParams},
	}
}

// ssoHTTPClient is the client for IdS requests: the link's TLS settings (a
// lab IdS is usually signed by the same CA as Finesse), no proxy for
// loopback, and a bound on each request.
func ssoHTTPClient(tc *tls.Config) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tc.Clone()
	return &http.Client{Transport: tr, Timeout: 15 * time.Second}
}

// ErrSSONotConfigured is returned by SignInSSO when the link has no IdS.
var ErrSSONotConfigured = errors.New("finesse: single sign-on is not configured (set finesse.sso_ids_url and finesse.sso_client_id)")

// SignInSSO runs the browser sign-in for agentID: it listens on the
// loopback redirect, has open show the IdS authorize URL in the system
// browser, waits for the redirect, exchanges the code (with the PKCE
// verifier) for tokens and gives them to the link, like SetCredentials does
// for a password. The agent is not signed in to the phone: send a Login
// (with no password) for that.
func (l *Link) SignInSSO(ctx context.Context, agentID string, open func(url string) error) error {
	agentID = strings.TrimSpace(agentID)
	if agentID == "" {
		return errors.New("finesse: SSO sign-in needs the agent id")
	}
	tok, err := l.ssoAuthorize(ctx, open)
	if err != nil {
		return err
	}
	if h := l.cfg.SSO.OnTokens; h != nil {
		h(agentID, tok)
	}
	l.SetSSOToken(agentID, tok)
	return nil
}

// ssoAuthorize runs the authorization code flow with PKCE through the
// browser and returns the tokens.
func (l *Link) ssoAuthorize(ctx context.Context, open func(url string) error) (*oauth2.Token, error) {
	c := l.cfg.SSO
	if !c.Enabled() {
		return nil, ErrSSONotConfigured
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(c.RedirectPort)))
	if err != nil {
		return nil, fmt.Errorf("finesse: SSO redirect port 127.0.0.1:%d: %w (another program uses it; the port must match the redirect URL registered at IdS)", c.RedirectPort, err)
	}
	defer ln.Close()
	redirect := "http://" + ln.Addr().String() + "/callback"
	conf := c.oauth(redirect)
	verifier, state := oauth2.GenerateVerifier(), randomState()
	authURL := conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))

	type result struct {
		code string
		err  error
	}
	got := make(chan result, 1)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" {
			http.NotFound(w, r)
			return
		}
		code, err := callbackCode(r.URL.Query(), state)
		writeCallbackPage(w, err)
		select {
		case got <- result{code, err}:
		default: // a second (reloaded) callback: the first one counts
		}
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	if err := open(authURL); err != nil {
		return nil, fmt.Errorf("finesse: SSO: cannot open the browser: %w", err)
	}
	timeout := orDefault(c.SignInTimeout, 5*time.Minute)
	wait, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var res result
	select {
	case res = <-got:
	case <-wait.Done():
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("finesse: SSO sign-in not completed in the browser within %s", timeout)
	}
	if res.err != nil {
		return nil, res.err
	}
	xctx := context.WithValue(ctx, oauth2.HTTPClient, ssoHTTPClient(l.tls))
	tok, err := conf.Exchange(xctx, res.code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("finesse: SSO: IdS refused the sign-in code: %s", oauthReason(err))
	}
	return tok, nil
}

// callbackCode checks the redirect's state and returns its code, or the
// error IdS sent instead.
func callbackCode(q url.Values, state string) (string, error) {
	if e := q.Get("error"); e != "" {
		desc := q.Get("error_description")
		if desc == "" {
			desc = e
		}
		return "", fmt.Errorf("finesse: SSO sign-in refused by IdS: %s", desc)
	}
	if q.Get("state") != state {
		return "", errors.New("finesse: SSO redirect with a wrong state (not the sign-in AgentLink started); try again")
	}
	if q.Get("code") == "" {
		return "", errors.New("finesse: SSO redirect without a code")
	}
	return q.Get("code"), nil
}

func writeCallbackPage(w http.ResponseWriter, err error) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	msg := "Signed in. You can close this tab and return to AgentLink."
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		msg = "Sign-in failed: " + err.Error()
	}
	fmt.Fprintf(w, "<!doctype html><title>AgentLink</title><p>%s</p>", html.EscapeString(msg))
}

func randomState() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// oauthReason is an OAuth error in words, without the response body
// (which could echo what was sent).
func oauthReason(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		s := re.ErrorCode
		if s == "" && re.Response != nil {
			s = re.Response.Status
		}
		if re.ErrorDescription != "" {
			s += ": " + re.ErrorDescription
		}
		return s
	}
	return err.Error()
}

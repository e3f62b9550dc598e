package finessesim

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Cisco Identity Service (IdS) emulation for single sign-on: an OAuth 2.0
// authorization server with the authorization code grant at
// /ids/v1/oauth/authorize and /ids/v1/oauth/token (the paths of Cisco's
// IdS client SDK samples), a login page standing in for the customer's
// IdP, refresh, expiry and revocation. Tokens are opaque random strings:
// real IdS tokens are JWTs (encrypted by default) that clients must not
// parse, so nothing depends on their format.

// SSO authentication modes (SystemInfo systemAuthMode).
const (
	AuthNonSSO = "NON_SSO"
	AuthSSO    = "SSO"
	AuthHybrid = "HYBRID"
)

// SSOConfig configures the emulated IdS and Finesse's authentication mode.
// The zero value is NON_SSO with no IdS.
type SSOConfig struct {
	// AuthMode is SystemInfo's systemAuthMode: NON_SSO (default; Basic
	// only), SSO (Bearer only) or HYBRID (both, for every agent).
	AuthMode string
	// ClientID is the one client registered at IdS; default "agentlink".
	ClientID string
	// RedirectURIs are the exact redirect URIs registered for it. Empty:
	// any http://127.0.0.1 or http://[::1] URI, whatever the port (RFC 8252
	// §7.3).
	RedirectURIs []string
	// AccessTTL and RefreshTTL are the token lifetimes; defaults 1h and 8h.
	AccessTTL, RefreshTTL time.Duration
	// RequirePKCE refuses an authorization request without an S256
	// code_challenge. Whether real IdS checks PKCE is undocumented.
	RequirePKCE bool
	// XMPPMechanism is how XMPP accepts an access token: "PLAIN" (default;
	// the token as the password) or "X-OAUTH2" (only through that
	// mechanism). How real Finesse does it is unverified.
	XMPPMechanism string
	// Addr is where IdS listens (HTTPS); default Config.Host on a random port.
	Addr string
}

// ssoOn reports whether Finesse takes access tokens.
func (c SSOConfig) ssoOn() bool { return c.AuthMode == AuthSSO || c.AuthMode == AuthHybrid }

// passwordsOn reports whether Finesse takes passwords.
func (c SSOConfig) passwordsOn() bool { return c.AuthMode != AuthSSO }

func (c SSOConfig) withDefaults() SSOConfig {
	c.AuthMode = strings.ToUpper(c.AuthMode)
	if c.AuthMode == "" {
		c.AuthMode = AuthNonSSO
	}
	if c.ClientID == "" {
		c.ClientID = "agentlink"
	}
	if c.AccessTTL == 0 {
		c.AccessTTL = time.Hour
	}
	if c.RefreshTTL == 0 {
		c.RefreshTTL = 8 * time.Hour
	}
	c.XMPPMechanism = strings.ToUpper(c.XMPPMechanism)
	if c.XMPPMechanism == "" {
		c.XMPPMechanism = "PLAIN"
	}
	return c
}

func (c SSOConfig) validate() error {
	switch c.AuthMode {
	case AuthNonSSO, AuthSSO, AuthHybrid:
	default:
		return fmt.Errorf("finessesim: SSO auth mode %q: want NON_SSO, SSO or HYBRID", c.AuthMode)
	}
	if c.XMPPMechanism != "PLAIN" && c.XMPPMechanism != "X-OAUTH2" {
		return fmt.Errorf("finessesim: SSO XMPP mechanism %q: want PLAIN or X-OAUTH2", c.XMPPMechanism)
	}
	return nil
}

// idsServer is the running IdS and its grants.
type idsServer struct {
	srv *http.Server
	ln  net.Listener

	mu        sync.Mutex
	codes     map[string]authCode
	access    map[string]grant // access token -> grant
	refresh   map[string]grant // refresh token -> grant
	refreshes map[string]int   // agent -> refresh grants served
}

type authCode struct {
	agent, clientID, redirect, challenge string
	expires                              time.Time
}

type grant struct {
	agent   string
	expires time.Time
}

// startIDS starts the IdS listener (HTTPS with the simulator's CA).
func (s *Sim) startIDS() error {
	c := s.cfg.SSO
	addr := c.Addr
	if addr == "" {
		addr = net.JoinHostPort(s.cfg.Host, "0")
	}
	cert, err := s.pki.leaf(90, s.cfg.Host, "ids.sim.test")
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("finessesim: IdS listen %s: %w", addr, err)
	}
	ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	ids := &idsServer{ln: ln, codes: map[string]authCode{}, access: map[string]grant{},
		refresh: map[string]grant{}, refreshes: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ids/v1/oauth/authorize", s.idsAuthorizePage)
	mux.HandleFunc("POST /ids/v1/oauth/authorize", s.idsAuthorizeSubmit)
	mux.HandleFunc("POST /ids/v1/oauth/token", s.idsToken)
	ids.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.ids = ids
	s.wg.Go(func() { ids.srv.Serve(ln) })
	return nil
}

// IDSURL is the emulated IdS base URL, e.g. https://127.0.0.1:38553.
func (s *Sim) IDSURL() string { return "https://" + s.ids.ln.Addr().String() }

// authRequest is a checked authorization request.
type authRequest struct {
	ClientID, Redirect, State, Challenge, LoginHint string
}

// parseAuthRequest checks client, redirect URI, response type and PKCE.
// Errors that must not be redirected (unknown client or redirect) come
// back as text for the browser (RFC 6749 §4.1.2.1).
func (s *Sim) parseAuthRequest(v url.Values) (authRequest, string) {
	c := s.cfg.SSO
	ar := authRequest{ClientID: v.Get("client_id"), Redirect: v.Get("redirect_uri"), State: v.Get("state"),
		Challenge: v.Get("code_challenge"), LoginHint: v.Get("login_hint")}
	switch {
	case ar.ClientID != c.ClientID:
		return ar, "unknown client_id"
	case !s.redirectAllowed(ar.Redirect):
		return ar, "redirect_uri is not registered for this client"
	case v.Get("response_type") != "code":
		return ar, "response_type must be code"
	case ar.Challenge != "" && v.Get("code_challenge_method") != "S256":
		return ar, "code_challenge_method must be S256"
	case ar.Challenge == "" && c.RequirePKCE:
		return ar, "code_challenge (PKCE) required"
	}
	return ar, ""
}

func (s *Sim) redirectAllowed(u string) bool {
	if len(s.cfg.SSO.RedirectURIs) > 0 {
		for _, r := range s.cfg.SSO.RedirectURIs {
			if u == r {
				return true
			}
		}
		return false
	}
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "http" {
		return false
	}
	ip := net.ParseIP(p.Hostname())
	return ip != nil && ip.IsLoopback()
}

var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<title>Sign in (simulated IdP)</title>
<h1>Sign in</h1>
<form method="post" action="/ids/v1/oauth/authorize">
<input type="hidden" name="client_id" value="{{.ClientID}}">
<input type="hidden" name="redirect_uri" value="{{.Redirect}}">
<input type="hidden" name="state" value="{{.State}}">
<input type="hidden" name="code_challenge" value="{{.Challenge}}">
<input type="hidden" name="code_challenge_method" value="S256">
<input type="hidden" name="response_type" value="code">
<label>User <input name="username" value="{{.LoginHint}}"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button>
</form>`))

// idsAuthorizePage shows the IdP's login form (the IdP is emulated by
// IdS itself: the agents' passwords sign them in).
func (s *Sim) idsAuthorizePage(w http.ResponseWriter, r *http.Request) {
	ar, bad := s.parseAuthRequest(r.URL.Query())
	if bad != "" {
		http.Error(w, bad, http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	loginPage.Execute(w, ar)
}

// idsAuthorizeSubmit checks the login form and redirects to the client
// with a one-time code (valid 60 s), or with error=access_denied.
func (s *Sim) idsAuthorizeSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	ar, bad := s.parseAuthRequest(r.PostForm)
	if bad != "" {
		http.Error(w, bad, http.StatusBadRequest)
		return
	}
	q := url.Values{}
	if ar.State != "" {
		q.Set("state", ar.State)
	}
	user := r.PostForm.Get("username")
	if err := s.checkPassword(user, r.PostForm.Get("password")); err != nil {
		q.Set("error", "access_denied")
		q.Set("error_description", "wrong user or password")
	} else {
		code := randomToken()
		s.ids.mu.Lock()
		s.ids.codes[code] = authCode{agent: user, clientID: ar.ClientID, redirect: ar.Redirect,
			challenge: ar.Challenge, expires: s.now().Add(time.Minute)}
		s.ids.mu.Unlock()
		q.Set("code", code)
	}
	sep := "?"
	if strings.Contains(ar.Redirect, "?") {
		sep = "&"
	}
	http.Redirect(w, r, ar.Redirect+sep+q.Encode(), http.StatusFound)
}

// idsToken is the token endpoint: authorization_code (with the PKCE
// verifier when a challenge was sent) and refresh_token. A refresh rotates
// both tokens; the old refresh token stops working.
func (s *Sim) idsToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, "invalid_request", "bad form")
		return
	}
	f := r.PostForm
	if f.Get("client_id") != s.cfg.SSO.ClientID {
		oauthError(w, "invalid_client", "unknown client_id")
		return
	}
	ids := s.ids
	now := s.now()
	ids.mu.Lock()
	var agent string
	switch f.Get("grant_type") {
	case "authorization_code":
		c, ok := ids.codes[f.Get("code")]
		delete(ids.codes, f.Get("code")) // one use only
		switch {
		case !ok || now.After(c.expires):
			ids.mu.Unlock()
			oauthError(w, "invalid_grant", "unknown or expired code")
			return
		case c.redirect != f.Get("redirect_uri"):
			ids.mu.Unlock()
			oauthError(w, "invalid_grant", "redirect_uri differs from the authorization request")
			return
		case c.challenge != "" && pkceS256(f.Get("code_verifier")) != c.challenge:
			ids.mu.Unlock()
			oauthError(w, "invalid_grant", "PKCE verification failed")
			return
		}
		agent = c.agent
	case "refresh_token":
		g, ok := ids.refresh[f.Get("refresh_token")]
		delete(ids.refresh, f.Get("refresh_token"))
		if !ok || now.After(g.expires) {
			ids.mu.Unlock()
			oauthError(w, "invalid_grant", "refresh token expired or revoked")
			return
		}
		agent = g.agent
		ids.refreshes[agent]++
	default:
		ids.mu.Unlock()
		oauthError(w, "unsupported_grant_type", "")
		return
	}
	at, rt := randomToken(), randomToken()
	ids.access[at] = grant{agent: agent, expires: now.Add(s.cfg.SSO.AccessTTL)}
	ids.refresh[rt] = grant{agent: agent, expires: now.Add(s.cfg.SSO.RefreshTTL)}
	ids.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": at, "token_type": "Bearer", "refresh_token": rt,
		"expires_in": int64(s.cfg.SSO.AccessTTL.Round(time.Second) / time.Second),
	})
}

func oauthError(w http.ResponseWriter, code, desc string) {
	status := http.StatusBadRequest
	if code == "invalid_client" {
		status = http.StatusUnauthorized
	}
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

func pkceS256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func randomToken() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// checkAccessToken returns the agent an unexpired access token belongs to.
func (s *Sim) checkAccessToken(tok string) (string, bool) {
	if s.ids == nil || tok == "" {
		return "", false
	}
	s.ids.mu.Lock()
	defer s.ids.mu.Unlock()
	for t, g := range s.ids.access {
		if subtle.ConstantTimeCompare([]byte(t), []byte(tok)) == 1 {
			return g.agent, s.now().Before(g.expires)
		}
	}
	return "", false
}

// RevokeSSO revokes every access and refresh token of agentID (as an IdS
// administrator or an IdP password change would) and returns how many.
func (s *Sim) RevokeSSO(agentID string) int {
	return s.dropGrants(agentID, true, true)
}

// ExpireSSOAccess makes every access token of agentID expire now; its
// refresh tokens keep working.
func (s *Sim) ExpireSSOAccess(agentID string) int {
	return s.dropGrants(agentID, true, false)
}

func (s *Sim) dropGrants(agentID string, access, refresh bool) int {
	if s.ids == nil {
		return 0
	}
	s.ids.mu.Lock()
	defer s.ids.mu.Unlock()
	n := 0
	for _, m := range []struct {
		on bool
		m  map[string]grant
	}{{access, s.ids.access}, {refresh, s.ids.refresh}} {
		for t, g := range m.m {
			if m.on && g.agent == agentID {
				delete(m.m, t)
				n++
			}
		}
	}
	return n
}

// SSORefreshes is how many refresh grants IdS has served for agentID.
func (s *Sim) SSORefreshes(agentID string) int {
	if s.ids == nil {
		return 0
	}
	s.ids.mu.Lock()
	defer s.ids.mu.Unlock()
	return s.ids.refreshes[agentID]
}

// ctlSSO adapts RevokeSSO / ExpireSSOAccess to the control API.
func (s *Sim) ctlSSO(f func(agentID string) int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			AgentID string `json:"agentId"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.AgentID == "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": `body must be {"agentId":"..."}`})
			return
		}
		if s.ids == nil {
			writeJSON(w, http.StatusConflict, map[string]string{"error": "SSO is off (start with --auth-mode SSO or HYBRID)"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]int{"tokens": f(req.AgentID)})
	}
}

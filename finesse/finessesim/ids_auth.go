package finessesim

import (
	"net/http"
	"strings"

	"mellium.im/sasl"
)

// ssoGate authenticates a REST request under SSO or HYBRID; it reports
// whether it handled the request (answered it, or served it as the
// token's agent). NON_SSO leaves every request to Basic authentication.
//
// Under SSO and HYBRID, SystemInfo also answers without credentials: a
// client must read systemAuthMode before it has any (Cisco's client
// integration procedure, step 1). Under SSO, passwords are refused.
func (n *Node) ssoGate(w http.ResponseWriter, r *http.Request, serve func(user string)) bool {
	c := n.sim.cfg.SSO
	if !c.ssoOn() {
		return false
	}
	h := r.Header.Get("Authorization")
	switch {
	case len(h) > 7 && strings.EqualFold(h[:7], "Bearer "):
		user, ok := n.sim.checkAccessToken(strings.TrimSpace(h[7:]))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			writeAPIError(w, http.StatusUnauthorized, "Authorization Failure", "UNAUTHORIZED", "")
			return true
		}
		serve(user)
		return true
	case h == "" && r.Method == http.MethodGet && r.URL.Path == "/finesse/api/SystemInfo":
		serve("")
		return true
	case !c.passwordsOn():
		w.Header().Set("WWW-Authenticate", `Bearer realm="Finesse"`)
		writeAPIError(w, http.StatusUnauthorized, "Authorization Failure", "UNAUTHORIZED", "")
		return true
	}
	return false
}

// saslMechanisms are the XMPP SASL mechanisms offered: PLAIN (passwords,
// and under SSO with XMPPMechanism PLAIN also access tokens), and
// X-OAUTH2 when tokens must use it. X-OAUTH2 carries the same
// "\x00user\x00token" payload as PLAIN.
func (s *Sim) saslMechanisms() []sasl.Mechanism {
	c := s.cfg.SSO
	if !c.ssoOn() || c.XMPPMechanism != "X-OAUTH2" {
		return []sasl.Mechanism{sasl.Plain}
	}
	xo := sasl.Plain
	xo.Name = "X-OAUTH2"
	if !c.passwordsOn() {
		return []sasl.Mechanism{xo}
	}
	return []sasl.Mechanism{sasl.Plain, xo}
}

// checkXMPP verifies XMPP credentials: an access token of that agent when
// SSO is on, else (or else also, in HYBRID) the password with lock-out.
func (s *Sim) checkXMPP(user, secret string) bool {
	if s.cfg.SSO.ssoOn() {
		if agent, ok := s.checkAccessToken(secret); ok && agent == user {
			return true
		}
		if !s.cfg.SSO.passwordsOn() {
			return false
		}
	}
	return s.checkPassword(user, secret) == nil
}

package main

import (
	"testing"
	"time"
)

func TestParseSSOFlags(t *testing.T) {
	t.Parallel()
	o, err := parseFlags(nil)
	if err != nil {
		t.Fatal(err)
	}
	if o.cfg.SSO.AuthMode != "NON_SSO" {
		t.Errorf("default auth mode = %q", o.cfg.SSO.AuthMode)
	}
	o, err = parseFlags([]string{"--auth-mode", "hybrid", "--sso-client-id", "al", "--sso-access-ttl", "2m",
		"--sso-xmpp-mechanism", "x-oauth2", "--sso-redirect-uri", "http://127.0.0.1:28460/callback", "--sso-require-pkce"})
	if err != nil {
		t.Fatal(err)
	}
	s := o.cfg.SSO
	if s.AuthMode != "HYBRID" || s.ClientID != "al" || s.AccessTTL != 2*time.Minute || s.XMPPMechanism != "X-OAUTH2" ||
		len(s.RedirectURIs) != 1 || !s.RequirePKCE {
		t.Errorf("parsed SSO flags: %+v", s)
	}
	for _, bad := range [][]string{{"--auth-mode", "kerberos"}, {"--sso-xmpp-mechanism", "SCRAM"}} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("parseFlags(%q): got nil error", bad)
		}
	}
}

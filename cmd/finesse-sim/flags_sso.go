package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// ssoFlags registers the single sign-on flags: systemAuthMode and the
// emulated Cisco IdS (finessesim/ids.go).
func ssoFlags(fs *flag.FlagSet, c *finessesim.SSOConfig) {
	fs.StringVar(&c.AuthMode, "auth-mode", "NON_SSO", "systemAuthMode: NON_SSO, SSO (Bearer only) or HYBRID (both); SSO and HYBRID start the emulated IdS")
	fs.StringVar(&c.ClientID, "sso-client-id", "agentlink", "client id registered at the emulated IdS")
	fs.Func("sso-redirect-uri", "registered redirect URI (repeatable; default: any http://127.0.0.1 loopback port)", func(s string) error {
		c.RedirectURIs = append(c.RedirectURIs, s)
		return nil
	})
	fs.DurationVar(&c.AccessTTL, "sso-access-ttl", time.Hour, "access token lifetime")
	fs.DurationVar(&c.RefreshTTL, "sso-refresh-ttl", 8*time.Hour, "refresh token lifetime")
	fs.BoolVar(&c.RequirePKCE, "sso-require-pkce", false, "refuse authorization requests without a PKCE S256 challenge")
	fs.StringVar(&c.XMPPMechanism, "sso-xmpp-mechanism", "PLAIN", "how XMPP takes the access token: PLAIN (as the password) or X-OAUTH2")
	fs.StringVar(&c.Addr, "ids", "", "IdS listen address (default: --host on a random port)")
}

// checkSSOFlags normalises and checks the SSO flags.
func checkSSOFlags(c *finessesim.SSOConfig) error {
	c.AuthMode = strings.ToUpper(c.AuthMode)
	c.XMPPMechanism = strings.ToUpper(c.XMPPMechanism)
	switch c.AuthMode {
	case "NON_SSO", "SSO", "HYBRID":
	default:
		return fmt.Errorf("--auth-mode %q: want NON_SSO, SSO or HYBRID", c.AuthMode)
	}
	if c.XMPPMechanism != "PLAIN" && c.XMPPMechanism != "X-OAUTH2" {
		return fmt.Errorf("--sso-xmpp-mechanism %q: want PLAIN or X-OAUTH2", c.XMPPMechanism)
	}
	return nil
}

// printSSO tells how to reach the emulated IdS.
func printSSO(w io.Writer, sim *finessesim.Sim, c finessesim.SSOConfig) {
	if c.AuthMode == "NON_SSO" {
		return
	}
	fmt.Fprintf(w, "\nSSO (%s): IdS %s  client id %q  XMPP token via %s\n", c.AuthMode, sim.IDSURL(), c.ClientID, c.XMPPMechanism)
	fmt.Fprintf(w, "  AgentLink: --sso-ids-url %s --sso-client-id %s; revoke: POST /sso/revoke {\"agentId\":\"1001\"}\n", sim.IDSURL(), c.ClientID)
}

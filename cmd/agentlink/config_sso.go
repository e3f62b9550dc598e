package main

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"strings"
)

// SSOConfig is the [sso] section: how AgentLink reaches Cisco IdS for
// single sign-on (finesse/sso.go). Without ids_url the app offers only
// password sign-in, and an SSO Finesse says so when a password is refused.
type SSOConfig struct {
	IDSURL        string // https://ids.example.com:8553
	ClientID      string // the client id IdS registered for AgentLink
	RedirectPort  int    // loopback port of the registered redirect URL; 0 = any free port
	XMPPMechanism string // "PLAIN" (the token as the XMPP password) or "X-OAUTH2"
}

// Enabled reports whether SSO is configured.
func (c SSOConfig) Enabled() bool { return c.IDSURL != "" }

// ssoSettings are the [sso] keys (part of [allSettings]).
var ssoSettings = []setting{
	{key: "sso.ids_url", flag: "sso-ids-url", set: setString(func(c *Config, v string) (err error) {
		c.SSO.IDSURL, err = parseIDSURL(v)
		return err
	})},
	{key: "sso.client_id", flag: "sso-client-id", set: setString(func(c *Config, v string) error {
		v = strings.TrimSpace(v)
		if v == "" || strings.ContainsAny(v, " \t&?#") {
			return errors.New("must be the client id registered for AgentLink at Cisco IdS (no spaces, &, ? or #)")
		}
		c.SSO.ClientID = v
		return nil
	})},
	{key: "sso.redirect_port", set: setInt(func(c *Config, v int) (err error) {
		if v < 0 || v > 65535 {
			return errors.New("must be the port of the redirect URL registered at IdS (http://127.0.0.1:<port>/callback), 1-65535, or 0 for any")
		}
		c.SSO.RedirectPort = v
		return nil
	})},
	{key: "sso.xmpp_mechanism", set: setString(func(c *Config, v string) error {
		switch m := strings.ToUpper(strings.TrimSpace(v)); m {
		case "PLAIN", "X-OAUTH2":
			c.SSO.XMPPMechanism = m
			return nil
		}
		return errors.New(`must be "PLAIN" (the access token as the XMPP password) or "X-OAUTH2"`)
	})},
}

// addSSOFlags declares the SSO flags (they override [sso] keys) and
// agentlink login's --sso.
func addSSOFlags(fs *flag.FlagSet, loginSSO *bool) {
	fs.BoolVar(loginSSO, "sso", false, "agentlink login: sign in with single sign-on in a browser and keep the session in the OS keychain")
	fs.String("sso-ids-url", "", "Cisco IdS base URL for single sign-on, e.g. https://ids.example.com:8553")
	fs.String("sso-client-id", "", "client id registered for AgentLink at Cisco IdS")
}

// fileSSO is the [sso] section as written in config.toml.
type fileSSO struct {
	IDSURL        *string `toml:"ids_url"`
	ClientID      *string `toml:"client_id"`
	RedirectPort  *int    `toml:"redirect_port"`
	XMPPMechanism *string `toml:"xmpp_mechanism"`
}

func (f *fileSSO) assignments(as *[]assignment) {
	add(as, "sso.ids_url", f.IDSURL)
	add(as, "sso.client_id", f.ClientID)
	add(as, "sso.redirect_port", f.RedirectPort)
	add(as, "sso.xmpp_mechanism", f.XMPPMechanism)
}

// parseIDSURL checks the IdS base URL: https, a host, nothing after the path.
func parseIDSURL(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil // explicitly no SSO
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", errors.New("must be the IdS base URL, such as https://ids.example.com:8553")
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && isLoopbackHostPort(u.Host)) {
		return "", errors.New("must use https:// (tokens cross it); http:// only for the local simulator")
	}
	return strings.TrimRight(v, "/"), nil
}

// checkSSO reports an [sso] section that cannot work.
func (c Config) checkSSO() error {
	if c.SSO.Enabled() && c.SSO.ClientID == "" {
		return fmt.Errorf("sso.ids_url is set but sso.client_id is not: set it in %s (the client id registered for AgentLink at Cisco IdS) or pass --sso-client-id", c.fileHint())
	}
	return nil
}

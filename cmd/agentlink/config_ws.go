package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/agentlink/agentlink/finesse"
)

// Settings for how notifications travel: finesse.xmpp_transport, and the
// VPN-less reverse proxy of each side (finesse.vpnless_a/_b).

// defaultVPNLessPort is the proxy's HTTPS port when the URL names none.
const defaultVPNLessPort = 443

// parseXMPPTransport accepts "tcp" (XMPP on 5223, the default),
// "websocket" (XMPP over WebSocket on the REST port, /ws) and "auto"
// (WebSocket first, TCP when the server does not answer it, per side).
func parseXMPPTransport(v string) (string, error) {
	switch m := strings.ToLower(strings.TrimSpace(v)); m {
	case "tcp", "websocket", "auto":
		return m, nil
	}
	return "", errors.New(`must be "tcp" (XMPP on port 5223), "websocket" (wss://<host>:8445/ws) or "auto" (WebSocket, else TCP)`)
}

// xmppTransport maps the setting onto the link's transport.
func xmppTransport(v string) finesse.XMPPTransport {
	switch v {
	case "websocket":
		return finesse.TransportWebSocket
	case "auto":
		return finesse.TransportAuto
	}
	return finesse.TransportTCP
}

// parseVPNLessURL checks a VPN-less proxy address for one side:
// https://host[:port][/path], port 443 by default, and returns it
// normalised (explicit port, no trailing slash). "" clears it.
func parseVPNLessURL(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	const example = "such as https://finesse-a.vpnless.example.com or https://proxy.example.com:8445/finesse-a"
	u, err := url.Parse(v)
	switch {
	case err != nil:
		return "", fmt.Errorf("is not a URL (%v), %s", err, example)
	case u.Scheme != "https":
		return "", fmt.Errorf("must start with https:// (the VPN-less proxy publishes HTTPS only), %s", example)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "":
		return "", fmt.Errorf("must not carry a user, query or fragment, %s", example)
	case !validHost(u.Hostname()):
		return "", fmt.Errorf("has an invalid host name %q, %s", u.Hostname(), example)
	}
	port := defaultVPNLessPort
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return "", fmt.Errorf("has an invalid port %q: use 1-65535", p)
		}
	}
	path := strings.TrimRight(u.Path, "/")
	if strings.ContainsAny(path, " \t") {
		return "", fmt.Errorf("has an invalid path %q, %s", u.Path, example)
	}
	return "https://" + net.JoinHostPort(u.Hostname(), strconv.Itoa(port)) + path, nil
}

// vpnlessEndpoint turns a normalised VPN-less URL into a link endpoint.
func vpnlessEndpoint(v string) (finesse.Endpoint, error) {
	u, err := url.Parse(v)
	if err != nil {
		return finesse.Endpoint{}, err
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		return finesse.Endpoint{}, fmt.Errorf("%q has a bad port", v)
	}
	return finesse.Endpoint{Host: u.Hostname(), RESTPort: port, VPNLess: true, PathPrefix: u.Path}, nil
}

// sideEndpoint is side A's or B's endpoint: the VPN-less proxy when one is
// set, else the direct host:port; zero when neither is.
func sideEndpoint(direct, vpnless string, xmppPort int) (finesse.Endpoint, error) {
	if vpnless != "" {
		return vpnlessEndpoint(vpnless)
	}
	if direct == "" {
		return finesse.Endpoint{}, nil
	}
	return endpoint(direct, xmppPort)
}

// checkVPNLess refuses a side named both directly and through a proxy.
func (c Config) checkVPNLess() error {
	f := c.Finesse
	for _, s := range []struct{ side, direct, proxy string }{{"a", f.SideA, f.VPNLessA}, {"b", f.SideB, f.VPNLessB}} {
		if s.direct != "" && s.proxy != "" {
			return fmt.Errorf("finesse.side_%s and finesse.vpnless_%s both set side %s: keep side_%s to reach Finesse "+
				"directly (LAN, VPN) or vpnless_%s to go through the VPN-less reverse proxy, not both",
				s.side, s.side, strings.ToUpper(s.side), s.side, s.side)
		}
	}
	if f.VPNLessB != "" && f.SideA == "" && f.VPNLessA == "" {
		return errors.New("finesse.vpnless_b is set but side A is not: set finesse.vpnless_a (or finesse.side_a) too")
	}
	return nil
}

// hasSideA reports whether side A is configured in either form.
func (f FinesseConfig) hasSideA() bool { return f.SideA != "" || f.VPNLessA != "" }

// typedVPNLess parses a typed https:// address in the sign-in form as a
// VPN-less proxy for that side; ok is false for anything else.
func typedVPNLess(v string) (ep finesse.Endpoint, ok bool, err error) {
	if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(v)), "https://") {
		return finesse.Endpoint{}, false, nil
	}
	norm, err := parseVPNLessURL(v)
	if err != nil {
		return finesse.Endpoint{}, true, err
	}
	ep, err = vpnlessEndpoint(norm)
	return ep, true, err
}

package main

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/agentlink/agentlink/localbridge"
)

// The parsers below check one config value each. Their errors describe the
// problem and the fix; [ConfigError] adds which key or flag and the value.

// parseHostPort accepts "host" or "host:port" (IPv6 in brackets) and returns
// "host:port" with defPort filled in.
func parseHostPort(v string, defPort int) (string, error) {
	v = strings.TrimSpace(v)
	example := fmt.Sprintf("such as finesse-a.example.com or finesse-a.example.com:%d", defPort)
	switch {
	case v == "":
		return "", fmt.Errorf("must name a host, %s", example)
	case strings.Contains(v, "://") || strings.ContainsAny(v, "/?#@ "):
		return "", fmt.Errorf("must be a host name with an optional port, without scheme or path, %s", example)
	}
	host, port := v, strconv.Itoa(defPort)
	if h, p, err := net.SplitHostPort(v); err == nil {
		host, port = h, p
	} else if strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") {
		host = v[1 : len(v)-1] // "[::1]" without a port
	} else if strings.Count(v, ":") > 1 {
		host = v // a bare IPv6 address
	} else if strings.Contains(v, ":") {
		return "", fmt.Errorf("is not a valid host:port, %s", example)
	}
	if !validHost(host) {
		return "", fmt.Errorf("has an invalid host name %q, %s", host, example)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("has an invalid port %q: use 1-65535 (Finesse REST is on %d)", port, defPort)
	}
	return net.JoinHostPort(host, port), nil
}

// validHost reports whether h is an IP address or a DNS name.
func validHost(h string) bool {
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(strings.TrimSuffix(h, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r == '-' || r == '_' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
				return false
			}
		}
	}
	return true
}

// parsePort checks a TCP port number; zero is allowed only when zeroOK.
func parsePort(n int, zeroOK bool) (int, error) {
	if n < 0 || n > 65535 || (n == 0 && !zeroOK) {
		return 0, errors.New("must be a port number from 1 to 65535 (Finesse XMPP is on 5223)")
	}
	return n, nil
}

// parseXMPPTLS accepts "direct" (TLS from the first byte, Finesse's 5223)
// and "starttls" (a plain connection upgraded with STARTTLS).
func parseXMPPTLS(v string) (string, error) {
	switch m := strings.ToLower(strings.TrimSpace(v)); m {
	case "direct", "starttls":
		return m, nil
	}
	return "", errors.New(`must be "direct" (TLS from the first byte, Finesse's port 5223) or "starttls"`)
}

// parsePortsFrom accepts "systeminfo" (each side's XMPP port as Finesse
// advertises it in SystemInfo, the default) and "config" (xmpp_port wins:
// for sites that reach Finesse through NAT or port forwarding, where the
// advertised ports are not the ones the desktop must dial).
func parsePortsFrom(v string) (string, error) {
	switch m := strings.ToLower(strings.TrimSpace(v)); m {
	case "systeminfo", "config":
		return m, nil
	}
	return "", errors.New(`must be "systeminfo" (use the ports Finesse advertises) or "config" (use xmpp_port)`)
}

// checkCAFile makes sure the file exists and holds a PEM certificate, so a
// typo shows at start-up instead of as a TLS failure later.
func checkCAFile(path string) error {
	if path == "" {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("cannot be read: %w", err)
	}
	if !x509.NewCertPool().AppendCertsFromPEM(data) {
		return errors.New("holds no PEM certificate: give the Finesse server's CA certificate in PEM format")
	}
	return nil
}

// parseID checks an agent id or extension: it goes into REST paths and the
// XMPP JID, so it must be one plain token.
func parseID(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", errors.New("must not be empty")
	}
	if len(v) > 64 || strings.ContainsFunc(v, func(r rune) bool {
		return r <= ' ' || r == 0x7f || strings.ContainsRune(`/\?#%@:"'<>&`, r)
	}) {
		return "", errors.New("must be a plain id of at most 64 characters without spaces or /\\?#%@:\"'<>&")
	}
	return v, nil
}

// parseResource checks the XMPP resource. "desktop" belongs to Finesse's own
// agent desktop: sharing it would knock one of the two sessions off.
func parseResource(v string) (string, error) {
	r, err := parseID(v)
	if err != nil {
		return "", err
	}
	if strings.EqualFold(r, "desktop") {
		return "", fmt.Errorf("is reserved for the Finesse desktop; use another resource such as %q", defaultResource)
	}
	return r, nil
}

// parseLoopbackAddr checks the bridge's listen address: the bridge must
// never be reachable from the network. Port 0 picks a free port (tests).
func parseLoopbackAddr(v string) (string, error) {
	v = strings.TrimSpace(v)
	problem := fmt.Errorf("must be a loopback address such as %s", defaultBridgeAddr)
	host, port, err := net.SplitHostPort(v)
	if err != nil || !isLoopbackHost(host) {
		return "", problem
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return "", fmt.Errorf("has an invalid port %q: use 1-65535, such as %s", port, defaultBridgeAddr)
	}
	return net.JoinHostPort(host, port), nil
}

// isLoopbackHost reports whether host is "localhost" or a loopback IP.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// isLoopbackHostPort reports whether "host:port" names a loopback host.
func isLoopbackHostPort(hp string) bool {
	host, _, err := net.SplitHostPort(hp)
	return err == nil && isLoopbackHost(host)
}

// parseOrigins checks CRM origins. The bridge compares them exactly with
// the browser's Origin header, so each must be "scheme://host[:port]".
func parseOrigins(vs []string) ([]string, error) {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		o, err := parseOrigin(v)
		if err != nil {
			return nil, &badElement{value: v, problem: err.Error()}
		}
		out = append(out, o)
	}
	return out, nil
}

func parseOrigin(v string) (string, error) {
	const example = "such as https://crm.example.com"
	if strings.Contains(v, "*") {
		return "", fmt.Errorf("must be an exact origin, %s: wildcards would let other sites drive the agent's phone", example)
	}
	u, err := url.Parse(strings.TrimSpace(v))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("must be an origin scheme://host[:port] with no path, %s", example)
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}

// parseOriginScopes checks bridge.origin_scopes: exact origins, known scopes.
func parseOriginScopes(m map[string][]string) (map[string][]localbridge.Scope, error) {
	out := make(map[string][]localbridge.Scope, len(m))
	for origin, names := range m {
		o, err := parseOrigin(origin)
		if err != nil {
			return nil, &badElement{value: origin, problem: err.Error()}
		}
		scopes := make([]localbridge.Scope, 0, len(names))
		for _, n := range names {
			sc, err := localbridge.ParseScope(n)
			if err != nil {
				return nil, &badElement{value: origin, problem: err.Error()}
			}
			scopes = append(scopes, sc)
		}
		out[o] = scopes
	}
	return out, nil
}

// parseSecureKey decodes the legacy UseSecurePassword 3DES key.
func parseSecureKey(v string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
	if err != nil {
		return nil, errors.New("is not valid base64: give the 24-byte 3DES key in standard base64 (32 characters)")
	}
	if len(key) != 24 {
		return nil, fmt.Errorf("decodes to %d bytes; a 3DES key is 24 bytes (32 base64 characters)", len(key))
	}
	return key, nil
}

// parseLevel accepts debug, info, warn and error.
func parseLevel(v string) (slog.Level, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, errors.New(`must be "debug", "info", "warn" or "error"`)
}

package finesse

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"
)

// Endpoint is one Finesse side.
type Endpoint struct {
	Host     string // FQDN the certificate carries (or an IP it lists)
	RESTPort int    // default 8445
	XMPPPort int    // default 5223 (direct TLS) or 5222 with StartTLS
}

// XMPPTLSMode selects how the XMPP connection is encrypted.
type XMPPTLSMode int

// XMPP TLS modes.
const (
	DirectTLS XMPPTLSMode = iota // TLS from the first byte (Finesse port 5223)
	StartTLS                     // plain connect, then STARTTLS (port 5222)
)

func (m XMPPTLSMode) String() string {
	if m == StartTLS {
		return "starttls"
	}
	return "direct-tls"
}

// BackoffConfig bounds the reconnect backoff. Zero fields take defaults.
type BackoffConfig struct {
	Min time.Duration // default 250ms
	Max time.Duration // default 15s
}

// Config configures a [Link]. Everything has a default or is optional; a
// link without SideA idles until [Link.SetEndpoints] names the servers.
type Config struct {
	SideA Endpoint // empty: no server yet (first run, typed in the UI)
	SideB Endpoint // optional (single-node deployments leave Host empty)
	// PlainHTTP sends REST over http (simulator option); default https.
	PlainHTTP bool
	XMPPTLS   XMPPTLSMode
	// XMPPPorts decides whether the XMPP port a node advertises in
	// SystemInfo (primaryNode/secondaryNode) wins over an explicit
	// Endpoint.XMPPPort; default PortsFromSystemInfo. Hosts always come
	// from Config.
	XMPPPorts PortPolicy
	// CAFile is an extra trusted CA (PEM) on top of the system roots.
	CAFile string
	// InsecureSkipVerify disables certificate checks; logs a warning at every
	// start. Explicit opt-in for labs only.
	InsecureSkipVerify bool
	// AgentID may also arrive with the Login command.
	AgentID string
	// Resource is the XMPP resource; default "agentlink". "desktop" is
	// refused: Finesse reserves it for its own desktop.
	Resource string
	// RESTTimeout bounds every REST request; default 10s.
	RESTTimeout time.Duration
	// PingInterval is how often XMPP is pinged; default 10s. The link is
	// declared dead after about two missed pings.
	PingInterval time.Duration
	// HandshakeTimeout bounds the XMPP connect (TCP, TLS, SASL, bind);
	// default 10s.
	HandshakeTimeout time.Duration
	// OutOfServiceGrace is how long an OUT_OF_SERVICE side with a live XMPP
	// connection is waited for before moving to an IN_SERVICE other side;
	// default 5s.
	OutOfServiceGrace time.Duration
	Backoff           BackoffConfig
	Logger            *slog.Logger // default slog.Default()
	// Phone is how every sign-in asks for its phone unless the Login
	// command says otherwise: mobile agent and device (phone.go).
	Phone PhoneDefaults
	// SSO configures single sign-on through Cisco IdS (sso.go); zero: none.
	SSO SSOConfig
}

const defaultResource = "agentlink"

// withDefaults validates cfg and fills in defaults.
func (c Config) withDefaults() (Config, error) {
	if err := c.validate(); err != nil {
		return c, err
	}
	if c.SideA.Host != "" {
		c.SideA = c.SideA.withDefaults(c.XMPPTLS)
	}
	if c.SideB.Host != "" {
		c.SideB = c.SideB.withDefaults(c.XMPPTLS)
	}
	if c.Resource == "" {
		c.Resource = defaultResource
	}
	c.RESTTimeout = orDefault(c.RESTTimeout, 10*time.Second)
	c.PingInterval = orDefault(c.PingInterval, 10*time.Second)
	c.HandshakeTimeout = orDefault(c.HandshakeTimeout, 10*time.Second)
	c.OutOfServiceGrace = orDefault(c.OutOfServiceGrace, 5*time.Second)
	c.Backoff.Min = orDefault(c.Backoff.Min, 250*time.Millisecond)
	c.Backoff.Max = orDefault(c.Backoff.Max, 15*time.Second)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c, nil
}

func (c Config) validate() error {
	if err := validateSides(c.SideA, c.SideB); err != nil {
		return err
	}
	if c.XMPPPorts != PortsFromSystemInfo && c.XMPPPorts != PortsFromConfig {
		return &ConfigError{"XMPPPorts", fmt.Sprintf("unknown policy %d", int(c.XMPPPorts))}
	}
	if c.XMPPTLS != DirectTLS && c.XMPPTLS != StartTLS {
		return &ConfigError{"XMPPTLS", fmt.Sprintf("unknown mode %d", int(c.XMPPTLS))}
	}
	if strings.EqualFold(c.Resource, "desktop") {
		return &ConfigError{"Resource", `"desktop" is reserved by the Finesse desktop; pick another`}
	}
	if strings.ContainsAny(c.Resource, "/@ \t") {
		return &ConfigError{"Resource", "must not contain '/', '@' or spaces"}
	}
	if c.RESTTimeout < 0 || c.PingInterval < 0 || c.HandshakeTimeout < 0 || c.OutOfServiceGrace < 0 {
		return &ConfigError{"RESTTimeout/PingInterval/HandshakeTimeout/OutOfServiceGrace", "must not be negative"}
	}
	if c.Backoff.Min < 0 || c.Backoff.Max < 0 || (c.Backoff.Max != 0 && c.Backoff.Min > c.Backoff.Max) {
		return &ConfigError{"Backoff", "Min and Max must be positive and Min <= Max"}
	}
	if err := c.SSO.validate(); err != nil {
		return err
	}
	if strings.ContainsAny(c.AgentID, "/@ ") {
		return &ConfigError{"AgentID", "must not contain '/', '@' or spaces"}
	}
	return nil
}

// validateSides checks the hosts: side A may only be empty when nothing
// else about the sides is set (a link that waits for SetEndpoints).
func validateSides(a, b Endpoint) error {
	for _, sd := range []struct {
		name string
		ep   Endpoint
	}{{"SideA", a}, {"SideB", b}} {
		if sd.ep.Host != strings.TrimSpace(sd.ep.Host) || strings.ContainsAny(sd.ep.Host, " \t/@?#") {
			return &ConfigError{sd.name + ".Host", fmt.Sprintf("%q is not a host name or IP address", sd.ep.Host)}
		}
		for _, p := range []struct {
			field string
			v     int
		}{{".RESTPort", sd.ep.RESTPort}, {".XMPPPort", sd.ep.XMPPPort}} {
			if p.v < 0 || p.v > 65535 {
				return &ConfigError{sd.name + p.field, fmt.Sprintf("port %d out of range 1-65535", p.v)}
			}
		}
		if sd.ep.Host == "" && (sd.ep.RESTPort != 0 || sd.ep.XMPPPort != 0) {
			return &ConfigError{sd.name + ".Host", "required when " + sd.name + " ports are set"}
		}
	}
	if a.Host == "" && b.Host != "" {
		return &ConfigError{"SideA.Host", "required when SideB is set"}
	}
	return nil
}

func (e Endpoint) withDefaults(mode XMPPTLSMode) Endpoint {
	if e.RESTPort == 0 {
		e.RESTPort = 8445
	}
	if e.XMPPPort == 0 {
		e.XMPPPort = 5223
		if mode == StartTLS {
			e.XMPPPort = 5222
		}
	}
	return e
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// tlsConfig builds the TLS configuration shared by REST and XMPP.
func (c Config) tlsConfig() (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: c.InsecureSkipVerify} //nolint:gosec // explicit opt-in
	if c.CAFile == "" {
		return tc, nil
	}
	pemBytes, err := os.ReadFile(c.CAFile)
	if err != nil {
		return nil, &ConfigError{"CAFile", err.Error()}
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pemBytes) {
		return nil, &ConfigError{"CAFile", fmt.Sprintf("%s holds no PEM certificate", c.CAFile)}
	}
	tc.RootCAs = pool
	return tc, nil
}

package localbridge

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"golang.org/x/time/rate"

	"github.com/agentlink/agentlink/core"
)

// DefaultAddr is where the bridge listens unless told otherwise.
const DefaultAddr = "127.0.0.1:28445"

// DefaultRateLimit is the default per-connection command rate (per second).
const DefaultRateLimit rate.Limit = 50

// DefaultBurst is the default per-connection command burst.
const DefaultBurst = 100

// minTokenLen is the shortest token accepted: 32 random bytes in unpadded
// base64url, what [GenerateToken] produces.
const minTokenLen = 43

// Config configures a [Server]. Session and Token are required; the rest have
// defaults.
type Config struct {
	// Addr is the loopback host:port to listen on; default [DefaultAddr].
	// Non-loopback addresses are refused. When the host is 127.0.0.1 or
	// localhost the bridge also listens on [::1] at the same port when it can.
	Addr string
	// Session is the agent's live session. Required.
	Session *core.Session
	// AllowedOrigins are the exact scheme://host[:port] CRM origins that may
	// use the bridge from a browser.
	AllowedOrigins []string
	// OriginScopes narrows what a browser origin may do (scopes.go): a
	// listed origin gets events plus the scopes given; origins not listed
	// and token clients get every scope.
	OriginScopes map[string][]Scope
	// ConsentFile is where agent-approved and denied origins persist (JSON);
	// "" keeps them in memory.
	ConsentFile string
	// PairingFile is where the keys of paired CRM origins persist (JSON,
	// written 0600); "" keeps them in memory (pairing.go).
	PairingFile string
	// RequirePairing makes every browser origin but the bridge's own pair
	// with the agent's confirmation, and prove the pairing key on every
	// connection, before it may Connect. Without it only paired origins
	// must prove; unpaired ones may still use the classic connector flow.
	RequirePairing bool
	// Token is the bearer token non-browser clients send in the
	// Authorization header. Required, at least 43 characters (32 random
	// bytes, see [GenerateToken]).
	Token string
	// SecurePasswordKey is the 24-byte Triple-DES key of the legacy
	// UseSecurePassword mode; nil refuses that mode.
	SecurePasswordKey []byte
	// PasswordLookup returns the saved password of an agent (keychain); it
	// serves Login requests that carry no password. nil refuses them.
	PasswordLookup func(agentID string) (string, error)
	// SignInPrompt asks the app to show its own sign-in form, prefilled,
	// for a Login that has no password and no saved one (signin.go), and
	// reports whether it could (false without a UI). It must not block. nil,
	// or false, answers such a Login with bad_request.
	SignInPrompt func(agentID, extension string) bool
	// RateLimit and Burst limit commands per WebSocket connection; defaults
	// [DefaultRateLimit] and [DefaultBurst].
	RateLimit rate.Limit
	Burst     int
	// CallLog is the outbox of ended calls (calllog.go; package callstore):
	// the bridge offers them to the screen-pop lease holder until a CRM
	// adapter acknowledges them (AckCallLog). nil: no outbox, no offers.
	CallLog CallLog
	// DialPlan normalises the numbers of MakeCall, Consult and
	// SingleStepTransfer ([core.DialPlan]); the zero value only cleans up.
	DialPlan core.DialPlan
	// Version is the app version reported by Hello and /v1/status; default "dev".
	Version string
	Logger  *slog.Logger     // default slog.Default()
	Now     func() time.Time // default time.Now

	// PortFallback: when Addr's port is in [PortRangeFirst, PortRangeLast]
	// and held by another OS user, try the next ports of the range. Set it
	// when the address is the default one, not when it was configured.
	PortFallback bool

	// MaxConns caps open TCP connections to the bridge (default 64) and
	// MaxConnsPerProcess those of one peer process (default 16; applies
	// where the process is found, Linux). Further connections are closed
	// at accept. The benchmarks raise them to measure fan-out.
	MaxConns, MaxConnsPerProcess int

	// handshakeTimeout and idleTimeout (limits.go); zero: the defaults.
	// Tests shorten them.
	handshakeTimeout, idleTimeout time.Duration

	// portFirst and portLast bound PortFallback; default the range above.
	// Tests use a range of random ports.
	portFirst, portLast int
	// writeTimeout bounds one frame write to a client; tests shorten it.
	writeTimeout time.Duration
	// peerLookup finds the OS user behind a connection; default
	// peercred.Lookup. Tests fake another user with it.
	peerLookup peerLookup
}

// ErrConfig is wrapped by every configuration error New returns.
var ErrConfig = errors.New("localbridge: invalid config")

func (c *Config) setDefaults() {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	c.MaxConns = cmp.Or(c.MaxConns, defaultMaxConns)
	c.MaxConnsPerProcess = cmp.Or(c.MaxConnsPerProcess, defaultMaxConnsPerProc)
	c.handshakeTimeout = cmp.Or(c.handshakeTimeout, defaultHandshakeTimeout)
	c.idleTimeout = cmp.Or(c.idleTimeout, defaultIdleTimeout)
	if c.portFirst == 0 {
		c.portFirst, c.portLast = PortRangeFirst, PortRangeLast
	}
	if c.RateLimit == 0 {
		c.RateLimit = DefaultRateLimit
	}
	if c.Burst == 0 {
		c.Burst = DefaultBurst
	}
	if c.writeTimeout == 0 {
		c.writeTimeout = writeTimeout
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

func (c *Config) validate() error {
	if c.Session == nil {
		return fmt.Errorf("%w: Session is required", ErrConfig)
	}
	if len(c.Token) < minTokenLen {
		return fmt.Errorf("%w: Token must be at least %d characters (use GenerateToken)", ErrConfig, minTokenLen)
	}
	if c.SecurePasswordKey != nil && len(c.SecurePasswordKey) != 24 {
		return fmt.Errorf("%w: SecurePasswordKey must be 24 bytes, got %d", ErrConfig, len(c.SecurePasswordKey))
	}
	if err := checkLoopbackAddr(c.Addr); err != nil {
		return fmt.Errorf("%w: Addr: %w", ErrConfig, err)
	}
	for _, o := range c.AllowedOrigins {
		if _, err := normalizeOrigin(o); err != nil {
			return fmt.Errorf("%w: AllowedOrigins: %w", ErrConfig, err)
		}
	}
	if _, err := normalizeScopes(c.OriginScopes); err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return nil
}

// checkLoopbackAddr refuses anything but a loopback listen address: the
// bridge must never be reachable from the network.
func checkLoopbackAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port: %w", addr, err)
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Errorf("%q: bad port: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%q is not a loopback address (use 127.0.0.1, ::1 or localhost)", addr)
	}
	return nil
}

package localbridge

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agentlink/agentlink/localbridge/peercred"
)

// ClientInfo describes one connected WebSocket client.
type ClientInfo struct {
	ID     string
	Origin string // "" for a local program that used the token
	Since  time.Time
	Agent  string // agentId the client gave in Connect
	Owner  bool   // holds the screen-pop lease (owner.go)
	// Peer is the OS user and process behind the connection (peer.go);
	// zero where the lookup is not supported.
	Peer peercred.Peer
}

// Server is the localhost bridge. Create it with [New] and start it with
// [Server.Run].
type Server struct {
	cfg     Config   // read-only after New
	sess    session  // non-nil
	origins *origins // non-nil
	log     *slog.Logger
	events  *eventLog          // non-nil; recent events and errors for the monitor
	faults  *faultBoard        // non-nil; the monitor's Faults panel (faults.go)
	audit   *auditTrail        // non-nil; commands toolbars sent (audit.go)
	lease   ownerLease         // the screen-pop lease (owner.go)
	scopes  map[string][]Scope // Config.OriginScopes by normalised origin; read-only
	frames  frameCache         // event frames encoded once for all clients
	pairing *pairing           // paired origins and pairings waiting for the agent (pairing.go)

	ready   chan struct{} // closed once listening
	changes chan struct{} // cap 1: coalesced Clients/RefusedOrigins change signal
	running atomic.Bool   // Run was called

	// clientWG counts client connections; Run waits for it because
	// hijacked WebSocket connections are not tracked by http.Server.Shutdown.
	clientWG sync.WaitGroup

	mu       sync.Mutex             // guards the fields below
	closing  bool                   // Run is shutting down: no new clients
	addr     string                 // actual host:port once listening
	port     string                 // actual port once listening
	runCtx   context.Context        // the Run context, for client goroutines
	clients  map[string]*client     // by client id
	tickets  map[string]time.Time   // sha256(ticket) -> expiry; single use
	sessions map[string]time.Time   // sha256(cookie) -> expiry
	monSubs  map[chan struct{}]bool // monitor SSE subscribers (cap-1 channels)
}

// New checks cfg and builds a server. It does not listen yet.
func New(cfg Config) (*Server, error) {
	cfg.setDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return newServer(cfg, coreSession{cfg.Session})
}

// newServer builds a server over any session; tests use it directly.
func newServer(cfg Config, sess session) (*Server, error) {
	orig, err := newOrigins(cfg.AllowedOrigins, cfg.ConsentFile)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	scopes, err := normalizeScopes(cfg.OriginScopes)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	pairs, err := newPairing(cfg.PairingFile)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return &Server{
		cfg: cfg, sess: sess, origins: orig, log: cfg.Logger, scopes: scopes, pairing: pairs,
		events:   newEventLog(cfg.Now),
		faults:   newFaultBoard(cfg.Now),
		audit:    newAuditTrail(),
		ready:    make(chan struct{}),
		changes:  make(chan struct{}, 1),
		clients:  map[string]*client{},
		tickets:  map[string]time.Time{},
		sessions: map[string]time.Time{},
		monSubs:  map[chan struct{}]bool{},
	}, nil
}

// Run listens and serves until ctx ends, then shuts down gracefully: it
// closes every client connection and returns once all goroutines stopped.
// It returns an error if it cannot listen. Run may be called once.
func (s *Server) Run(ctx context.Context) error {
	if !s.running.CompareAndSwap(false, true) {
		return errors.New("localbridge: Run called twice")
	}
	lns, err := s.listen()
	if err != nil {
		return err
	}
	if lns, err = s.wrapListeners(lns); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.mu.Lock()
	s.runCtx = ctx
	s.mu.Unlock()
	close(s.ready)
	s.log.Info("bridge listening", "addr", s.Addr(), "listeners", len(lns))

	runErr := s.serve(ctx, lns)
	cancel()
	s.mu.Lock()
	s.closing = true // after this no client registers, so clientWG.Wait is safe
	s.mu.Unlock()
	s.closeAllClients()
	s.clientWG.Wait()
	s.log.Info("bridge stopped")
	return runErr
}

// serve runs the HTTP server and the monitor's watcher until ctx ends or a
// listener fails, then shuts the HTTP server down.
func (s *Server) serve(ctx context.Context, lns []net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       httpIdleTimeout,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ConnContext:       withPeer,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, len(lns))
	for _, ln := range lns {
		wg.Go(func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("localbridge: serve %s: %w", ln.Addr(), err)
			}
		})
	}
	wg.Go(func() { s.watchForMonitor(ctx) })
	wg.Go(func() { s.watchCallLog(ctx) })
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	cancel()
	shutCtx, shutCancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer shutCancel()
	_ = srv.Shutdown(shutCtx) // gives plain requests a moment; WebSockets are closed by Run
	return err
}

// Addr returns the actual host:port once listening ("" before).
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

func (s *Server) listenPort() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.port
}

// Ready is closed once the server listens.
func (s *Server) Ready() <-chan struct{} { return s.ready }

// Changes signals (coalesced) that Clients or RefusedOrigins changed.
func (s *Server) Changes() <-chan struct{} { return s.changes }

func (s *Server) notifyChanged() {
	select {
	case s.changes <- struct{}{}:
	default:
	}
	s.notifyMonitor()
}

// Clients lists the connected WebSocket clients, oldest first.
func (s *Server) Clients() []ClientInfo {
	s.mu.Lock()
	out := make([]ClientInfo, 0, len(s.clients))
	for _, c := range s.clients {
		out = append(out, c.info())
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Since.Before(out[j].Since) })
	return out
}

// RefusedOrigins lists unknown origins that tried to connect, for the agent
// to allow or deny.
func (s *Server) RefusedOrigins() []OriginRequest { return s.origins.refusedList() }

// AllowOrigin lets a browser origin use the bridge from now on, with
// every scope, and persists the choice in ConsentFile.
func (s *Server) AllowOrigin(origin string) error { return s.AllowOriginScopes(origin, nil) }

// AllowOriginScopes lets a browser origin use the bridge from now on with
// the scopes the agent chose (events always; nil means every scope) and
// persists the choice in ConsentFile. Scopes the admin set for the origin
// in bridge.origin_scopes win. Clients of the origin already connected
// keep the scopes they had until they reconnect, except that a narrower
// choice applies to them at once.
func (s *Server) AllowOriginScopes(origin string, scopes []Scope) error {
	n, err := s.origins.decide(origin, true, scopes)
	if n != "" && err == nil {
		detail := n
		if scopes != nil {
			detail += ": " + scopeSet(intersectScopes(AllScopes, scopes)).String()
		}
		s.events.add(levelInfo, "origin allowed", detail)
		s.narrowClients(n)
		s.notifyChanged()
	}
	return err
}

// narrowClients applies origin's current scopes to its connected clients.
func (s *Server) narrowClients(origin string) {
	scopes := s.scopesFor(origin)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.clients {
		c.narrowFor(origin, scopes)
	}
}

// DenyOrigin refuses a browser origin from now on, disconnects its clients
// and persists the choice in ConsentFile. Configured origins stay allowed.
func (s *Server) DenyOrigin(origin string) error {
	n, err := s.origins.decide(origin, false, nil)
	if n == "" {
		return err
	}
	s.events.add(levelInfo, "origin denied", n)
	if !s.origins.allowed(n) {
		s.disconnect(func(c *client) bool { return c.origin == n }, "origin denied by the agent")
	}
	s.notifyChanged()
	return err
}

// DisconnectClients closes every WebSocket client (they reconnect and
// resume) and reports how many there were. The Finesse session is not
// touched.
func (s *Server) DisconnectClients() int {
	return s.disconnect(func(*client) bool { return true }, "disconnected by the agent")
}

func (s *Server) disconnect(match func(*client) bool, reason string) int {
	s.mu.Lock()
	var cs []*client
	for _, c := range s.clients {
		if match(c) {
			cs = append(cs, c)
		}
	}
	s.mu.Unlock()
	for _, c := range cs {
		c.fail(statusGoingAway, reason)
	}
	return len(cs)
}

func (s *Server) closeAllClients() {
	s.disconnect(func(*client) bool { return true }, "AgentLink is shutting down")
}

// GenerateToken returns a new random bearer token (32 bytes, base64url).
func GenerateToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

package localbridge

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/agentlink/agentlink/localbridge/peercred"
)

// Same OS user only (issue 10): every accepted connection is looked up in
// the kernel's socket tables before http.Server sees it, and a connection
// from another OS user of this machine is closed without a byte read or
// written. Where the lookup is not built (peercred.ErrUnsupported) the
// connection is allowed and a warning is logged once.

// peerLookup finds the peer of a connection; peercred.Lookup, or a fake in
// tests.
type peerLookup func(local, remote net.Addr) (peercred.Peer, error)

// refusalLogEvery rate-limits the log of refused connections.
const refusalLogEvery = 10 * time.Second

// peerConn is an accepted connection and who is behind it.
type peerConn struct {
	net.Conn
	peer    peercred.Peer // zero when the lookup is unsupported
	release func()        // frees its slot in connCounter (limits.go)
	once    sync.Once
}

// peerListener drops connections of other OS users in Accept.
type peerListener struct {
	net.Listener
	self   string // this process's uid
	lookup peerLookup
	log    *slog.Logger
	onDrop func(reason string) // counts a refusal for the monitor
	count  *connCounter        // caps (limits.go)

	mu       sync.Mutex // guards the fields below
	warned   bool       // the "unsupported" warning was logged
	lastLog  time.Time
	unlogged int // refusals since lastLog
}

func (l *peerListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		p, err := l.lookup(c.LocalAddr(), c.RemoteAddr())
		switch {
		case errors.Is(err, peercred.ErrUnsupported):
			l.warnOnce(err)
			if pc, ok := l.admit(&peerConn{Conn: c}); ok {
				return pc, nil
			}
		case err != nil:
			_ = c.Close()
			l.refused("owner not found", "remote", c.RemoteAddr().String(), "err", err.Error())
		case p.UID != l.self:
			_ = c.Close()
			l.refused("another OS user", "peer", p.String())
		default:
			if pc, ok := l.admit(&peerConn{Conn: c, peer: p}); ok {
				return pc, nil
			}
		}
	}
}

// admit applies the connection caps.
func (l *peerListener) admit(c *peerConn) (*peerConn, bool) {
	if ok, why := l.count.take(c); !ok {
		_ = c.Conn.Close()
		l.refused(why, "peer", peerLabel(c.peer))
		return nil, false
	}
	return c, true
}

func (l *peerListener) warnOnce(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.warned {
		l.warned = true
		l.log.Warn("bridge cannot check which OS user connects on this system; other users of this machine are not refused", "err", err)
	}
}

// refused logs a refusal, at most once per refusalLogEvery with the count
// of those not logged, so a flood cannot fill the log.
func (l *peerListener) refused(why string, args ...any) {
	if l.onDrop != nil {
		l.onDrop(why)
	}
	l.mu.Lock()
	now := time.Now()
	if now.Sub(l.lastLog) < refusalLogEvery {
		l.unlogged++
		l.mu.Unlock()
		return
	}
	n := l.unlogged
	l.lastLog, l.unlogged = now, 0
	l.mu.Unlock()
	l.log.Warn("bridge refused a connection: "+why, append(args, "refusals_not_logged", n)...)
}

// peerKey carries the peer of a request's connection in its context.
type peerKey struct{}

func withPeer(ctx context.Context, c net.Conn) context.Context {
	if pc, ok := c.(*peerConn); ok {
		return context.WithValue(ctx, peerKey{}, pc.peer)
	}
	return ctx
}

func peerOf(ctx context.Context) peercred.Peer {
	p, _ := ctx.Value(peerKey{}).(peercred.Peer)
	return p
}

// wrapListeners puts the same-user check on every listener.
func (s *Server) wrapListeners(lns []net.Listener) ([]net.Listener, error) {
	lookup := s.cfg.peerLookup
	if lookup == nil {
		lookup = peercred.Lookup
	}
	self, err := peercred.Self()
	if err != nil && !errors.Is(err, peercred.ErrUnsupported) {
		return nil, err
	}
	out := make([]net.Listener, len(lns))
	count := &connCounter{maxAll: s.cfg.MaxConns, maxProc: s.cfg.MaxConnsPerProcess, byProc: map[string]int{}}
	for i, ln := range lns {
		out[i] = &peerListener{Listener: ln, self: self, lookup: lookup, log: s.log, count: count,
			onDrop: func(why string) { s.events.add(levelWarn, "connection refused", why) }}
	}
	return out, nil
}

// peerLabel is how the monitor, the audit trail and the log name a peer.
func peerLabel(p peercred.Peer) string {
	if p.UID == "" {
		return "unknown user"
	}
	return p.String()
}

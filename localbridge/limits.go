package localbridge

import (
	"context"
	"net"
	"strconv"
	"sync"
	"time"
)

// Limits of connections (issue 10): a cap on open TCP connections per
// bridge and per peer process, checked in Accept before any byte; a
// WebSocket client that sends no Hello in time is closed; a silent one
// (no frame, and no pong to our ping) is closed.
const (
	defaultMaxConns         = 64
	defaultMaxConnsPerProc  = 16
	defaultHandshakeTimeout = 10 * time.Second
	defaultIdleTimeout      = 5 * time.Minute
	httpIdleTimeout         = 2 * time.Minute // keep-alive HTTP connections
)

// connCounter counts open connections in total and per peer process.
type connCounter struct {
	maxAll, maxProc int
	mu              sync.Mutex // guards the fields below
	all             int
	byProc          map[string]int
}

// procKey names a peer process; "" when it is unknown (only the total
// cap applies then).
func procKey(c *peerConn) string {
	if c.peer.PID == 0 {
		return ""
	}
	return strconv.Itoa(c.peer.PID)
}

// take reserves a slot for c, or says why not.
func (n *connCounter) take(c *peerConn) (ok bool, why string) {
	k := procKey(c)
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.all >= n.maxAll {
		return false, "too many connections to the bridge"
	}
	if k != "" && n.byProc[k] >= n.maxProc {
		return false, "too many connections from one process"
	}
	n.all++
	if k != "" {
		n.byProc[k]++
	}
	c.release = func() { n.give(k) }
	return true, ""
}

func (n *connCounter) give(k string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.all--
	if k != "" {
		if n.byProc[k]--; n.byProc[k] <= 0 {
			delete(n.byProc, k)
		}
	}
}

// Close frees the connection's slot once.
func (c *peerConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		if c.release != nil {
			c.release()
		}
	})
	return err
}

var _ net.Conn = (*peerConn)(nil)

// watchSilence closes a client that sends no Hello within the handshake
// timeout, and one that stays silent (no frame, no pong) for the idle
// timeout: after a quiet idle/2 it is pinged and must answer within
// idle/2.
func (c *client) watchSilence(ctx context.Context) {
	hs, idle := c.srv.cfg.handshakeTimeout, c.srv.cfg.idleTimeout
	hsT, idleT := time.NewTimer(hs), time.NewTimer(idle/2)
	defer hsT.Stop()
	defer idleT.Stop()
	seen := c.lastRead.Load()
	for {
		select {
		case <-ctx.Done():
			return
		case <-hsT.C:
			c.mu.Lock()
			st := c.state
			c.mu.Unlock()
			if st == stateNew {
				c.srv.log.Info("bridge client sent no Hello in time", "client", c.id)
				c.fail(statusPolicy, "no Hello in time")
				return
			}
		case <-idleT.C:
			if now := c.lastRead.Load(); now != seen {
				seen = now // a frame arrived
				idleT.Reset(idle / 2)
				continue
			}
			pctx, cancel := context.WithTimeout(ctx, idle/2)
			err := c.conn.Ping(pctx)
			cancel()
			if err != nil && ctx.Err() == nil {
				c.srv.log.Info("bridge client silent: closed", "client", c.id)
				// Close first without a handshake: the peer would not answer
				// one, and Close would wait 5 s for it while CloseNow queued.
				_ = c.conn.CloseNow()
				c.fail(statusPolicy, "silent connection")
				return
			}
			seen = c.lastRead.Load()
			idleT.Reset(idle / 2)
		}
	}
}

package finessesim

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"mellium.im/sasl"
	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"
)

// negotiationTimeout bounds stream negotiation so a stalled client cannot
// hold a goroutine forever.
const negotiationTimeout = 20 * time.Second

// xsession is one bound XMPP client session on one node.
type xsession struct {
	node    *Node
	agentID string
	full    jid.JID
	sess    *xmpp.Session
	conn    net.Conn

	wmu    sync.Mutex // serialises encode (writer, pinger) and its write deadline
	mu     sync.Mutex // guards queue and closed
	queue  []outMsg
	closed bool
	wake   chan struct{} // capacity 1: the writer has work
	done   chan struct{} // closed when the session ends

	available   bool            // guarded by Sim.mu: last presence was available
	sentPresent bool            // guarded by Sim.mu: finesse presence already sent
	subs        map[string]bool // guarded by Sim.mu: explicit pubsub subscriptions
	lastSeen    atomic.Int64    // unix nanos of the last element received
}

// outMsg is one stanza waiting to be written to a session: a notification,
// or (stanza != nil) any other stanza such as the finesse user's presence.
type outMsg struct {
	pubsubNode string
	doc        string
	id         int64
	stanza     any
}

// serveXMPP accepts connections on ln until it is closed. direct selects TLS
// from the first byte (Finesse 5223) instead of STARTTLS (5222).
func (n *Node) serveXMPP(ln net.Listener, direct bool) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		if !n.trackConn(c) {
			c.Close()
			return
		}
		n.sim.wg.Go(func() { n.handleXMPPConn(c, direct) })
	}
}

func (n *Node) handleXMPPConn(c net.Conn, direct bool) {
	defer n.untrackConn(c)
	defer c.Close()
	if n.xmppBlackholed() {
		swallow(c)
		return
	}
	rw := c
	if direct {
		tc := tls.Server(c, n.tlsCfg)
		ctx, cancel := context.WithTimeout(context.Background(), negotiationTimeout)
		err := tc.HandshakeContext(ctx)
		cancel()
		if err != nil {
			n.sim.log.Debug("xmpp tls handshake failed", "node", n.id, "err", err)
			return
		}
		rw = tc
	}
	x, err := n.negotiate(c, rw, direct)
	if err != nil {
		n.sim.log.Debug("xmpp negotiation failed", "node", n.id, "err", err)
		return
	}
	n.sim.runSession(x)
}

// negotiate runs the receiving side of stream negotiation through mellium.
func (n *Node) negotiate(raw, rw net.Conn, direct bool) (*xsession, error) {
	return n.receive(raw, newWSConn(rw), direct, xmpp.NewNegotiator)
}

// receive runs the receiving negotiation over stream (raw's bytes, filtered
// or framed) with the negotiator newNeg makes for the node's features: the
// one place a session is accepted, over TCP or WebSocket.
func (n *Node) receive(raw net.Conn, stream io.ReadWriter, direct bool,
	newNeg func(func(*xmpp.Session, *xmpp.StreamConfig) xmpp.StreamConfig) xmpp.Negotiator) (*xsession, error) {
	x := &xsession{node: n, conn: raw, wake: make(chan struct{}, 1), done: make(chan struct{})}
	features, state := n.features(x, raw, direct)
	// A deadline of our own rather than a context that is cancelled on
	// return, for the reason given at encode: mellium's goroutine could
	// otherwise set a past deadline just as the session starts serving.
	_ = raw.SetDeadline(time.Now().Add(negotiationTimeout))
	sess, err := xmpp.ReceiveSession(context.Background(), stream, state, newNeg(
		func(*xmpp.Session, *xmpp.StreamConfig) xmpp.StreamConfig {
			return xmpp.StreamConfig{Features: features}
		}))
	if err != nil {
		if x.agentID != "" {
			n.sim.removeSession(x)
		}
		return nil, err
	}
	if x.agentID == "" {
		sess.Close()
		return nil, errors.New("session ready without binding")
	}
	_ = raw.SetDeadline(time.Time{})
	x.sess = sess
	x.lastSeen.Store(time.Now().UnixNano())
	return x, nil
}

// features lists the stream features of one connection: STARTTLS (plain
// port only), SASL PLAIN checked against the agents (with lock-out), and
// resource binding, which registers the session.
func (n *Node) features(x *xsession, raw net.Conn, direct bool) ([]xmpp.StreamFeature, xmpp.SessionState) {
	var authed string
	features := []xmpp.StreamFeature{
		xmpp.SASLServer(func(neg *sasl.Negotiator) bool {
			user, pass, _ := neg.Credentials()
			if !n.sim.checkXMPP(string(user), string(pass)) { // ids_auth.go: password or SSO token
				return false
			}
			authed = string(user)
			return true
		}, n.sim.saslMechanisms()...),
		xmpp.BindCustom(func(_ jid.JID, res string) (jid.JID, error) {
			if res == "" {
				res = "sim-" + strconv.FormatInt(n.sim.nextSeq(), 10)
			}
			j, err := jid.New(authed, n.domain, res)
			if err != nil {
				return jid.JID{}, fmt.Errorf("bind %q: %w", res, err)
			}
			x.full, x.agentID = j, authed
			// Register before the bind result goes out, so no event published
			// after the client sees its JID can be missed.
			n.sim.addSession(x)
			return j, nil
		}),
	}
	if direct {
		return features, xmpp.Secure
	}
	return append([]xmpp.StreamFeature{startTLSServer(raw, n.tlsCfg)}, features...), 0
}

// runSession registers a bound session, serves its stanzas and cleans up.
func (s *Sim) runSession(x *xsession) {
	s.log.Info("xmpp session bound", "node", x.node.id, "jid", x.full.String())
	s.wg.Go(func() { x.writer(s.log) })
	s.wg.Go(func() { x.pinger(s.cfg.PingInterval) })
	err := x.sess.Serve(xmpp.HandlerFunc(x.handle))
	x.shutdown()
	// Closing writes </stream:stream>; never let a stuck peer block it.
	// Under wmu, so that an encode in flight cannot clear the deadline.
	x.wmu.Lock()
	x.conn.SetWriteDeadline(time.Now().Add(2 * time.Second))
	x.wmu.Unlock()
	x.sess.Close()
	s.removeSession(x)
	s.log.Info("xmpp session ended", "node", x.node.id, "jid", x.full.String(), "err", err)
}

// enqueue adds a notification for the writer; it never blocks the model.
func (x *xsession) enqueue(m outMsg) {
	x.mu.Lock()
	if !x.closed {
		x.queue = append(x.queue, m)
	}
	x.mu.Unlock()
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

func (x *xsession) shutdown() {
	x.mu.Lock()
	if !x.closed {
		x.closed = true
		close(x.done)
	}
	x.mu.Unlock()
}

// kill cuts the connection; Serve then returns and the session cleans up.
func (x *xsession) kill() {
	x.shutdown()
	x.conn.Close()
}

func (x *xsession) writer(log *slog.Logger) {
	for {
		select {
		case <-x.done:
			return
		case <-x.wake:
		}
		x.mu.Lock()
		batch := x.queue
		x.queue = nil
		x.mu.Unlock()
		for _, m := range batch {
			if err := x.send(m); err != nil {
				log.Debug("xmpp notification write failed", "jid", x.full.String(), "err", err)
				x.kill()
				return
			}
		}
	}
}

func (x *xsession) send(m outMsg) error {
	if m.stanza != nil {
		return x.encode(m.stanza)
	}
	id := "sim-" + strconv.FormatInt(m.id, 10)
	msg := pubsubMessage{
		From: "pubsub." + x.node.domain, To: x.full.String(), ID: id,
		Event: pubsubEvent{Items: pubsubItems{Node: m.pubsubNode,
			Item: pubsubItem{ID: id, Notification: notification{Text: m.doc}}}},
	}
	return x.encode(msg)
}

// writeTimeout bounds one stanza write: a client that stops reading is
// dropped after it rather than holding the writer forever.
const writeTimeout = 10 * time.Second

// encode writes one stanza with a write deadline of its own on the raw
// connection. It must not hand mellium a context that is cancelled once the
// write is done: Session.Encode starts a goroutine that, if it sees that
// context done before its own cancel, sets the write deadline to the past
// and then clears it. Racing with the next Encode, that failed a healthy
// write with "i/o timeout", killed the session under load and lost every
// notification published until the client reconnected (a resync coalesces
// them). With context.Background that goroutine never touches the deadline.
func (x *xsession) encode(v any) error {
	x.wmu.Lock()
	defer x.wmu.Unlock()
	if x.isClosed() {
		return net.ErrClosed
	}
	_ = x.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	err := x.sess.Encode(context.Background(), v)
	_ = x.conn.SetWriteDeadline(time.Time{})
	return err
}

func (x *xsession) isClosed() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.closed
}

// pinger sends XEP-0199 pings like Finesse does (every 10 s by default) and
// drops a client that has sent nothing, not even a ping reply, for three
// intervals (Finesse: 10 s interval, 2 retries).
func (x *xsession) pinger(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for n := 1; ; n++ {
		select {
		case <-x.done:
			return
		case <-t.C:
		}
		if time.Since(time.Unix(0, x.lastSeen.Load())) > 3*every {
			x.kill()
			return
		}
		ping := iqOut{ID: "ping-" + strconv.Itoa(n), Type: "get", From: x.node.domain,
			To: x.full.String(), Payload: &pingPayload{}}
		if err := x.encode(ping); err != nil {
			x.kill()
			return
		}
	}
}

package finesse

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"mellium.im/sasl"
	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"
	xmppws "mellium.im/xmpp/websocket"

	"github.com/agentlink/agentlink/core"
)

// XMPP over WebSocket (RFC 7395), the transport Cisco tells third-party
// clients to use and the only one a VPN-less reverse proxy publishes.
// coder/websocket does the WebSocket handshake and framing (one message per
// element, subprotocol "xmpp"); mellium's websocket negotiator speaks
// <open/>/<close/>, SASL and resource binding over it. What follows the
// negotiation (presence, pings, pub-sub items, the watchdog) mirrors the TCP
// path in xmpp.go and feeds the same pubsubItem channel.

// wsSubprotocol is the WebSocket subprotocol of RFC 7395 §3.
const wsSubprotocol = "xmpp"

// wsReadLimit caps one WebSocket message: a Dialogs notification with many
// call variables is tens of kilobytes; a hostile server gets no more.
const wsReadLimit = 4 << 20

// errWSUnavailable marks a failure of the WebSocket layer itself (no
// upgrade, wrong subprotocol): with transport "auto" the other transport is
// tried. Sign-in refusals never carry it.
var errWSUnavailable = errors.New("xmpp over websocket not offered")

// wsConn is one XMPP-over-WebSocket session: one goroutine reads
// (recvLoop), mellium serialises writes, and the pinger's watchdog declares
// the link dead after about two missed pings, exactly like xmppConn.
type wsConn struct {
	sess   *xmpp.Session
	ws     *websocket.Conn
	nc     net.Conn // ws as a byte stream (coder's NetConn)
	o      xmppOptions
	url    string
	jid    jid.JID
	cancel context.CancelFunc // ends nc's context: unblocks every read and write

	items chan pubsubItem
	done  chan struct{}
	err   error

	lastRecv atomic.Int64
	wmu      sync.Mutex // serialises send and its write deadline
	iqMu     sync.Mutex
	iqWait   map[string]chan wsIQ

	failOnce  sync.Once
	closeOnce sync.Once
	wg        sync.WaitGroup
}

// dialWS connects to url (wss://host:port/ws), negotiates the XMPP session,
// binds o.Resource and sends presence with priority 0, all within
// o.HandshakeTimeout.
func dialWS(ctx context.Context, o xmppOptions, url string) (*wsConn, error) {
	hctx, hcancel := context.WithTimeout(ctx, o.HandshakeTimeout)
	defer hcancel()
	ws, err := wsHandshake(ctx, hctx, o, url)
	if err != nil {
		return nil, err
	}
	nctx, ncancel := context.WithCancel(context.Background())
	nc := websocket.NetConn(nctx, ws, websocket.MessageText)
	ws.SetReadLimit(wsReadLimit) // NetConn lifts the limit; restore one
	j, err := jid.New(o.Creds.user, o.Domain, o.Resource)
	if err != nil {
		ncancel()
		ws.CloseNow()
		return nil, fmt.Errorf("finesse: xmpp address %s@%s/%s: %v", o.Creds.user, o.Domain, o.Resource, err)
	}
	// mellium bounds negotiation by setting a past deadline on the conn and
	// resetting it at once; coder's NetConn runs deadlines on timers that
	// the reset stops before they fire, so a silent server would hang us.
	// Cutting the WebSocket when hctx ends is what bounds it.
	stop := context.AfterFunc(hctx, func() { ws.CloseNow() })
	sess, err := wsNegotiate(hctx, nc, j, o)
	if !stop() && err == nil {
		err = hctx.Err() // cut just as negotiation finished: the conn is gone
	}
	if err != nil {
		ncancel()
		ws.CloseNow()
		return nil, classifyWSSession(ctx, hctx, url, o, err)
	}
	c := &wsConn{sess: sess, ws: ws, nc: nc, o: o, url: url, jid: sess.LocalAddr(), cancel: ncancel,
		items: make(chan pubsubItem, 64), done: make(chan struct{}), iqWait: map[string]chan wsIQ{}}
	c.lastRecv.Store(time.Now().UnixNano())
	// Finesse delivers events only after a presence with a non-negative
	// priority (reference §1.3).
	if err := c.send(wsPresence{Priority: "0"}); err != nil {
		ncancel()
		ws.CloseNow()
		return nil, fmt.Errorf("%w: xmpp presence over %s: %v", core.ErrUnreachable, url, err)
	}
	c.wg.Add(2)
	go c.recvLoop()
	go c.pingLoop()
	return c, nil
}

// wsHandshake opens the WebSocket and insists on the xmpp subprotocol.
func wsHandshake(parent, hctx context.Context, o xmppOptions, url string) (*websocket.Conn, error) {
	tc := o.TLS.Clone()
	tc.ServerName = o.ServerName
	// The same proxy rules as REST (resty's transport): a VPN-less agent
	// behind a corporate proxy reaches both the same way.
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: tc, Proxy: http.ProxyFromEnvironment,
		TLSHandshakeTimeout: o.HandshakeTimeout}}
	defer hc.CloseIdleConnections()
	ws, resp, err := websocket.Dial(hctx, url, &websocket.DialOptions{HTTPClient: hc, Subprotocols: []string{wsSubprotocol}})
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			return nil, fmt.Errorf("%w: %w: %s answered HTTP %d to the WebSocket upgrade", core.ErrUnreachable, errWSUnavailable, url, resp.StatusCode)
		}
		if hctx.Err() != nil && parent.Err() == nil {
			return nil, fmt.Errorf("%w: xmpp websocket handshake with %s timed out after %s", core.ErrUnreachable, url, o.HandshakeTimeout)
		}
		return nil, classifyTransport(parent, "xmpp websocket "+url, err)
	}
	if ws.Subprotocol() != wsSubprotocol {
		ws.Close(websocket.StatusProtocolError, "xmpp subprotocol required")
		return nil, fmt.Errorf("%w: %w: %s did not accept the WebSocket subprotocol %q", core.ErrUnreachable, errWSUnavailable, url, wsSubprotocol)
	}
	return ws, nil
}

// wsNegotiate runs RFC 7395 stream negotiation: SASL PLAIN and resource
// binding. PLAIN only, inside TLS, because that is what Cisco documents
// for the notification service: whether Finesse's Openfire can complete
// SCRAM for directory-backed agents is unknown, and a failed attempt would
// read as a wrong password (a lock-out strike). The channel is TLS (wss),
// so the session starts Secure; the simulator's plain-HTTP mode is
// loopback-only (cmd/agentlink refuses it elsewhere).
func wsNegotiate(hctx context.Context, nc net.Conn, j jid.JID, o xmppOptions) (*xmpp.Session, error) {
	features := []xmpp.StreamFeature{
		xmpp.SASL("", o.Creds.xmppSecret(), sasl.Plain), // the SSO token under SSO (sso_creds.go)
		xmpp.BindResource(),
	}
	neg := xmppws.Negotiator(func(*xmpp.Session, *xmpp.StreamConfig) xmpp.StreamConfig {
		return xmpp.StreamConfig{Features: features}
	})
	return xmpp.NewSession(hctx, j.Domain(), j, nc, xmpp.Secure, neg)
}

// classifyWSSession maps a negotiation failure: a SASL <failure/> is a
// refused sign-in (never retried, never a reason to try the other
// transport), a deadline a timeout, anything else unreachable.
func classifyWSSession(parent, hctx context.Context, url string, o xmppOptions, err error) error {
	switch {
	case parent.Err() != nil:
		return fmt.Errorf("finesse: xmpp websocket negotiation: %w", parent.Err())
	case isSASLFailure(err):
		return fmt.Errorf("%w: xmpp sign-in refused by %s: %v", core.ErrWrongCredentials, url, err)
	case hctx.Err() != nil:
		return fmt.Errorf("%w: xmpp websocket handshake with %s timed out after %s", core.ErrUnreachable, url, o.HandshakeTimeout)
	}
	return fmt.Errorf("%w: xmpp websocket negotiation with %s: %v", core.ErrUnreachable, url, err)
}

// isSASLFailure recognises mellium's SASL <failure/> error, whose type is
// internal (saslerr.Error); "temporary-auth-failure" is not a refusal.
func isSASLFailure(err error) bool {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if t := reflect.TypeOf(e); t.PkgPath() == "mellium.im/xmpp/internal/saslerr" {
			return !strings.Contains(e.Error(), "temporary")
		}
	}
	return false
}

// send encodes one stanza as one WebSocket message, bounded in time so a
// server that stops reading cannot block us. The bound is a write deadline
// of our own, not a context: mellium's Encode watches its context in a
// goroutine and, when it sees it done (as it may after we cancel it on
// return), sets a past deadline and resets it; on coder's NetConn that
// fires a timer that can leave every later write failing or the
// connection's write context cancelled, dropping a healthy link.
func (c *wsConn) send(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.nc.SetWriteDeadline(time.Now().Add(c.o.HandshakeTimeout))
	err := c.sess.Encode(context.Background(), v)
	_ = c.nc.SetWriteDeadline(time.Time{})
	return err
}

// fail ends the connection with err (first caller wins) and cuts the
// WebSocket, which unblocks the reader. CloseNow, not Close: Close waits up
// to 10 s for a close handshake a frozen server never answers, and the
// supervisor's failover waits for this.
func (c *wsConn) fail(err error) {
	c.failOnce.Do(func() {
		c.err = err
		close(c.done)
		c.cancel()
		c.ws.CloseNow()
	})
}

// Done is closed when the connection is over; Err then says why.
func (c *wsConn) Done() <-chan struct{} { return c.done }

// Err reports why the connection ended; only valid after Done.
func (c *wsConn) Err() error { return c.err }

// Items delivers pub-sub items in arrival order.
func (c *wsConn) Items() <-chan pubsubItem { return c.items }

// Close says goodbye (unavailable presence, <close/>), gives the server a
// moment to answer with its own <close/>, then drops the WebSocket.
func (c *wsConn) Close() {
	c.closeOnce.Do(func() {
		select {
		case <-c.done:
		default:
			_ = c.send(wsPresence{Type: "unavailable"})
			_ = c.nc.SetWriteDeadline(time.Now().Add(500 * time.Millisecond))
			_ = c.sess.Close() // <close/>
			select {
			case <-c.done:
			case <-time.After(500 * time.Millisecond):
			}
			c.fail(errClosed)
		}
		c.wg.Wait()
	})
}

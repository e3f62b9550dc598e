package finessesim

import (
	"context"
	"net"
	"net/http"

	"github.com/coder/websocket"
	xmppws "mellium.im/xmpp/websocket"
)

// XMPP over WebSocket (RFC 7395) at /ws on each node's HTTPS port, as
// Finesse 12.6+ serves it on 8445 (Cisco's third-party notification guide;
// reference §1.3). The session behind the WebSocket is the same mellium
// session the TCP listeners run: same SASL, binding, pings and events.

// wsReadLimit caps one client message.
const wsReadLimit = 1 << 20

// withWebSocket routes /ws and /ws/ to the XMPP WebSocket endpoint and
// everything else to rest. With the endpoint switched off the path answers
// 404, like a Finesse before 12.6.
func (n *Node) withWebSocket(rest http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ws" && r.URL.Path != "/ws/" {
			rest.ServeHTTP(w, r)
			return
		}
		if !n.webSocketOn() {
			http.NotFound(w, r)
			return
		}
		n.serveWS(w, r)
	})
}

// SetWebSocket switches a node's XMPP-over-WebSocket endpoint on (the
// default unless Config.NoWebSocket) or off. Switching it off also cuts the
// node's live WebSocket sessions.
func (s *Sim) SetWebSocket(id NodeID, on bool) error {
	n, err := s.node(id)
	if err != nil {
		return err
	}
	n.mu.Lock()
	n.wsOff = !on
	var cut []net.Conn
	if !on {
		for c := range n.conns {
			if _, ok := n.wsConns[c]; ok {
				cut = append(cut, c)
			}
		}
	}
	n.mu.Unlock()
	for _, c := range cut {
		c.Close()
	}
	return nil
}

func (n *Node) webSocketOn() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return !n.wsOff
}

// serveWS upgrades, insists on the xmpp subprotocol (RFC 7395 §3.2) and
// runs an XMPP session over the WebSocket until it ends.
func (n *Node) serveWS(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"xmpp"}})
	if err != nil {
		n.sim.log.Debug("xmpp websocket upgrade failed", "node", n.id, "err", err)
		return
	}
	if c.Subprotocol() != "xmpp" {
		c.Close(websocket.StatusPolicyViolation, "the xmpp subprotocol is required (RFC 7395)")
		return
	}
	nc := wsNetConn{websocket.NetConn(context.Background(), c, websocket.MessageText), c}
	c.SetReadLimit(wsReadLimit)
	if !n.trackWS(nc) {
		nc.Close()
		return
	}
	defer n.untrackWS(nc)
	defer nc.Close()
	if n.xmppBlackholed() {
		swallow(nc)
		return
	}
	x, err := n.negotiateWS(nc)
	if err != nil {
		n.sim.log.Debug("xmpp websocket negotiation failed", "node", n.id, "err", err)
		return
	}
	n.sim.runSession(x)
}

// negotiateWS is negotiate for a WebSocket: mellium's RFC 7395 negotiator
// (<open/> instead of <stream:stream>), no STARTTLS (the WebSocket is
// already TLS), no whitespace filter (every message is one element).
func (n *Node) negotiateWS(nc net.Conn) (*xsession, error) {
	return n.receive(nc, nc, true, xmppws.Negotiator)
}

// wsNetConn closes at once: a node kill must not wait up to 10 s per
// client for a WebSocket close handshake.
type wsNetConn struct {
	net.Conn
	ws *websocket.Conn
}

func (c wsNetConn) Close() error { return c.ws.CloseNow() }

// trackWS records a WebSocket connection like an XMPP one, so a node kill
// or black hole cuts it; it reports false if the node is dead.
func (n *Node) trackWS(c net.Conn) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.alive {
		return false
	}
	n.conns[c] = struct{}{}
	if n.wsConns == nil {
		n.wsConns = map[net.Conn]struct{}{}
	}
	n.wsConns[c] = struct{}{}
	return true
}

func (n *Node) untrackWS(c net.Conn) {
	n.mu.Lock()
	delete(n.conns, c)
	delete(n.wsConns, c)
	n.mu.Unlock()
}

// WebSocketSessions counts a node's open XMPP-over-WebSocket connections
// (tests use it to tell the transports apart).
func (s *Sim) WebSocketSessions(id NodeID) int {
	n, err := s.node(id)
	if err != nil {
		return 0
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.wsConns)
}

func (s *Sim) ctlWebSocket(w http.ResponseWriter, r *http.Request) {
	var body struct {
		On *bool `json:"on"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	if body.On == nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "on is required"})
		return
	}
	s.ctlNode(func(id NodeID) error { return s.SetWebSocket(id, *body.On) })(w, r)
}

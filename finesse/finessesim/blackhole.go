package finessesim

import (
	"io"
	"net"
	"net/http"
)

// SetXMPPBlackhole makes a node's XMPP service a black hole (on) or normal
// again (off). In a black hole the XMPP ports still accept TCP connections
// but never answer a byte, and the node's live XMPP sessions are cut: the
// fault of a Finesse whose notification service hangs (or a firewall that
// drops 5223 only) while its REST API keeps answering. REST and SystemInfo
// are untouched, so only a client that also asks "is XMPP up?" notices.
func (s *Sim) SetXMPPBlackhole(id NodeID, on bool) error {
	n, err := s.node(id)
	if err != nil {
		return err
	}
	n.mu.Lock()
	n.xmppHole = on
	n.mu.Unlock()
	if on {
		return s.DropXMPP(id)
	}
	return nil
}

func (n *Node) xmppBlackholed() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.xmppHole
}

// swallow reads and discards c until the peer or a node kill closes it: the
// client's handshake goes unanswered, as with a hung server.
func swallow(c net.Conn) {
	_, _ = io.Copy(io.Discard, c)
}

func (s *Sim) ctlXMPPBlackhole(w http.ResponseWriter, r *http.Request) {
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
	s.ctlNode(func(id NodeID) error { return s.SetXMPPBlackhole(id, *body.On) })(w, r)
}

package finesse

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/agentlink/agentlink/core"
)

// XMPPTransport selects how the notification connection is carried.
type XMPPTransport int

// XMPP transports.
const (
	// TransportTCP is XMPP over TCP: direct TLS on 5223 or STARTTLS on 5222.
	TransportTCP XMPPTransport = iota
	// TransportWebSocket is XMPP over WebSocket (RFC 7395) at
	// wss://<host>:<RESTPort>/ws, the transport Cisco recommends to
	// third-party clients from 12.6 on.
	TransportWebSocket
	// TransportAuto tries WebSocket first and falls back to TCP per side
	// (and back again when TCP stops working), logging each switch once.
	TransportAuto
)

func (t XMPPTransport) String() string {
	switch t {
	case TransportWebSocket:
		return "websocket"
	case TransportAuto:
		return "auto"
	}
	return "tcp"
}

// notifConn is one notification connection, whatever carries it: xmppConn
// (TCP, go-xmpp) or wsConn (WebSocket, mellium). serve reads only this.
type notifConn interface {
	Done() <-chan struct{}
	Err() error
	Items() <-chan pubsubItem
	Close()
}

// wsPath is where Finesse serves XMPP over WebSocket (Cisco's non-gadget
// sample and the 12.6 docs: wss://<fqdn>:8445/ws).
const wsPath = "/ws"

// wsURL is the WebSocket address of an endpoint: its REST port and path
// prefix, because Finesse 12.6+ and the VPN-less proxy serve both on one
// HTTPS port.
func (l *Link) wsURL(ep Endpoint) string {
	scheme := "wss"
	if l.cfg.PlainHTTP {
		scheme = "ws" // simulator on loopback only (cmd/agentlink enforces it)
	}
	return scheme + "://" + net.JoinHostPort(ep.Host, strconv.Itoa(ep.RESTPort)) + ep.PathPrefix + wsPath
}

// transportFor is the transport side ep must use: VPN-less sides publish
// HTTPS only.
func (l *Link) transportFor(ep Endpoint) XMPPTransport {
	if ep.VPNLess {
		return TransportWebSocket
	}
	return l.cfg.XMPPTransport
}

// dialNotify connects side idx's notifications over the configured
// transport. With auto it starts with what last worked on this side
// (WebSocket at first) and tries the other transport when the first one
// fails for any reason but refused credentials (a second attempt would
// cost a second strike towards the lock-out) or cancellation.
func (s *supervisor) dialNotify(ctx context.Context, idx int, ep Endpoint, o xmppOptions) (notifConn, error) {
	url := s.l.wsURL(ep)
	mode := s.l.transportFor(ep)
	if mode != TransportAuto {
		return dialOver(ctx, mode, o, url)
	}
	if s.autoUsing == nil {
		s.autoUsing = map[int]XMPPTransport{}
	}
	first, ok := s.autoUsing[idx]
	if !ok {
		first = TransportWebSocket
	}
	c, err := dialOver(ctx, first, o, url)
	if err == nil {
		s.autoUsing[idx] = first
		return c, nil
	}
	if isAuthFailure(err) || ctx.Err() != nil || errors.Is(err, errCredsChanged) {
		return nil, err
	}
	other := TransportTCP
	if first == TransportTCP {
		other = TransportWebSocket
	}
	c, err2 := dialOver(ctx, other, o, url)
	if err2 != nil {
		return nil, fmt.Errorf("%w (and over %s: %v)", err, other, strings.TrimPrefix(err2.Error(), core.ErrUnreachable.Error()+": "))
	}
	if prev, seen := s.autoUsing[idx]; !seen || prev != other {
		s.l.cfg.Logger.Warn("finesse notifications: "+first.String()+" failed on this side; using "+other.String(),
			"side", s.l.sides[idx].name, "transport", other.String(), "err", err)
	}
	s.autoUsing[idx] = other
	return c, nil
}

// dialOver dials one transport, keeping a nil interface on failure.
func dialOver(ctx context.Context, t XMPPTransport, o xmppOptions, url string) (notifConn, error) {
	if t == TransportWebSocket {
		c, err := dialWS(ctx, o, url)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	c, err := dialXMPP(ctx, o)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// validatePrefix checks a side's PathPrefix: empty, or "/name[/name…]"
// without a trailing slash, query or fragment.
func validatePrefix(name string, ep Endpoint) error {
	p := ep.PathPrefix
	if p == "" {
		return nil
	}
	if !strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") || strings.ContainsAny(p, "?# \t") {
		return &ConfigError{name + ".PathPrefix", fmt.Sprintf("%q must look like /path (leading slash, no trailing slash)", p)}
	}
	return nil
}

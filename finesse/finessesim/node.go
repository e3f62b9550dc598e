package finessesim

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Node is one Finesse node: a REST server and an XMPP notification service
// with direct-TLS and STARTTLS listeners.
type Node struct {
	sim    *Sim
	id     NodeID
	host   string
	domain string
	ports  NodePorts // the ports actually bound; read-only after newNode
	tlsCfg *tls.Config
	proxy  *proxy // VPN-less reverse proxy (proxy.go); nil unless Config.VPNLess

	mu          sync.Mutex // guards the fields below
	alive       bool
	rest        *http.Server
	lns         []net.Listener
	conns       map[net.Conn]struct{} // XMPP connections, closed on kill
	fault       Fault
	xmppHole    bool                  // XMPP connections are accepted and then never answered (fault.go)
	wsOff       bool                  // /ws answers 404 (xmppws.go)
	wsConns     map[net.Conn]struct{} // the WebSocket ones among conns
	inService   bool                  // guarded by Sim.mu, not mu: it gates event delivery
	finesseDown bool                  // guarded by Sim.mu: the "finesse" user's presence is unavailable
	mmode       string                // guarded by Sim.mu: SystemInfo finesseMMode ("" when not in maintenance)
	mmodeSince  time.Time             // guarded by Sim.mu: when mmode was set
}

func newNode(s *Sim, id NodeID, want NodePorts, serial int64) (*Node, error) {
	n := &Node{sim: s, id: id, host: s.cfg.Host, inService: true, wsOff: s.cfg.NoWebSocket,
		domain: "finesse-" + strings.ToLower(string(id)) + ".sim.test"}
	cert, err := s.pki.leaf(serial, s.cfg.Host, n.domain)
	if err != nil {
		return nil, err
	}
	n.tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	n.ports = want
	if err := n.listen(); err != nil {
		return nil, fmt.Errorf("finessesim: node %s: %w", id, err)
	}
	return n, nil
}

// listen binds the three listeners (on n.ports, 0 = a random stable port the
// first time)
// and starts serving.
func (n *Node) listen() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.alive {
		return nil
	}
	ports := []*int{&n.ports.REST, &n.ports.XMPPTLS, &n.ports.XMPPStartTLS}
	lns := make([]net.Listener, 0, 3)
	for _, p := range ports {
		ln, err := n.listenPort(*p)
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			return fmt.Errorf("listen: %w", err)
		}
		*p = ln.Addr().(*net.TCPAddr).Port
		lns = append(lns, ln)
	}
	n.lns, n.alive, n.conns = lns, true, map[net.Conn]struct{}{}
	// Handshake failures (e.g. a client that does not trust the CA) go to
	// the injected logger at debug level, not to stderr.
	n.rest = &http.Server{Handler: n.withWebSocket(n.restHandler()), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(n.sim.log.Handler(), slog.LevelDebug)}
	restLn := lns[0]
	if !n.sim.cfg.PlainHTTP {
		restLn = tls.NewListener(restLn, n.tlsCfg)
	}
	rest, wg := n.rest, &n.sim.wg
	wg.Go(func() { rest.Serve(restLn) })
	wg.Go(func() { n.serveXMPP(lns[1], true) })
	wg.Go(func() { n.serveXMPP(lns[2], false) })
	return nil
}

// listenPort listens on port, or on a free stable port when port is 0 (see
// ports.go).
func (n *Node) listenPort(port int) (net.Listener, error) {
	if port == 0 {
		return listenStable(n.host)
	}
	return net.Listen("tcp", net.JoinHostPort(n.host, strconv.Itoa(port)))
}

// stop closes the listeners, the REST server with its connections and every
// XMPP connection: to a client the node looks dead.
func (n *Node) stop() {
	n.mu.Lock()
	if !n.alive {
		n.mu.Unlock()
		return
	}
	n.alive = false
	rest, lns, conns := n.rest, n.lns, n.conns
	n.conns = nil
	n.mu.Unlock()
	rest.Close()
	for _, l := range lns {
		l.Close()
	}
	for c := range conns {
		c.Close()
	}
}

// trackConn records an XMPP connection; it reports false if the node is dead.
func (n *Node) trackConn(c net.Conn) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.alive {
		return false
	}
	n.conns[c] = struct{}{}
	return true
}

func (n *Node) untrackConn(c net.Conn) {
	n.mu.Lock()
	delete(n.conns, c)
	n.mu.Unlock()
}

// RESTURL is the node's REST base, e.g. https://127.0.0.1:41234.
func (n *Node) RESTURL() string {
	scheme := "https"
	if n.sim.cfg.PlainHTTP {
		scheme = "http"
	}
	return scheme + "://" + net.JoinHostPort(n.host, strconv.Itoa(n.ports.REST))
}

// Host is the address the node listens on.
func (n *Node) Host() string { return n.host }

// RESTPort is the REST (HTTPS or HTTP) port.
func (n *Node) RESTPort() int { return n.ports.REST }

// XMPPTLSPort is the direct-TLS XMPP port (Finesse 5223).
func (n *Node) XMPPTLSPort() int { return n.ports.XMPPTLS }

// XMPPStartTLSPort is the plain-then-STARTTLS XMPP port (Finesse 5222).
func (n *Node) XMPPStartTLSPort() int { return n.ports.XMPPStartTLS }

// XMPPDomain is the node's XMPP domain, e.g. finesse-a.sim.test; the pubsub
// service is "pubsub." + it.
func (n *Node) XMPPDomain() string { return n.domain }

// ID is the node's id.
func (n *Node) ID() NodeID { return n.id }

// takeFault returns the fault for one request and counts it against
// Fault.Count, clearing a counted fault once it is used up.
func (n *Node) takeFault() Fault {
	n.mu.Lock()
	defer n.mu.Unlock()
	f := n.fault
	if f.Count > 0 {
		if n.fault.Count--; n.fault.Count == 0 {
			n.fault = Fault{}
		}
	}
	return f
}

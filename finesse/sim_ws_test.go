package finesse

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// End-to-end tests of XMPP over WebSocket (RFC 7395) and VPN-less Finesse
// against the simulator: real TLS, a real WebSocket upgrade, mellium on
// both ends.

// closedPort is a TCP port nothing listens on: a link that used XMPP over
// TCP could not connect, so a passing test proves the WebSocket carried it.
func closedPort(t *testing.T) int { return freePort(t) }

// wsLinkConfig is linkConfig over WebSocket, with the TCP XMPP ports
// pointing nowhere.
func wsLinkConfig(sim *finessesim.Sim, tr XMPPTransport, t *testing.T) Config {
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.XMPPTransport = tr
	cfg.XMPPPorts = PortsFromConfig
	cfg.SideA.XMPPPort, cfg.SideB.XMPPPort = closedPort(t), closedPort(t)
	return cfg
}

// callFlow signs in, goes READY, takes a routed call, answers and releases
// it, checking the dialog events the link hands on.
func callFlow(t *testing.T, e *simEnv) {
	t.Helper()
	e.login(t)
	e.send(t, core.Command{Kind: core.CmdReady})
	e.sink.waitFor(t, "READY", waitEvent, agentIs(core.StateReady))
	id, err := e.sim.InjectCall(finessesim.CallSpec{AgentID: "1001", ANI: "+15551234"})
	if err != nil {
		t.Fatal(err)
	}
	d := e.dialogWhere(t, "alerting", id, func(d core.Dialog) bool { return d.State == core.DialogAlerting })
	if d.From != "+15551234" {
		t.Errorf("dialog from = %q, want the caller +15551234", d.From)
	}
	e.send(t, core.Command{Kind: core.CmdAnswer, DialogID: id})
	e.dialogWhere(t, "answered", id, func(d core.Dialog) bool { return agentPart(d).State == core.PartActive })
	e.sink.waitFor(t, "TALKING", waitEvent, agentIs(core.StateTalking))
	e.send(t, core.Command{Kind: core.CmdRelease, DialogID: id})
	e.sink.waitFor(t, "call gone", waitEvent, func(v view) bool { _, ok := v.Dialogs[id]; return !ok })
}

func TestSimWebSocketCallFlow(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 71})
	e := runLink(t, sim, wsLinkConfig(sim, TransportWebSocket, t))
	callFlow(t, e)
	if n := sim.WebSocketSessions(finessesim.NodeA); n != 1 {
		t.Errorf("WebSocket sessions on A = %d, want 1", n)
	}
}

// TestSimWebSocketFailoverToB: node A dies mid-call; the link moves to B
// over WebSocket with the call intact, as over TCP (TestSimFailoverToB).
func TestSimWebSocketFailoverToB(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 72})
	e := runLink(t, sim, wsLinkConfig(sim, TransportWebSocket, t))
	e.login(t)
	id := e.activeCall(t)
	if err := sim.KillNode(finessesim.NodeA); err != nil {
		t.Fatal(err)
	}
	e.waitCallOnB(t, "websocket failover", id, time.Now())
	waitSim(t, "a WebSocket session on B", func() bool { return sim.WebSocketSessions(finessesim.NodeB) == 1 })
	e.send(t, core.Command{Kind: core.CmdRelease, DialogID: id})
	e.sink.waitFor(t, "call released through B", waitEvent, func(v view) bool { _, ok := v.Dialogs[id]; return !ok })
}

// TestSimAutoFallsBackToTCP: with auto and no WebSocket on the server the
// link falls back to TCP with one log line, keeps TCP across reconnects
// without repeating it, and never counts the fallback as a sign-in strike.
func TestSimAutoFallsBackToTCP(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 73, NoWebSocket: true})
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.XMPPTransport = TransportAuto
	logs := &syncBuffer{}
	cfg.Logger = newTextLogger(logs)
	e := runLink(t, sim, cfg)
	e.login(t)
	if err := sim.DropXMPP(finessesim.NodeA); err != nil {
		t.Fatal(err)
	}
	e.sink.waitFor(t, "link reported the drop", waitEvent, func(v view) bool { return v.System.Status == core.OutOfService })
	e.sink.waitFor(t, "back IN_SERVICE on A", waitEvent, func(v view) bool {
		return v.System.Status == core.InService && v.System.Node == core.NodeA
	})
	if n := strings.Count(logs.String(), "websocket failed on this side; using tcp"); n != 1 {
		t.Errorf("fallback logged %d times, want once:\n%s", n, logs.String())
	}
	if n := sim.WebSocketSessions(finessesim.NodeA); n != 0 {
		t.Errorf("WebSocket sessions = %d with WebSocket off", n)
	}
	waitSim(t, "agent present over TCP", simAgentIs(sim, "NOT_READY"))
}

// TestSimAutoPrefersWebSocket: with auto and a server that answers on /ws,
// notifications go over WebSocket and nothing is logged about a fallback.
func TestSimAutoPrefersWebSocket(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 74})
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.XMPPTransport = TransportAuto
	logs := &syncBuffer{}
	cfg.Logger = newTextLogger(logs)
	e := runLink(t, sim, cfg)
	e.login(t)
	if n := sim.WebSocketSessions(finessesim.NodeA); n != 1 {
		t.Errorf("WebSocket sessions on A = %d, want 1", n)
	}
	if strings.Contains(logs.String(), "failed on this side") {
		t.Errorf("unexpected fallback:\n%s", logs.String())
	}
}

// vpnlessConfig points both sides at the simulator's VPN-less proxies only:
// no route to the nodes' own ports at all.
func vpnlessConfig(sim *finessesim.Sim, prefix string, t *testing.T) Config {
	cfg := linkConfig(sim, DirectTLS, t)
	ep := func(id finessesim.NodeID) Endpoint {
		u, err := url.Parse(sim.Node(id).ProxyURL())
		if err != nil || u.Path != prefix {
			t.Fatalf("proxy URL %q: %v", sim.Node(id).ProxyURL(), err)
		}
		host := u.Hostname()
		port, _ := strconv.Atoi(u.Port())
		return Endpoint{Host: host, RESTPort: port, VPNLess: true, PathPrefix: prefix, XMPPPort: closedPort(t)}
	}
	cfg.SideA, cfg.SideB = ep(finessesim.NodeA), ep(finessesim.NodeB)
	cfg.XMPPPorts = PortsFromConfig
	return cfg // XMPPTransport stays TCP: VPN-less sides must override it
}

// TestSimVPNLess: REST and notifications through the reverse proxies (one
// HTTPS port per node, paths under a prefix): sign-in, state, a call's
// dialog events, then failover A->B when node A dies behind its proxy.
func TestSimVPNLess(t *testing.T) {
	t.Parallel()
	const prefix = "/finesse-vpnless"
	sim := startSim(t, finessesim.Config{Seed: 75, VPNLess: true, ProxyPrefix: prefix})
	e := runLink(t, sim, vpnlessConfig(sim, prefix, t))
	callFlow(t, e)
	if n := sim.WebSocketSessions(finessesim.NodeA); n != 1 {
		t.Errorf("WebSocket sessions on A = %d, want 1 (through the proxy)", n)
	}
	id := e.activeCall(t)
	if err := sim.KillNode(finessesim.NodeA); err != nil {
		t.Fatal(err)
	}
	e.waitCallOnB(t, "vpn-less failover", id, time.Now())
}

// TestSimAutoWebSocketLost: with auto on WebSocket, the server stops
// serving it (cut and 404); the link reconnects over TCP at once, logs the
// switch once, and the agent stays present.
func TestSimAutoWebSocketLost(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 76})
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.XMPPTransport = TransportAuto
	logs := &syncBuffer{}
	cfg.Logger = newTextLogger(logs)
	e := runLink(t, sim, cfg)
	e.login(t)
	waitSim(t, "a WebSocket session on A", func() bool { return sim.WebSocketSessions(finessesim.NodeA) == 1 })
	before, _ := e.sink.snapshot()
	if err := sim.SetWebSocket(finessesim.NodeA, false); err != nil {
		t.Fatal(err)
	}
	e.sink.waitFor(t, "back IN_SERVICE on A after the drop", waitEvent, func(v view) bool {
		return len(v.Updates) > len(before.Updates) && v.System.Status == core.InService && v.System.Node == core.NodeA &&
			strings.Contains(logs.String(), "websocket failed on this side; using tcp")
	})
	waitSim(t, "agent present over TCP", simAgentIs(sim, "NOT_READY"))
	if n := strings.Count(logs.String(), "websocket failed on this side; using tcp"); n != 1 {
		t.Errorf("switch logged %d times, want once", n)
	}
}

// TestSimWebSocketDeadMovesToOtherSide: side A's notification service hangs
// (WebSocket upgrades accepted, never answered; REST fine): the link moves
// the call to B over WebSocket, as TestSimXMPPDeadMovesToOtherSide over TCP.
func TestSimWebSocketDeadMovesToOtherSide(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 77})
	cfg := wsLinkConfig(sim, TransportWebSocket, t)
	cfg.HandshakeTimeout = time.Second
	e := runLink(t, sim, cfg)
	e.login(t)
	id := e.activeCall(t)
	start := time.Now()
	if err := sim.SetXMPPBlackhole(finessesim.NodeA, true); err != nil {
		t.Fatal(err)
	}
	e.waitCallOnB(t, "WebSocket black-holed on A", id, start)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("moved to B after %v, want < 10s", d)
	}
}

// TestSimAutoNoFallbackOnWrongPassword: a refused password over WebSocket
// is not retried over TCP with auto, which would cost a second strike
// towards Finesse's lock-out (two strikes lock here): afterwards the right
// password still signs in.
func TestSimAutoNoFallbackOnWrongPassword(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 78, LockoutAfter: 2})
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.XMPPTransport = TransportAuto
	l, err := NewLink(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ep := l.endpoint(0)
	o := xmppOptions{Addr: net.JoinHostPort(ep.Host, strconv.Itoa(ep.XMPPPort)), ServerName: ep.Host,
		Domain: sim.Node(finessesim.NodeA).XMPPDomain(), Creds: creds{user: "1001", pass: "wrong"}, Resource: "agentlink",
		TLS: l.tls, PingInterval: time.Second, HandshakeTimeout: 5 * time.Second, Logger: testLogger(t)}
	s := &supervisor{l: l}
	c, err := s.dialNotify(context.Background(), 0, ep, o)
	if c != nil {
		c.Close()
	}
	if !errors.Is(err, core.ErrWrongCredentials) {
		t.Fatalf("err = %v, want ErrWrongCredentials", err)
	}
	runLinkWith(t, sim, l).login(t)
}

// TestSimWebSocketAnswersServerPings: the simulator pings every 200 ms and
// drops a client silent for three intervals, while our own pings are far
// apart: only answering the server's pings keeps the session. (50 ms was
// too tight for a loaded CI machine.)
func TestSimWebSocketAnswersServerPings(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 79, PingInterval: 200 * time.Millisecond})
	cfg := wsLinkConfig(sim, TransportWebSocket, t)
	cfg.PingInterval = 10 * time.Second
	e := runLink(t, sim, cfg)
	e.login(t)
	before, _ := e.sink.snapshot()
	deadline := time.Now().Add(1500 * time.Millisecond) // 7 server pings, 2.5 silence limits
	for time.Now().Before(deadline) {
		waitSim(t, "session alive", func() bool { return sim.WebSocketSessions(finessesim.NodeA) == 1 })
		time.Sleep(20 * time.Millisecond) // sampling, not synchronisation
	}
	after, _ := e.sink.snapshot()
	for _, u := range after.Updates[len(before.Updates):] {
		if u.Kind == core.UpdateSystem && u.System.Status != core.InService {
			t.Fatalf("the link went %s while the server pinged: %s", u.System.Status, u.System.Reason)
		}
	}
}

// TestSimWebSocketLargeDialog: a Dialog notification of tens of kilobytes
// (many call variables) arrives whole over WebSocket.
func TestSimWebSocketLargeDialog(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 80})
	e := runLink(t, sim, wsLinkConfig(sim, TransportWebSocket, t))
	e.login(t)
	e.send(t, core.Command{Kind: core.CmdReady})
	e.sink.waitFor(t, "READY", waitEvent, agentIs(core.StateReady))
	var vars []finessesim.Var
	for i := 1; i <= 10; i++ {
		vars = append(vars, finessesim.Var{Name: "callVariable" + strconv.Itoa(i), Value: strings.Repeat(strconv.Itoa(i%10), 2000)})
	}
	id, err := sim.InjectCall(finessesim.CallSpec{AgentID: "1001", Variables: vars})
	if err != nil {
		t.Fatal(err)
	}
	d := e.dialogWhere(t, "alerting with its variables", id, func(d core.Dialog) bool { return d.State == core.DialogAlerting })
	if got, _ := d.Variable("callVariable10"); len(got) != 2000 {
		t.Errorf("callVariable10 has %d characters, want 2000", len(got))
	}
}

// TestSimWebSocketWebappDown: the Finesse web app's presence ("finesse"
// user unavailable) arrives over WebSocket too, and moves the call to B
// like TestSimWebappDownMovesToOtherSide over TCP.
func TestSimWebSocketWebappDown(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 81})
	cfg := wsLinkConfig(sim, TransportWebSocket, t)
	cfg.OutOfServiceGrace = 100 * time.Millisecond
	e := runLink(t, sim, cfg)
	e.login(t)
	id := e.activeCall(t)
	start := time.Now()
	if err := sim.SetFinessePresence(finessesim.NodeA, false); err != nil {
		t.Fatal(err)
	}
	e.waitCallOnB(t, "web app down on A (websocket)", id, start)
}

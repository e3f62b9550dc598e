package main

import (
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

func startDoctorSimWith(t *testing.T, cfg finessesim.Config) *finessesim.Sim {
	t.Helper()
	sim, err := finessesim.Start(t.Context(), cfg)
	if err != nil {
		t.Fatalf("starting the simulator: %v", err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
}

// TestDoctorWebSocketTransport: the side checks probe XMPP over WebSocket
// (upgrade, xmpp subprotocol, an <open/> answered), judge it by the
// configured transport and say what auto would pick.
func TestDoctorWebSocketTransport(t *testing.T) {
	isolateConfig(t)
	useMemKeychain(t, nil)
	withWS := startDoctorSimWith(t, finessesim.Config{Seed: 1})
	noWS := startDoctorSimWith(t, finessesim.Config{Seed: 2, NoWebSocket: true})
	tests := []struct {
		name      string
		sim       *finessesim.Sim
		transport string
		status    checkStatus
		detail    []string
		fix       []string
	}{
		{"websocket works", withWS, "websocket", statusOK, []string{"/ws: upgrade ok, subprotocol xmpp, XMPP answers"}, nil},
		{"websocket missing", noWS, "websocket", statusFail, []string{"/ws: HTTP 404, no WebSocket upgrade"},
			[]string{`set finesse.xmpp_transport = "auto" or "tcp"`}},
		{"auto picks websocket", withWS, "auto", statusOK, []string{"XMPP answers; auto uses WebSocket"}, nil},
		{"auto falls back", noWS, "auto", statusOK, []string{"auto falls back to XMPP over TCP", "TLS ok"}, nil},
		{"tcp, websocket available", withWS, "tcp", statusOK, []string{"TLS ok", "auto would pick WebSocket"}, nil},
		{"tcp, no websocket", noWS, "tcp", statusOK, []string{"TLS ok", "auto would pick TCP"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := doctorConfig(t, tt.sim, map[string]string{"finesse.xmpp_transport": strconv.Quote(tt.transport)})
			rs, _, _ := runDoctorJSON(t, "--config", cfg)
			wantResult(t, rs, "finesse side A", tt.status, tt.detail, tt.fix)
		})
	}
}

// TestDoctorVPNLess: both sides through the simulator's VPN-less proxies
// (under a path): REST and the WebSocket are checked there, and TCP XMPP,
// which the proxy does not publish, is not.
func TestDoctorVPNLess(t *testing.T) {
	isolateConfig(t)
	useMemKeychain(t, nil)
	sim := startDoctorSimWith(t, finessesim.Config{Seed: 3, VPNLess: true, ProxyPrefix: "/fin"})
	cfg := doctorConfig(t, sim, map[string]string{
		"finesse.side_a": "", "finesse.side_b": "",
		"finesse.vpnless_a": strconv.Quote(sim.Node("A").ProxyURL()),
		"finesse.vpnless_b": strconv.Quote(sim.Node("B").ProxyURL()),
	})
	rs, out, err := runDoctorJSON(t, "--config", cfg)
	wantFailed(t, err, false)
	for _, side := range []string{"A", "B"} {
		wantResult(t, rs, "finesse side "+side, statusOK,
			[]string{"TLS ok", "SystemInfo requires sign-in", sim.Node(finessesim.NodeID(side)).ProxyURL()[len("https:"):] + "/ws: upgrade ok"}, nil)
		if r := result(t, rs, "finesse side "+side); strings.Contains(r.Detail, "XMPP 127.0.0.1:") {
			t.Errorf("side %s probed XMPP over TCP through a VPN-less proxy: %s", side, out)
		}
	}
	sim.SetWebSocket(finessesim.NodeA, false)
	rs, _, err = runDoctorJSON(t, "--config", cfg)
	wantFailed(t, err, true)
	wantResult(t, rs, "finesse side A", statusFail, []string{"HTTP 404"}, []string{"check finesse.vpnless_a (--vpnless-a)", "WebSocket upgrade"})
}

// TestDoctorDeadSideClaimsNoTransport: with nothing answering, the report
// must not say which transport auto "would pick".
func TestDoctorDeadSideClaimsNoTransport(t *testing.T) {
	isolateConfig(t)
	useMemKeychain(t, nil)
	sim := startDoctorSimWith(t, finessesim.Config{Seed: 5})
	if err := sim.KillNode(finessesim.NodeB); err != nil {
		t.Fatal(err)
	}
	_, closedPort, _ := net.SplitHostPort(freeAddr(t))
	rs, _, _ := runDoctorJSON(t, "--config", doctorConfig(t, sim, map[string]string{
		"finesse.xmpp_port": closedPort, "finesse.xmpp_ports_from": `"config"`}))
	wantResult(t, rs, "finesse side B", statusFail, []string{"(not used: xmpp_transport is tcp)"}, nil)
	if r := result(t, rs, "finesse side B"); strings.Contains(r.Detail, "auto would pick") {
		t.Errorf("dead side B: %q claims a transport for auto", r.Detail)
	}
}

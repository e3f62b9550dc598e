package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestHeadlessVPNLess runs the real binary against the simulator's VPN-less
// proxies only (finesse.vpnless_a/_b, a path prefix, no route to the nodes'
// own ports): sign-in from the keychain, READY, a routed call answered, and
// failover to B through B's proxy when node A dies behind A's.
func TestHeadlessVPNLess(t *testing.T) {
	requireKeyring(t)
	bin := testBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	password := "pw-" + rand.Text()
	agents := finessesim.DefaultAgents()
	agents[0].Password = password
	sim, err := finessesim.Start(ctx, finessesim.Config{Agents: agents, Seed: 4, VPNLess: true, ProxyPrefix: "/finesse-dmz"})
	if err != nil {
		t.Fatalf("finessesim.Start: %v", err)
	}
	t.Cleanup(func() { _ = sim.Close() })

	xdg := t.TempDir()
	dir := filepath.Join(xdg, "agentlink")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf(`[finesse]
vpnless_a = %q
vpnless_b = %q
xmpp_port = 1
xmpp_ports_from = "config"
ca_file = %q
agent_id = "1001"
extension = "5001"
`, sim.Node(finessesim.NodeA).ProxyURL(), sim.Node(finessesim.NodeB).ProxyURL(), sim.CAFile())
	cfgPath := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	storePassword(ctx, t, bin, cfgPath, xdg, password)

	app := startApp(ctx, t, bin, xdg, "vpnless", nil, "--headless", "--config", cfgPath, "--log-level", "debug")
	hb := &headlessBridge{b: dialBridge(ctx, t, app)}
	hb.waitFor(ctx, t, "agent 1001 signed in (NOT_READY)", isAgentState("NOT_READY"))
	if n := sim.WebSocketSessions(finessesim.NodeA); n != 1 {
		t.Errorf("WebSocket sessions on A = %d, want 1 (through the proxy)", n)
	}
	hb.command(ctx, t, "ready", "SetState", map[string]string{"state": "READY"}, isAgentState("READY"))
	id, err := sim.InjectCall(finessesim.CallSpec{AgentID: "1001", ANI: "5550123", DNIS: "8000"})
	if err != nil {
		t.Fatalf("InjectCall: %v", err)
	}
	hb.waitFor(ctx, t, "Dialog "+id+" ALERTING", isDialog(id, "ALERTING", ""))
	hb.command(ctx, t, "answer", "Answer", map[string]string{"dialogId": id}, isDialog(id, "ACTIVE", "ACTIVE"))
	if err := sim.KillNode(finessesim.NodeA); err != nil {
		t.Fatalf("KillNode(A): %v", err)
	}
	hb.waitFor(ctx, t, "System IN_SERVICE on B", isSystem("IN_SERVICE", "B"))
	snap := hb.getState(ctx, t)
	if d, ok := findDialog(snap.Dialogs, id); !ok || d.State != "ACTIVE" {
		t.Fatalf("after failover through B's proxy: dialog %s = %+v (present %v), want ACTIVE", id, d, ok)
	}
	app.stop(t)
	data, err := os.ReadFile(app.logPath)
	if err != nil || len(data) == 0 {
		t.Fatalf("app log: %v (%d bytes)", err, len(data))
	}
	if bytes.Contains(data, []byte(password)) {
		t.Error("the password appears in the app's log")
	}
}

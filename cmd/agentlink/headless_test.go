package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestHeadlessAgainstSimulator is the issue-3 acceptance test of the real
// binary: "agentlink --headless against finesse-sim logs an agent in and
// follows calls injected through the simulator's control API, and survives
// a side A kill". The password goes through "agentlink login" into the real
// keychain (the throwaway gnome-keyring of scripts/test-env.sh); the app
// signs in from it at start, and a bearer-token bridge client drives and
// watches the agent:
//
//	CI=true scripts/test-env.sh go test -race -run Headless -v ./cmd/agentlink/
func TestHeadlessAgainstSimulator(t *testing.T) {
	requireKeyring(t)
	bin := testBinary(t) // before the deadline: a cold build takes minutes
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	password := "pw-" + rand.Text() // random, so finding it in the log means it leaked
	sim := startHeadlessSim(ctx, t, password)
	cfgPath, xdg := writeHeadlessConfig(t, sim)
	storePassword(ctx, t, bin, cfgPath, xdg, password)

	app := startApp(ctx, t, bin, xdg, "headless", nil, "--headless", "--config", cfgPath, "--log-level", "debug")
	logPath := app.logPath
	b := dialBridge(ctx, t, app)
	hb := &headlessBridge{b: b}

	hb.waitFor(ctx, t, "agent 1001 signed in (NOT_READY)", isAgentState("NOT_READY"))
	hb.command(ctx, t, "ready", "SetState", map[string]string{"state": "READY"}, isAgentState("READY"))

	id, err := sim.InjectCall(finessesim.CallSpec{AgentID: "1001", ANI: "5550123", DNIS: "8000"})
	if err != nil {
		t.Fatalf("InjectCall: %v", err)
	}
	hb.waitFor(ctx, t, "Dialog "+id+" ALERTING", isDialog(id, "ALERTING", ""))
	hb.command(ctx, t, "answer", "Answer", map[string]string{"dialogId": id}, isDialog(id, "ACTIVE", "ACTIVE"))

	start := time.Now()
	if err := sim.KillNode(finessesim.NodeA); err != nil {
		t.Fatalf("KillNode(A): %v", err)
	}
	hb.waitFor(ctx, t, "System OUT_OF_SERVICE", isSystem("OUT_OF_SERVICE", ""))
	hb.waitFor(ctx, t, "System IN_SERVICE on B", isSystem("IN_SERVICE", "B"))
	failover := time.Since(start)
	t.Logf("failover: side A killed -> System IN_SERVICE on B at the bridge client in %v", failover)

	snap := hb.getState(ctx, t)
	if d, ok := findDialog(snap.Dialogs, id); !ok || d.State != "ACTIVE" || d.AgentState != "ACTIVE" {
		t.Fatalf("GetState after failover: dialog %s = %+v (present %v), want ACTIVE with the agent ACTIVE", id, d, ok)
	}
	if snap.System.Node != "B" || snap.Agent.State != "TALKING" {
		t.Errorf("GetState after failover: node %q agent %q, want B and TALKING", snap.System.Node, snap.Agent.State)
	}

	if err := sim.HangUp(id); err != nil {
		t.Fatalf("far-end HangUp(%s): %v", id, err)
	}
	hb.waitFor(ctx, t, "DialogEnded "+id, func(f smokeFrame) bool {
		var s struct{ ID string }
		return f.Event == "DialogEnded" && json.Unmarshal(f.Data, &s) == nil && s.ID == id
	})

	app.stop(t)
	checkHeadlessLog(t, logPath, password, bridgeToken(t, xdg))
}

// requireKeyring skips without a D-Bus session (no Secret Service), except
// in CI, where scripts/test-env.sh must provide one.
func requireKeyring(t *testing.T) {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return
	}
	msg := "no D-Bus session for the keychain; run it through scripts/test-env.sh"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// startHeadlessSim starts the two-node simulator with the default agents,
// agent 1001 having the given password.
func startHeadlessSim(ctx context.Context, t *testing.T, password string) *finessesim.Sim {
	t.Helper()
	agents := finessesim.DefaultAgents()
	agents[0].Password = password
	sim, err := finessesim.Start(ctx, finessesim.Config{Agents: agents, Seed: 3})
	if err != nil {
		t.Fatalf("finessesim.Start: %v", err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	return sim
}

// writeHeadlessConfig writes config.toml into a fresh XDG_CONFIG_HOME. Both
// sides get node A's XMPP port (the app has one xmpp_port): side B works
// only because the link takes B's port from B's SystemInfo.
func writeHeadlessConfig(t *testing.T, sim *finessesim.Sim) (cfgPath, xdg string) {
	t.Helper()
	xdg = t.TempDir()
	dir := filepath.Join(xdg, "agentlink")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	a, b := sim.Node(finessesim.NodeA), sim.Node(finessesim.NodeB)
	hostPort := func(n *finessesim.Node) string {
		return net.JoinHostPort(n.Host(), strconv.Itoa(n.RESTPort()))
	}
	cfg := fmt.Sprintf(`[finesse]
side_a = %q
side_b = %q
xmpp_port = %d
ca_file = %q
agent_id = "1001"
extension = "5001"
`, hostPort(a), hostPort(b), a.XMPPTLSPort(), sim.CAFile())
	cfgPath = filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath, xdg
}

// storePassword runs "agentlink login", which reads the password from a
// non-terminal stdin and stores it in the keychain. It refuses to replace
// a password agent 1001 already has there (a developer's real keychain)
// and removes the one it stored at the end.
func storePassword(ctx context.Context, t *testing.T, bin, cfgPath, xdg, password string) {
	t.Helper()
	kc := newKeychain()
	if err := kc.Available(); err != nil {
		t.Fatalf("keychain: %v", err)
	}
	if _, err := kc.Password("1001"); err == nil {
		t.Fatal("the keychain already holds a password for agent 1001; run this test through scripts/test-env.sh (throwaway keyring)")
	} else if !errors.Is(err, errNoPassword) {
		t.Fatalf("keychain lookup: %v", err)
	}
	t.Cleanup(func() {
		if err := kc.DeletePassword("1001"); err != nil {
			t.Errorf("removing the test password: %v", err)
		}
	})
	cmd := exec.CommandContext(ctx, bin, "login", "--config", cfgPath)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+xdg)
	cmd.Stdin = strings.NewReader(password + "\n")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("agentlink login: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "stored in the OS keychain") {
		t.Errorf("agentlink login stdout = %q, want the stored confirmation", stdout.String())
	}
	if out := stdout.String() + stderr.String(); strings.Contains(out, password) {
		t.Errorf("agentlink login echoed the password: %q", out)
	}
	if got, err := kc.Password("1001"); err != nil || got != password {
		t.Fatalf("keychain after login: password matches %v, err %v", got == password, err)
	}
}

// checkHeadlessLog checks the app's stderr log: no password or token in
// it, and the debug line saying side B's XMPP port came from SystemInfo.
func checkHeadlessLog(t *testing.T, logPath, password, token string) {
	t.Helper()
	data, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	log := string(data)
	if len(log) == 0 {
		t.Fatal("the app's stderr log is empty: the secret checks below would prove nothing")
	}
	for what, secret := range map[string]string{"the password": password, "the bridge token": token} {
		if secret == "" || strings.Contains(log, secret) {
			t.Errorf("%s appears in the app's stderr log (or is empty)", what)
		}
	}
	found := false
	for _, line := range strings.Split(log, "\n") {
		found = found || (strings.Contains(line, "finesse ports chosen") && strings.Contains(line, "side=B") &&
			strings.Contains(line, "xmppFrom=systeminfo"))
	}
	if !found {
		t.Errorf("no debug line choosing side B's XMPP port from SystemInfo in %s", logPath)
	}
}

// headlessBridge waits on a smokeBridge's frames with conditions on any
// frame, not only the agent.
type headlessBridge struct {
	b    *smokeBridge
	seen []string // short descriptions of the frames read, for failures
}

// waitFor reads frames until one satisfies ok; frames before it are
// consumed.
func (h *headlessBridge) waitFor(ctx context.Context, t *testing.T, what string, ok func(smokeFrame) bool) smokeFrame {
	t.Helper()
	wait, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for {
		select {
		case f, open := <-h.b.frames:
			if !open {
				t.Fatalf("bridge connection closed waiting for %s; frames: %s", what, h.recent())
			}
			h.note(f)
			if ok(f) {
				return f
			}
		case <-wait.Done():
			t.Fatalf("timed out waiting for %s; frames: %s", what, h.recent())
		}
	}
}

// command sends cmd and waits until both its ok response and a frame
// satisfying event have arrived (in either order).
func (h *headlessBridge) command(ctx context.Context, t *testing.T, id, cmd string, args any, event func(smokeFrame) bool) {
	t.Helper()
	h.send(ctx, t, id, cmd, args)
	gotResp, gotEvent := false, false
	h.waitFor(ctx, t, cmd+" confirmed", func(f smokeFrame) bool {
		if f.ID == id {
			if !f.OK {
				t.Fatalf("%s failed: %s", cmd, f.Result)
			}
			gotResp = true
		}
		gotEvent = gotEvent || event(f)
		return gotResp && gotEvent
	})
}

func (h *headlessBridge) send(ctx context.Context, t *testing.T, id, cmd string, args any) {
	t.Helper()
	msg, err := json.Marshal(map[string]any{"id": id, "cmd": cmd, "args": args})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.b.conn.Write(ctx, websocket.MessageText, msg); err != nil {
		t.Fatalf("sending %s: %v", cmd, err)
	}
}

// headlessSnapshot is the part of a GetState result the test checks.
type headlessSnapshot struct {
	System  struct{ Status, Node string }
	Agent   struct{ State string }
	Dialogs []headlessDialog
}

type headlessDialog struct {
	ID, State  string
	AgentState string `json:"agentState"`
}

func (h *headlessBridge) getState(ctx context.Context, t *testing.T) headlessSnapshot {
	t.Helper()
	h.send(ctx, t, "state", "GetState", nil)
	f := h.waitFor(ctx, t, "GetState result", func(f smokeFrame) bool { return f.ID == "state" })
	var s headlessSnapshot
	if !f.OK || json.Unmarshal(f.Result, &s) != nil {
		t.Fatalf("GetState: ok=%v result %s", f.OK, f.Result)
	}
	return s
}

func (h *headlessBridge) note(f smokeFrame) {
	d := fmt.Sprintf("response %s ok=%v", f.ID, f.OK)
	if f.Event != "" {
		d = f.Event + " " + string(f.Data[:min(len(f.Data), 160)])
	}
	h.seen = append(h.seen, d)
}

func (h *headlessBridge) recent() string {
	from := max(0, len(h.seen)-12)
	return "\n  " + strings.Join(h.seen[from:], "\n  ")
}

func isAgentState(state string) func(smokeFrame) bool {
	return func(f smokeFrame) bool {
		a, ok := agentOf(f)
		return ok && a.State == state
	}
}

// isDialog matches a Dialog event for id (any, if "") in the given dialog state and, if
// agentState is not empty, with the agent's participant in that state.
func isDialog(id, state, agentState string) func(smokeFrame) bool {
	return func(f smokeFrame) bool {
		var d headlessDialog
		if f.Event != "Dialog" || json.Unmarshal(f.Data, &d) != nil {
			return false
		}
		return (id == "" || d.ID == id) && d.State == state && (agentState == "" || d.AgentState == agentState)
	}
}

// isSystem matches a System event with the status and, if not empty, node.
func isSystem(status, node string) func(smokeFrame) bool {
	return func(f smokeFrame) bool {
		var s struct{ Status, Node string }
		if f.Event != "System" || json.Unmarshal(f.Data, &s) != nil {
			return false
		}
		return s.Status == status && (node == "" || s.Node == node)
	}
}

func findDialog(ds []headlessDialog, id string) (headlessDialog, bool) {
	for _, d := range ds {
		if d.ID == id {
			return d, true
		}
	}
	return headlessDialog{}, false
}

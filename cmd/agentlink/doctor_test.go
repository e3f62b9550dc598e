package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse"
	"github.com/agentlink/agentlink/finesse/finessesim"
	"github.com/agentlink/agentlink/localbridge"
)

// The doctor tests isolate HOME and XDG_CONFIG_HOME with t.Setenv and
// replace go-keyring's process-global provider, so they do not run in
// parallel. They use the real simulator and real sockets.
// startDoctorSim starts the two-node simulator on loopback.
func startDoctorSim(t *testing.T) *finessesim.Sim {
	t.Helper()
	sim, err := finessesim.Start(t.Context(), finessesim.Config{Seed: 1})
	if err != nil {
		t.Fatalf("starting the simulator: %v", err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func nodeAddr(sim *finessesim.Sim, id finessesim.NodeID) string {
	n := sim.Node(id)
	return net.JoinHostPort(n.Host(), strconv.Itoa(n.RESTPort()))
}

// doctorConfig writes a config.toml for the simulator. Values are raw TOML;
// an override of "" leaves the key out.
func doctorConfig(t *testing.T, sim *finessesim.Sim, overrides map[string]string) string {
	t.Helper()
	keys := map[string]string{
		"finesse.side_a":         strconv.Quote(nodeAddr(sim, "A")),
		"finesse.side_b":         strconv.Quote(nodeAddr(sim, "B")),
		"finesse.xmpp_port":      strconv.Itoa(sim.Node("A").XMPPTLSPort()),
		"finesse.ca_file":        strconv.Quote(sim.CAFile()),
		"finesse.agent_id":       `"1001"`,
		"finesse.extension":      `"5001"`,
		"bridge.addr":            strconv.Quote(freeAddr(t)),
		"bridge.allowed_origins": `["https://crm.example.com"]`,
	}
	for k, v := range overrides {
		keys[k] = v
	}
	var b strings.Builder
	for _, section := range []string{"finesse", "bridge"} {
		fmt.Fprintf(&b, "[%s]\n", section)
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			if name, ok := strings.CutPrefix(k, section+"."); ok && keys[k] != "" {
				fmt.Fprintf(&b, "%s = %s\n", name, keys[k])
			}
		}
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runDoctorJSON runs agentlink doctor --json and decodes the results.
func runDoctorJSON(t *testing.T, args ...string) ([]checkResult, string, error) {
	t.Helper()
	out, _, err := runCapture(t, t.Context(), nil, append([]string{"doctor", "--json"}, args...)...)
	var rs []checkResult
	if jerr := json.Unmarshal([]byte(out), &rs); jerr != nil {
		t.Fatalf("doctor --json output is not a JSON array: %v\n%s", jerr, out)
	}
	return rs, out, err
}

// result returns the result of one check.
func result(t *testing.T, rs []checkResult, check string) checkResult {
	t.Helper()
	for _, r := range rs {
		if r.Check == check {
			return r
		}
	}
	t.Fatalf("no %q check in %+v", check, rs)
	return checkResult{}
}

// wantResult checks status and that detail and fix contain the strings.
func wantResult(t *testing.T, rs []checkResult, check string, status checkStatus, detail, fix []string) {
	t.Helper()
	r := result(t, rs, check)
	if r.Status != status {
		t.Errorf("%s: status = %s, want %s (detail %q, fix %q)", check, r.Status, status, r.Detail, r.Fix)
	}
	for _, s := range detail {
		if !strings.Contains(r.Detail, s) {
			t.Errorf("%s: detail = %q, want it to contain %q", check, r.Detail, s)
		}
	}
	for _, s := range fix {
		if !strings.Contains(r.Fix, s) {
			t.Errorf("%s: fix = %q, want it to contain %q", check, r.Fix, s)
		}
	}
}

func wantFailed(t *testing.T, err error, want bool) {
	t.Helper()
	var df *errDoctorFailed
	if got := errors.As(err, &df); got != want {
		t.Errorf("doctor error = %v; want a failed-checks error: %v", err, want)
	}
	if !want && err != nil {
		t.Errorf("doctor error = %v, want nil", err)
	}
}

func TestDoctorHealthy(t *testing.T) {
	isolateConfig(t)
	useMemKeychain(t, nil)
	sim := startDoctorSim(t)
	cfg := doctorConfig(t, sim, nil)

	rs, _, err := runDoctorJSON(t, "--config", cfg)
	wantFailed(t, err, false)
	tlsOK := []string{"TLS ok", "SystemInfo requires sign-in", "XMPP 127.0.0.1:"}
	wantResult(t, rs, "finesse side A", statusOK, append(tlsOK, nodeAddr(sim, "A")), nil)
	wantResult(t, rs, "finesse side B", statusOK, append(tlsOK, nodeAddr(sim, "B")), nil)
	wantResult(t, rs, "bridge", statusWarn, []string{"AgentLink is not running", "is free"}, []string{"start AgentLink"})
	wantResult(t, rs, "config", statusOK, []string{"loaded " + cfg}, nil)
	wantResult(t, rs, "origins", statusOK, []string{"https://crm.example.com"}, nil)
	wantResult(t, rs, "password", statusSkip, []string{"lock-out", "--check-password"}, nil)
	wantResult(t, rs, "keychain", statusWarn, []string{"no password for agent 1001"}, []string{"agentlink login --agent 1001"})

	out, _, err := runCapture(t, t.Context(), nil, "doctor", "--config", cfg)
	wantFailed(t, err, false)
	for _, want := range []string{"ok    finesse side A  ", "warn  bridge          AgentLink is not running",
		"\n      fix: start AgentLink", "11 checks: ", "ok    headless        --headless runs in this binary"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}

func TestDoctorFinesseProblems(t *testing.T) {
	isolateConfig(t)
	useMemKeychain(t, nil)
	sim := startDoctorSim(t)
	closed := freeAddr(t)
	_, closedPort, _ := net.SplitHostPort(closed)
	tests := []struct {
		name      string
		overrides map[string]string
		check     string
		status    checkStatus
		detail    []string
		fix       []string
	}{
		{"untrusted certificate", map[string]string{"finesse.ca_file": ""}, "finesse side A", statusFail,
			[]string{"unknown CA", "Finesse Simulator CA"}, []string{"finesse.ca_file"}},
		{"insecure_skip_verify", map[string]string{"finesse.ca_file": "", "finesse.insecure_skip_verify": "true"}, "finesse side A", statusWarn,
			[]string{"unknown CA", "ignored: finesse.insecure_skip_verify is on"}, []string{"finesse.ca_file", "remove finesse.insecure_skip_verify"}},
		{"XMPP port blocked", map[string]string{"finesse.xmpp_port": closedPort, "finesse.xmpp_ports_from": `"config"`, "finesse.side_b": ""},
			"finesse side A", statusFail, []string{"XMPP " + closed, "connection refused", "TLS ok"}, []string{"TCP " + closedPort, "finesse.xmpp_port"}},
		{"XMPP port unsure without SystemInfo", map[string]string{"finesse.xmpp_port": closedPort, "finesse.side_b": ""},
			"finesse side A", statusWarn, []string{"XMPP " + closed, "SystemInfo was not readable"}, []string{"TCP " + closedPort}},
		{"no side B", map[string]string{"finesse.side_b": ""}, "finesse side B", statusSkip, []string{"not configured"}, nil},
		{"no such host", map[string]string{"finesse.side_b": `"finesse-b.invalid"`}, "finesse side B", statusFail,
			[]string{"cannot resolve finesse-b.invalid"}, []string{"finesse.side_b", "--side-b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, _, err := runDoctorJSON(t, "--config", doctorConfig(t, sim, tt.overrides))
			wantFailed(t, err, tt.status == statusFail)
			wantResult(t, rs, tt.check, tt.status, tt.detail, tt.fix)
		})
	}
}

func TestDoctorSideBDown(t *testing.T) {
	isolateConfig(t)
	useMemKeychain(t, nil)
	sim := startDoctorSim(t)
	cfg := doctorConfig(t, sim, nil)
	if err := sim.KillNode("B"); err != nil {
		t.Fatal(err)
	}
	rs, _, err := runDoctorJSON(t, "--config", cfg)
	wantFailed(t, err, true)
	wantResult(t, rs, "finesse side B", statusFail, []string{"REST " + nodeAddr(sim, "B"), "connection refused"},
		[]string{"finesse.side_b", "firewall"})
	wantResult(t, rs, "finesse side A", statusOK, []string{"TLS ok"}, nil)
}

// startBridge runs a real bridge on a free loopback port with token.
func startBridge(t *testing.T, token string) string {
	t.Helper()
	link, err := finesse.NewLink(finesse.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := localbridge.New(localbridge.Config{Addr: "127.0.0.1:0", Token: token, Version: "test",
		Session: core.NewSession(core.Config{Port: link})})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-srv.Ready():
	case err := <-done:
		t.Fatalf("bridge Run: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("bridge not ready within 5s")
	}
	return srv.Addr()
}

func TestDoctorBridge(t *testing.T) {
	dir := isolateConfig(t)
	useMemKeychain(t, nil)
	sim := startDoctorSim(t)
	token, err := loadOrCreateToken(dir)
	if err != nil {
		t.Fatal(err)
	}
	other, err := localbridge.GenerateToken()
	if err != nil {
		t.Fatal(err)
	}
	squatter, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	tests := []struct {
		name   string
		addr   string
		status checkStatus
		detail []string
		fix    []string
	}{
		{"running", startBridge(t, token), statusOK,
			[]string{"AgentLink test is running on", "Finesse OUT_OF_SERVICE", "no agent signed in", "0 toolbar connection(s)"}, nil},
		{"token mismatch", startBridge(t, other), statusFail,
			[]string{"refuses the token in " + filepath.Join(dir, tokenFileName), "another user"}, []string{"as the user who runs AgentLink"}},
		{"port held by another program", squatter.Addr().String(), statusFail,
			[]string{"something other than AgentLink holds " + squatter.Addr().String()}, []string{"bridge.addr", "--bridge-addr"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := doctorConfig(t, sim, map[string]string{"bridge.addr": strconv.Quote(tt.addr)})
			rs, out, err := runDoctorJSON(t, "--config", cfg)
			wantFailed(t, err, tt.status == statusFail)
			wantResult(t, rs, "bridge", tt.status, tt.detail, tt.fix)
			if strings.Contains(out, token) || strings.Contains(out, other) {
				t.Errorf("the output shows a bridge token:\n%s", out)
			}
		})
	}
}

func TestDoctorCheckPassword(t *testing.T) {
	isolateConfig(t)
	sim := startDoctorSim(t)
	cfg := doctorConfig(t, sim, nil)
	tests := []struct {
		name, stored string
		flag         bool
		status       checkStatus
		detail       []string
		fix          []string
	}{
		{"not asked", "secret1", false, statusSkip, []string{"not checked", "lock-out"}, nil},
		{"right password", "secret1", true, statusOK, []string{"side A accepted the stored password of agent 1001"}, nil},
		{"wrong password", "wrong-pw", true, statusFail, []string{"wrong password", "lock-out"}, []string{"agentlink login --agent 1001"}},
		{"nothing stored", "", true, statusSkip, []string{"no stored password"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			useMemKeychain(t, nil)
			if tt.stored != "" {
				if err := newKeychain().SetPassword("1001", tt.stored); err != nil {
					t.Fatal(err)
				}
			}
			args := []string{"--config", cfg}
			if tt.flag {
				args = append(args, "--check-password")
			}
			rs, out, err := runDoctorJSON(t, args...)
			wantFailed(t, err, tt.status == statusFail)
			wantResult(t, rs, "password", tt.status, tt.detail, tt.fix)
			if tt.stored != "" && strings.Contains(out, tt.stored) {
				t.Errorf("the output shows the password:\n%s", out)
			}
		})
	}
}

func TestDoctorLockedAccount(t *testing.T) {
	isolateConfig(t)
	sim, err := finessesim.Start(t.Context(), finessesim.Config{Seed: 1, LockoutAfter: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	useMemKeychain(t, nil)
	if err := newKeychain().SetPassword("1001", "wrong-pw"); err != nil {
		t.Fatal(err)
	}
	cfg := doctorConfig(t, sim, map[string]string{"finesse.side_b": ""})
	for i, want := range []string{"wrong password", "locked out"} {
		rs, _, _ := runDoctorJSON(t, "--config", cfg, "--check-password")
		if r := result(t, rs, "password"); r.Status != statusFail || !strings.Contains(r.Detail, want) {
			t.Errorf("run %d: password = %s %q, want FAIL containing %q", i+1, r.Status, r.Detail, want)
		}
	}
}

// TestDoctorRedaction runs every check that handles a secret (the bridge
// status with the token, the password check, a proxy with credentials)
// and makes sure no secret reaches the output, in text or JSON.
func TestDoctorRedaction(t *testing.T) {
	dir := isolateConfig(t)
	sim := startDoctorSim(t)
	useMemKeychain(t, nil)
	const password = "secret1"
	if err := newKeychain().SetPassword("1001", password); err != nil {
		t.Fatal(err)
	}
	token, err := loadOrCreateToken(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("HTTPS_PROXY", "http://proxyuser:proxy-pass-77@proxy.example.com:3128")
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")
	cfg := doctorConfig(t, sim, map[string]string{"bridge.addr": strconv.Quote(startBridge(t, token))})
	secrets := []string{password, token, "proxy-pass-77", base64.StdEncoding.EncodeToString([]byte("1001:" + password))}
	for _, format := range [][]string{{"--json"}, nil} {
		args := append([]string{"doctor", "--config", cfg, "--check-password"}, format...)
		out, errOut, err := runCapture(t, t.Context(), nil, args...)
		if err != nil {
			t.Errorf("doctor %v: %v\n%s", format, err, out)
		}
		for _, want := range []string{"accepted the stored password", "AgentLink test is running", "proxy.example.com:3128"} {
			if !strings.Contains(out, want) {
				t.Errorf("doctor %v output lacks %q:\n%s", format, want, out)
			}
		}
		for _, s := range secrets {
			if strings.Contains(out, s) || strings.Contains(errOut, s) {
				t.Errorf("doctor %v output shows the secret %q:\n%s%s", format, s, out, errOut)
			}
		}
	}
}

// TestDoctorReadsSystemInfo runs against a simulator that answers
// SystemInfo without credentials (an unverified point of real Finesse, so a
// simulator option): side A IN_SERVICE with the XMPP port it advertises,
// side B in maintenance (warn), then side B OUT_OF_SERVICE (warn).
func TestDoctorReadsSystemInfo(t *testing.T) {
	isolateConfig(t)
	useMemKeychain(t, nil)
	sim, err := finessesim.Start(t.Context(), finessesim.Config{Seed: 2, OpenSystemInfo: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	cfg := doctorConfig(t, sim, map[string]string{"finesse.xmpp_port": ""})
	if err := sim.SetMaintenance(finessesim.NodeB, "IN_PROGRESS"); err != nil {
		t.Fatal(err)
	}
	rs, _, err := runDoctorJSON(t, "--config", cfg)
	wantFailed(t, err, false)
	xmppA := fmt.Sprintf("XMPP 127.0.0.1:%d (direct TLS, port from SystemInfo)", sim.Node(finessesim.NodeA).XMPPTLSPort())
	wantResult(t, rs, "finesse side A", statusOK, []string{"Finesse IN_SERVICE", "UCCE", xmppA, "TLS ok"}, nil)
	wantResult(t, rs, "finesse side B", statusWarn, []string{"in maintenance (finesseMMode IN_PROGRESS)"}, []string{"drained"})

	if err := sim.SetMaintenance(finessesim.NodeB, ""); err != nil {
		t.Fatal(err)
	}
	if err := sim.SetInService(finessesim.NodeB, false); err != nil {
		t.Fatal(err)
	}
	rs, _, err = runDoctorJSON(t, "--config", cfg)
	wantFailed(t, err, false)
	wantResult(t, rs, "finesse side B", statusWarn, []string{"Finesse OUT_OF_SERVICE", "CTI_CONNECTION_LOST"}, []string{"other side"})
}

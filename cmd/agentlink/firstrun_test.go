//go:build !nogui

package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestSmokeFirstRunTypedServers runs the real binary with no config file
// under Xvfb: the agent types the simulator's side A with their
// credentials in the login form and is signed in; the servers are
// remembered, so after a restart typing the credentials alone signs in.
// The simulator's CA is trusted through SSL_CERT_FILE, not a config file.
func TestSmokeFirstRunTypedServers(t *testing.T) {
	requireDesktop(t)
	bin := testBinary(t) // before the deadline: a cold build takes minutes
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	sim := startHeadlessSim(ctx, t, "secret1")
	a := sim.Node(finessesim.NodeA)
	sideA := net.JoinHostPort(a.Host(), strconv.Itoa(a.RESTPort()))
	xdg := t.TempDir()

	app := startApp(ctx, t, bin, xdg, "firstrun-first", []string{"SSL_CERT_FILE=" + sim.CAFile()}, "--log-level", "debug")
	wid := waitWindow(ctx, t)
	// Login form rows (see screenshots): side A, side B, agent, password,
	// extension; Tab moves between them, Enter in extension signs in.
	fillForm(ctx, t, sim, wid, "60", []string{sideA, "Tab", "", "Tab", "1001", "Tab", "secret1", "Tab", "5001", "Return"},
		"signed in from the typed servers", func(i finessesim.AgentInfo) bool {
			return i.State == "NOT_READY" && i.Present
		})
	screenshot(t, "softphone-first-run.png")
	app.stop(t)
	// Fyne writes preferences in the background (debounced) and for sure
	// on quitting, so the file is checked once the app is gone.
	prefs := readPrefs(t, xdg)
	if !strings.Contains(prefs, `"finesse.side_a":"`+sideA+`"`) {
		t.Errorf("preferences %s do not remember side A %q", prefs, sideA)
	}
	if err := waitSimAgent(ctx, sim, 30*time.Second, func(i finessesim.AgentInfo) bool { return !i.Present }); err != nil {
		t.Fatalf("presence after quitting: %v", err)
	}

	// Second start: side A is pre-filled; agent ID, password, extension.
	app = startApp(ctx, t, bin, xdg, "firstrun-second", []string{"SSL_CERT_FILE=" + sim.CAFile()}, "--log-level", "debug")
	wid = waitWindow(ctx, t)
	fillForm(ctx, t, sim, wid, "138", []string{"1001", "Tab", "secret1", "Tab", "5001", "Return"},
		"signed in with the remembered servers", func(i finessesim.AgentInfo) bool { return i.Present })
	app.stop(t)
}

// fillForm clicks the login form field at y and types keys from there,
// until the simulator shows the agent signed in. A window that is mapped
// may not take input yet (a slow start on a loaded machine), so a form
// that did not sign in is filled again, up to three times.
func fillForm(ctx context.Context, t *testing.T, sim *finessesim.Sim, wid, y string, keys []string,
	what string, ok func(finessesim.AgentInfo) bool) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		runTool(t, "xdotool", "mousemove", "--window", wid, "260", y, "click", "1")
		typeKeys(t, keys)
		err := waitSimAgent(ctx, sim, 10*time.Second, ok)
		if err == nil {
			return
		}
		screenshot(t, fmt.Sprintf("firstrun-attempt-%d.png", attempt))
		if attempt == 3 {
			t.Fatalf("%s: %v", what, err)
		}
		t.Logf("%s, attempt %d: %v; filling the form again", what, attempt, err)
	}
}

// typeKeys types into the focused window: "Tab" and "Return" are keys, any
// other item replaces the focused field's text ("" clears it).
func typeKeys(t *testing.T, keys []string) {
	t.Helper()
	for _, k := range keys {
		switch k {
		case "Tab", "Return":
			runTool(t, "xdotool", "key", k)
			continue
		}
		runTool(t, "xdotool", "key", "ctrl+a", "BackSpace")
		if k != "" {
			runTool(t, "xdotool", "type", "--delay", "20", k)
		}
	}
}

// waitSimAgent polls the simulator's agent 1001 until ok, for up to d.
func waitSimAgent(ctx context.Context, sim *finessesim.Sim, d time.Duration, ok func(finessesim.AgentInfo) bool) error {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		info, _ := sim.Agent("1001")
		if ok(info) {
			return nil
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			return fmt.Errorf("timed out after %v; agent %+v", d, info)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// readPrefs returns the app's Fyne preferences file.
func readPrefs(t *testing.T, xdg string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(xdg, "fyne", appID, "preferences.json"))
	if err != nil {
		t.Fatalf("reading the Fyne preferences: %v", err)
	}
	return string(b)
}

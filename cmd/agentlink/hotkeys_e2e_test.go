//go:build !nogui

package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestGlobalHotkeysUnderXvfb runs the real binary against the demo
// simulator with ui.global_hotkeys on and its window hidden in the tray
// (so no key can reach the window), and drives a call with xdotool key
// presses only: Ready, answer, hold, retrieve, end, Not Ready, then Not
// Ready with the reason Lunch by its own hotkey. A reason hotkey naming a
// reason the agent does not have is reported in the window at sign-in.
func TestGlobalHotkeysUnderXvfb(t *testing.T) {
	requireDesktop(t)
	bin := testBinary(t)
	hotkeyHelperBinary(t, bin)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	xdg := hotkeysConfigDir(t, "[ui.hotkey_not_ready_reasons]\n\"ctrl+alt+1\" = \"lunch\"\n\"ctrl+alt+2\" = \"Training\"\n")
	app := startApp(ctx, t, bin, xdg, "hotkeys", []string{"AGENTLINK_DEMO_CALL_INTERVAL=1s"}, "--demo")
	waitLog(ctx, t, app.logPath, "global hotkeys ready: answer=ctrl+alt+a hold=ctrl+alt+h end=ctrl+alt+e ready=ctrl+alt+r notready=ctrl+alt+n reason1=ctrl+alt+1 reason2=ctrl+alt+2")
	if id := visibleWindow(); id != "" {
		t.Fatalf("window %s visible although start_hidden is set", id)
	}
	hb := &headlessBridge{b: dialBridge(ctx, t, app)}
	hb.waitFor(ctx, t, "agent NOT_READY", isAgentState("NOT_READY"))

	runTool(t, "xdotool", "key", "ctrl+alt+r")
	hb.waitFor(ctx, t, "agent READY after ctrl+alt+r", isAgentState("READY"))

	f := hb.waitFor(ctx, t, "a demo call ringing", isDialog("", "ALERTING", "ALERTING"))
	var d headlessDialog
	_ = json.Unmarshal(f.Data, &d)
	runTool(t, "xdotool", "key", "ctrl+alt+a")
	hb.waitFor(ctx, t, "call answered after ctrl+alt+a", isDialog(d.ID, "ACTIVE", "ACTIVE"))
	runTool(t, "xdotool", "key", "ctrl+alt+h")
	hb.waitFor(ctx, t, "call held after ctrl+alt+h", isDialog(d.ID, "ACTIVE", "HELD"))
	runTool(t, "xdotool", "key", "ctrl+alt+h")
	hb.waitFor(ctx, t, "call retrieved after ctrl+alt+h", isDialog(d.ID, "ACTIVE", "ACTIVE"))
	runTool(t, "xdotool", "key", "ctrl+alt+e")
	hb.waitFor(ctx, t, "call ended after ctrl+alt+e", func(f smokeFrame) bool {
		var s struct{ ID string }
		return f.Event == "DialogEnded" && json.Unmarshal(f.Data, &s) == nil && s.ID == d.ID
	})
	st := hb.getState(ctx, t).Agent.State
	if st != "NOT_READY" {
		runTool(t, "xdotool", "key", "ctrl+alt+n")
		hb.waitFor(ctx, t, "agent NOT_READY after ctrl+alt+n (was "+st+")", isAgentState("NOT_READY"))
	}
	runTool(t, "xdotool", "key", "ctrl+alt+1")
	hb.waitFor(ctx, t, "Not Ready, Lunch (reason code 17) after ctrl+alt+1", func(f smokeFrame) bool {
		var a struct{ State, ReasonCodeID string }
		return f.Event == "AgentState" && json.Unmarshal(f.Data, &a) == nil && a.State == "NOT_READY" && a.ReasonCodeID == "17"
	})
	// The reason that does not exist was shown in the window at sign-in.
	waitLog(ctx, t, app.logPath, "ui shows a note")
	waitLog(ctx, t, app.logPath, "which does not exist (the reasons are: Lunch, Meeting, Break)")
	screenshot(t, "global-hotkeys.png")
	app.stop(t)
	// AgentLink stopped its helper: the keys are free to grab again.
	grabber(ctx, t, hotkeyHelperBinary(t, bin), "answer=ctrl+alt+a", "hold=ctrl+alt+h", "end=ctrl+alt+e")
	if b, _ := os.ReadFile(app.logPath); !strings.Contains(string(b), `global hotkey done" verb=end`) &&
		!strings.Contains(string(b), `"msg":"global hotkey done","verb":"end"`) {
		t.Errorf("no log line for the end hotkey in %s", app.logPath)
	}
}

// TestGlobalHotkeyTakenShowsWhy holds ctrl+alt+a with another grabber
// first: AgentLink keeps running, logs why and shows it in the window in
// the agent's words. A combination that is not one (hotkey_ready) does
// not stop AgentLink either: that hotkey is off and the window says so.
func TestGlobalHotkeyTakenShowsWhy(t *testing.T) {
	requireDesktop(t)
	bin := testBinary(t)
	helper := hotkeyHelperBinary(t, bin)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	grabber(ctx, t, helper, "answer=ctrl+alt+a")

	app := startApp(ctx, t, bin, hotkeysConfigDir(t, "hotkey_ready = \"ctrl+pause\"\n"), "hotkeys-taken", []string{"AGENTLINK_DEMO_CALL_INTERVAL=1h"}, "--demo")
	const why = "cannot grab ctrl+alt+a for answer: another program already uses it; choose another combination in config.toml (ui.hotkey_answer)"
	waitLog(ctx, t, app.logPath, why)
	waitLog(ctx, t, app.logPath, "Global hotkeys are off: Ctrl+Alt+A (Answer) is already used by another program")
	waitLog(ctx, t, app.logPath, "The global hotkey for Ready is off")
	screenshot(t, "global-hotkeys-taken.png")
	dialBridge(ctx, t, app) // still serving
	app.stop(t)
}

// The agentlink-hotkeys binary the tests run, built once.
var (
	helperOnce sync.Once
	helperPath string
	helperErr  error
)

// grabber runs another agentlink-hotkeys holding bindings until the test
// ends, and returns once it has grabbed them.
func grabber(ctx context.Context, t *testing.T, helper string, bindings ...string) {
	t.Helper()
	other := exec.Command(helper, append([]string{"--instance", filepath.Join(t.TempDir(), "none.sock")}, bindings...)...)
	out, err := other.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Process.Kill(); _ = other.Wait() })
	waitLine(ctx, t, out, "ready:")
}

// hotkeysConfigDir writes a config with global hotkeys on and the window
// hidden in the tray, plus extra TOML lines for [ui].
func hotkeysConfigDir(t *testing.T, extra string) string {
	t.Helper()
	xdg := t.TempDir()
	if err := os.MkdirAll(filepath.Join(xdg, "agentlink"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(xdg, "agentlink"), "config.toml", "[ui]\nstart_hidden = true\nglobal_hotkeys = true\n"+extra)
	return xdg
}

// hotkeyHelperBinary builds agentlink-hotkeys beside the test's agentlink
// binary, where agentlink looks for it.
func hotkeyHelperBinary(t *testing.T, bin string) string {
	t.Helper()
	helperOnce.Do(func() {
		helperPath = filepath.Join(filepath.Dir(bin), hotkeyHelperName())
		out, err := exec.Command("go", "build", "-o", helperPath, "../agentlink-hotkeys").CombinedOutput()
		if err != nil {
			helperErr = err
			t.Logf("%s", out)
		}
	})
	if helperErr != nil {
		t.Fatalf("building agentlink-hotkeys: %v", helperErr)
	}
	return helperPath
}

// waitLog waits until the file at path contains want.
func waitLog(ctx context.Context, t *testing.T, path, want string) {
	t.Helper()
	waitFor(ctx, t, "log line "+want, func() bool {
		b, _ := os.ReadFile(path)
		return strings.Contains(string(b), want)
	})
}

// waitFor polls ok until it holds or ctx ends.
func waitFor(ctx context.Context, t *testing.T, what string, ok func() bool) {
	t.Helper()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for !ok() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-tick.C:
		}
	}
}

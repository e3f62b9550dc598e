//go:build !nogui

package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"testing"
	"time"
)

// TestHideToTrayReleasesWindow runs the real binary with --demo: Ctrl+W
// hides the softphone to the tray, and once the window is released its X
// window (and with it the GL context) is gone while the process goes on.
// A second launch brings it forward again as a new window, which shows the
// session as it was and still works: clicking Ready makes the agent READY.
func TestHideToTrayReleasesWindow(t *testing.T) {
	requireDesktop(t)
	bin := testBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	xdg := t.TempDir()
	app := startApp(ctx, t, bin, xdg, "hide-to-tray", []string{"AGENTLINK_DEMO_CALL_INTERVAL=1h"}, "--demo")
	bridge := dialBridge(ctx, t, app)
	bridge.waitAgent(ctx, t, func(a smokeAgent) bool { return a.State == "NOT_READY" })
	wid := waitWindow(ctx, t)

	runTool(t, "xdotool", "mousemove", "--window", wid, "200", "300")
	runTool(t, "xdotool", "key", "ctrl+w")
	pollUntil(ctx, t, "the window hidden", func() bool { return visibleWindow() == "" })
	// Released: Fyne destroys the X window with its GL context.
	pollUntil(ctx, t, "the hidden window released", func() bool {
		return exec.Command("xdotool", "getwindowname", wid).Run() != nil
	})

	second := exec.CommandContext(ctx, bin, "--demo")
	second.Env = append(os.Environ(), "XDG_CONFIG_HOME="+xdg)
	var out bytes.Buffer
	second.Stdout, second.Stderr = &out, &out
	if err := second.Run(); err != nil {
		t.Fatalf("second launch: %v\n%s", err, out.String())
	}
	again := waitWindow(ctx, t)
	if again == wid {
		t.Fatalf("window %s shown again is the one hidden: it was not released", wid)
	}
	screenshot(t, "softphone-after-release.png")
	runTool(t, "xdotool", "mousemove", "--window", again, "70", "160", "click", "1") // Ready, as in the smoke test
	bridge.waitAgent(ctx, t, func(a smokeAgent) bool { return a.State == "READY" })
	app.stop(t)
}

// pollUntil polls cond every 100 ms until it holds or ctx ends.
func pollUntil(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-tick.C:
		}
	}
}

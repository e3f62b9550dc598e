//go:build !nogui

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// TestHideToTrayReleasesWindow runs the real binary with --demo: the
// hidden window Fyne's tray creates is closed, and Ctrl+W
// hides the softphone to the tray, and once the window is released its X
// window (and with it the GL context) is gone while the process goes on.
// A second launch brings it forward again as a new window, which shows the
// session as it was and still works: clicking Ready makes the agent READY.
// Hidden and released once more, a click on the tray icon brings it back.
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
	// Fyne's tray made a hidden window with a GL context of its own; the
	// app closes it (ui/release.go).
	pollUntil(ctx, t, "Fyne's tray window closed", func() bool {
		return exec.Command("xdotool", "search", "--name", "^SystrayMonitor$").Run() != nil
	})

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

	// Again, brought back by a click on the tray icon this time.
	runTool(t, "xdotool", "key", "ctrl+w")
	pollUntil(ctx, t, "the window hidden again", func() bool { return visibleWindow() == "" })
	pollUntil(ctx, t, "the window released again", func() bool {
		return exec.Command("xdotool", "getwindowname", again).Run() != nil
	})
	clickTrayIcon(t, app.cmd.Process.Pid)
	if third := waitWindow(ctx, t); third == again {
		t.Fatalf("window %s shown by the tray icon is the one released", third)
	}
	app.stop(t)
}

// clickTrayIcon activates the app's StatusNotifierItem, as a tray host
// does when the icon is clicked.
func clickTrayIcon(t *testing.T, pid int) {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatalf("session bus: %v", err)
	}
	defer conn.Close()
	dest := fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", pid)
	if call := conn.Object(dest, "/StatusNotifierItem").Call("org.kde.StatusNotifierItem.Activate", 0, int32(0), int32(0)); call.Err != nil {
		t.Fatalf("clicking the tray icon: %v", call.Err)
	}
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

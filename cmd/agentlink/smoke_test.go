//go:build !nogui

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSmokeDemoUnderXvfb runs the real binary with --demo under the X
// display and D-Bus session that scripts/test-env.sh provides: it takes a
// screenshot, clicks Ready with xdotool and checks through the bridge that
// the agent became READY, then picks a Not Ready reason from the tray menu
// over D-Bus and checks the agent follows.
func TestSmokeDemoUnderXvfb(t *testing.T) {
	requireDesktop(t)
	bin := testBinary(t) // before the deadline: a cold build takes minutes
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	app := startApp(ctx, t, bin, t.TempDir(), "smoke", []string{"AGENTLINK_DEMO_CALL_INTERVAL=1h"}, "--demo")
	bridge := dialBridge(ctx, t, app)
	bridge.waitAgent(ctx, t, func(a smokeAgent) bool { return a.State == "NOT_READY" })

	wid := waitWindow(ctx, t)
	screenshot(t, "softphone-demo.png")
	runTool(t, "xdotool", "mousemove", "--window", wid, "70", "160", "click", "1") // Ready, below the identity line and the connection strip
	bridge.waitAgent(ctx, t, func(a smokeAgent) bool { return a.State == "READY" })

	menu := waitTrayMenu(ctx, t, app.cmd.Process.Pid)
	reason := menu.clickFirstNotReadyReason(ctx, t)
	bridge.waitAgent(ctx, t, func(a smokeAgent) bool {
		return a.State == "NOT_READY" && a.ReasonLabel == reason
	})
	screenshot(t, "softphone-after-tray.png")
	app.stop(t)
}

// requireDesktop skips outside a desktop session, except in CI where the
// test environment must provide one.
func requireDesktop(t *testing.T) {
	t.Helper()
	var missing []string
	for _, env := range []string{"DISPLAY", "DBUS_SESSION_BUS_ADDRESS"} {
		if os.Getenv(env) == "" {
			missing = append(missing, "$"+env)
		}
	}
	for _, tool := range []string{"xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("no desktop session (missing %s); run it through scripts/test-env.sh", strings.Join(missing, ", "))
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func screenshot(t *testing.T, name string) {
	t.Helper()
	path := filepath.Join(artifactsDir(t), name)
	runTool(t, "import", "-window", "root", path)
	t.Logf("screenshot: %s", path)
}

// waitWindow waits for the softphone window to be mapped and returns its
// X window id.
func waitWindow(ctx context.Context, t *testing.T) string {
	t.Helper()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		out, err := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^AgentLink$").Output()
		if id, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n"); err == nil && id != "" {
			return id
		}
		select {
		case <-ctx.Done():
			t.Fatal("the AgentLink window never appeared")
		case <-tick.C:
		}
	}
}

func runTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// waitAgent reads frames until the agent (from a Connect snapshot or an
// AgentState event) satisfies ok.
func (b *smokeBridge) waitAgent(ctx context.Context, t *testing.T, ok func(smokeAgent) bool) {
	t.Helper()
	var last smokeAgent
	for {
		select {
		case f, open := <-b.frames:
			if !open {
				t.Fatalf("bridge connection closed; last agent state %+v", last)
			}
			if a, found := agentOf(f); found {
				last = a
				if ok(a) {
					return
				}
			}
		case <-ctx.Done():
			t.Fatalf("agent never reached the expected state; last seen %+v", last)
		}
	}
}

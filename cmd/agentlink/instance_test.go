//go:build !nogui

package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSecondLaunchShowsWindow starts the real binary hidden in the tray
// (ui.start_hidden), launches it a second time with the same config dir and
// checks that the second launch exits 0 and the first one's window comes
// up.
func TestSecondLaunchShowsWindow(t *testing.T) {
	requireDesktop(t)
	bin := testBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	xdg := t.TempDir()
	if err := os.MkdirAll(filepath.Join(xdg, "agentlink"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(xdg, "agentlink"), "config.toml", "[ui]\nstart_hidden = true\n")
	app := startApp(ctx, t, bin, xdg, "first-instance", []string{"AGENTLINK_DEMO_CALL_INTERVAL=1h"}, "--demo")
	if id := visibleWindow(); id != "" {
		t.Fatalf("window %s visible although start_hidden is set", id)
	}
	// Hidden in the tray, the tooltip says who is signed in and the state.
	tip := waitTrayTooltip(ctx, t, app.cmd.Process.Pid, "agent 1001 · ext 5001 – Not Ready")
	t.Logf("tray tooltip: %q", tip)

	second := exec.CommandContext(ctx, bin, "--demo")
	second.Env = append(os.Environ(), "XDG_CONFIG_HOME="+xdg)
	var out, errOut bytes.Buffer
	second.Stdout, second.Stderr = &out, &errOut
	if err := second.Run(); err != nil {
		t.Fatalf("second launch: %v\nstdout: %s\nstderr: %s", err, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "already running") {
		t.Errorf("second launch printed %q, want it to say AgentLink is already running", out.String())
	}
	waitWindow(ctx, t)
	screenshot(t, "second-launch-shows-window.png")
	app.stop(t)
}

// TestStartupErrorWindow starts the real binary with agent_id written as a
// number: a window says what is wrong (Escape closes it), and stderr has
// the same message naming the key and the fix.
func TestStartupErrorWindow(t *testing.T) {
	requireDesktop(t)
	bin := testBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	xdg := t.TempDir()
	if err := os.MkdirAll(filepath.Join(xdg, "agentlink"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(xdg, "agentlink"), "config.toml", "[finesse]\nside_a = \"fa.example.com\"\nagent_id = 1001\n")
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+xdg)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	wid := waitNamedWindow(ctx, t, "^AgentLink cannot start$")
	screenshot(t, "startup-error.png")
	runTool(t, "xdotool", "mousemove", "--window", wid, "60", "60", "click", "1")
	runTool(t, "xdotool", "key", "Escape")
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Errorf("exit = %v, want status 1", err)
		}
	case <-ctx.Done():
		t.Fatal("Escape did not close the start-up error window")
	}
	want := `config.toml line 3: finesse.agent_id must be text in double quotes, for example agent_id = "1001"`
	if !strings.Contains(errOut.String(), want) {
		t.Errorf("stderr = %q, want it to contain %q", errOut.String(), want)
	}
}

func TestCheckBridgePortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = checkBridgePort(ln.Addr().String())
	if err == nil || !strings.Contains(err.Error(), "set bridge.addr in config.toml") {
		t.Errorf("checkBridgePort(taken) = %v, want the fix", err)
	}
	free := freeLoopbackAddr(t)
	if err := checkBridgePort(free); err != nil {
		t.Errorf("checkBridgePort(free) = %v", err)
	}
}

// TestClaimInstance checks the lock on its own: a second claim for the same
// config dir asks the first to show its window; another dir is independent.
func TestClaimInstance(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	first, err := claimInstance("/config/one", discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	shown := make(chan struct{}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go first.Serve(ctx, instanceHandler{show: func() { shown <- struct{}{} }})

	if _, err := claimInstance("/config/one", discardLogger()); err != errAlreadyRunning {
		t.Fatalf("second claim = %v, want errAlreadyRunning", err)
	}
	select {
	case <-shown:
	case <-time.After(5 * time.Second):
		t.Fatal("the first instance was not asked to show its window")
	}
	other, err := claimInstance("/config/two", discardLogger())
	if err != nil {
		t.Fatalf("claim for another config dir: %v", err)
	}
	other.Close()
	fi, err := os.Stat(filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), "agentlink"))
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("instance dir mode = %v (%v), want 0700", fi.Mode().Perm(), err)
	}
	first.Close()
	again, err := claimInstance("/config/one", discardLogger())
	if err != nil {
		t.Fatalf("claim after the first closed: %v", err)
	}
	again.Close()
}

// visibleWindow is the id of a visible AgentLink window, or "".
func visibleWindow() string {
	out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^AgentLink$").Output()
	id, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return id
}

// waitNamedWindow waits for a visible window whose name matches re.
func waitNamedWindow(ctx context.Context, t *testing.T, re string) string {
	t.Helper()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		out, err := exec.Command("xdotool", "search", "--onlyvisible", "--name", re).Output()
		if id, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n"); err == nil && id != "" {
			return id
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no window named %s appeared", re)
		case <-tick.C:
		}
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

//go:build linux && !nogui

package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestHeadlessExecsNoguiSibling runs the real full binary with the real
// nogui build beside it as agentlink-headless: `--headless --demo` must
// become the nogui build in the same process (execve: same PID, its
// /proc/PID/exe the sibling), serve the bridge, say so in its log, stop
// cleanly, and the doctor must name the sibling.
func TestHeadlessExecsNoguiSibling(t *testing.T) {
	dir := siblingDir(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	buildInto(ctx, t, filepath.Join(dir, headlessSiblingName), "-tags", "nogui")

	app := startApp(ctx, t, filepath.Join(dir, "agentlink"), t.TempDir(), "headless-sibling", nil, "--headless", "--demo")
	if exe := procExe(t, app.cmd.Process.Pid); exe != filepath.Join(dir, headlessSiblingName) {
		t.Errorf("process %d runs %s, want the sibling %s\n%s", app.cmd.Process.Pid, exe, headlessSiblingName, logTail(app.logPath, 20))
	}
	app.stop(t)
	logText := readFile(t, app.logPath)
	for _, want := range []string{"headless: replacing this process with the nogui build", "headless: running the nogui build"} {
		if !strings.Contains(logText, want) {
			t.Errorf("log lacks %q:\n%s", want, logText)
		}
	}
	out := runDoctorIn(ctx, t, dir)
	if !strings.Contains(out, "--headless runs "+filepath.Join(dir, headlessSiblingName)) {
		t.Errorf("doctor does not name the sibling:\n%s", out)
	}
}

// TestHeadlessWithoutSiblingRunsInProcess: no agentlink-headless beside the
// binary, or one that is not a nogui build, and --headless runs in the full
// binary itself, saying why.
func TestHeadlessWithoutSiblingRunsInProcess(t *testing.T) {
	dir := siblingDir(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bin := filepath.Join(dir, "agentlink")
	for _, c := range []struct{ name, reason string }{
		{"absent", headlessSiblingName + " does not exist"},
		{"not nogui", "not built with -tags nogui"},
	} {
		if c.name == "not nogui" { // the full build under the sibling's name
			linkOrCopy(t, bin, filepath.Join(dir, headlessSiblingName))
		}
		app := startApp(ctx, t, bin, t.TempDir(), "headless-no-sibling", nil, "--headless", "--demo")
		if exe := procExe(t, app.cmd.Process.Pid); exe != bin {
			t.Errorf("%s: process runs %s, want %s", c.name, exe, bin)
		}
		app.stop(t)
		if logText := readFile(t, app.logPath); !strings.Contains(logText, "headless: running in this process") ||
			!strings.Contains(logText, c.reason) {
			t.Errorf("%s: log does not say it runs in process because %q:\n%s", c.name, c.reason, logText)
		}
	}
}

// siblingDir is a fresh directory holding the test's full binary (the
// shared test binary must stay alone: other tests expect it in process).
func siblingDir(t *testing.T) string {
	t.Helper()
	bin := testBinary(t)
	dir := t.TempDir()
	linkOrCopy(t, bin, filepath.Join(dir, "agentlink"))
	return dir
}

// buildInto builds this package the way testBinary does, with flags.
func buildInto(ctx context.Context, t *testing.T, out string, flags ...string) {
	t.Helper()
	args := append(append([]string{"build"}, flags...), "-o", out, ".")
	if msg, err := exec.CommandContext(ctx, "go", args...).CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, msg)
	}
}

func linkOrCopy(t *testing.T, from, to string) {
	t.Helper()
	if os.Link(from, to) == nil {
		return
	}
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

func procExe(t *testing.T, pid int) string {
	t.Helper()
	exe, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe")
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

// runDoctorIn runs dir/agentlink doctor with an empty config; its exit
// status is not the point (nothing is configured), its report is.
func runDoctorIn(ctx context.Context, t *testing.T, dir string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, filepath.Join(dir, "agentlink"), "doctor")
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), envNoSibling+"=")
	out, _ := cmd.CombinedOutput()
	return string(out)
}

package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// Fault suite (issue 15): the config directory, which holds the log file,
// the bridge token and the call outbox, on a filesystem of its own that is
// full or read-only. The app must keep serving calls, log to stderr with
// one warning, and show the fault in the Connector Monitor. A tiny tmpfs
// needs root (CI runs make test as root).
//
//	CI=true scripts/test-env.sh go test -race -run FaultDisk -v ./cmd/agentlink/

// TestFaultDiskFull fills the filesystem under the running app.
func TestFaultDiskFull(t *testing.T) {
	mnt := smallFS(t)
	ctx, sim, bin, cfgPath, password := diskSetup(t, mnt)
	app := startApp(ctx, t, bin, mnt, "disk-full", nil, "--headless", "--config", cfgPath, "--log-level", "debug")
	hb := &headlessBridge{b: dialBridge(ctx, t, app)}
	hb.waitFor(ctx, t, "agent 1001 signed in", isAgentState("NOT_READY"))
	hb.command(ctx, t, "ready", "SetState", map[string]string{"state": "READY"}, isAgentState("READY"))

	filler := fillFS(t, mnt)
	logUntilFull(ctx, t, app, hb)
	serveOneCall(ctx, t, sim, hb)
	waitFault(ctx, t, app, "log file unwritable", true)
	if n := strings.Count(readFile(t, app.logPath), "the log file cannot be written"); n != 1 {
		t.Errorf("stderr warned %d times that the log file cannot be written, want once", n)
	}

	// Space comes back: the next records reach the file, which says how
	// many were dropped, and the monitor shows the fault cleared.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	hb.command(ctx, t, "nr2", "SetState", map[string]string{"state": "READY"}, isAgentState("READY"))
	waitFault(ctx, t, app, "log file unwritable", false)
	if log := readFile(t, filepath.Join(mnt, "agentlink", "agentlink.log")); !strings.Contains(log, "log records dropped while the log file could not be written") {
		t.Errorf("the log file does not say records were dropped; its end: %q", log[max(0, len(log)-400):])
	}
	app.stop(t)
	checkNoSecrets(t, app.logPath, password, bridgeToken(t, mnt))
}

// TestFaultConfigReadOnly starts the app on a config directory mounted
// read-only (the token written earlier, nothing else can be).
func TestFaultConfigReadOnly(t *testing.T) {
	mnt := smallFS(t)
	ctx, sim, bin, cfgPath, password := diskSetup(t, mnt)
	app := startApp(ctx, t, bin, mnt, "config-rw", nil, "--headless", "--config", cfgPath)
	token := bridgeToken(t, mnt)
	app.stop(t)
	if out, err := exec.Command("mount", "-o", "remount,ro", mnt).CombinedOutput(); err != nil {
		t.Fatalf("remount read-only: %v: %s", err, out)
	}
	if err := os.WriteFile(filepath.Join(mnt, "probe"), nil, 0o600); !errors.Is(err, syscall.EROFS) {
		t.Fatalf("writing into the read-only mount: %v, want EROFS", err)
	}

	app = startApp(ctx, t, bin, mnt, "config-ro", nil, "--headless", "--config", cfgPath)
	hb := &headlessBridge{b: dialBridge(ctx, t, app)}
	hb.waitFor(ctx, t, "agent 1001 signed in", isAgentState("NOT_READY"))
	hb.command(ctx, t, "ready", "SetState", map[string]string{"state": "READY"}, isAgentState("READY"))
	serveOneCall(ctx, t, sim, hb)
	waitFault(ctx, t, app, "log file unwritable", true)
	waitFault(ctx, t, app, "call outbox in memory only", true)
	if n := strings.Count(readFile(t, app.logPath), "log file unusable; logging to stderr only"); n != 1 {
		t.Errorf("stderr warned %d times that the log file is unusable, want once", n)
	}
	app.stop(t)
	checkNoSecrets(t, app.logPath, password, token)
}

// smallFS mounts a 1 MiB tmpfs for the test and unmounts it at cleanup,
// whatever happened. It needs root: skipped without, a failure in CI.
func smallFS(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("the disk fault tests mount a filesystem: run them as root")
		}
		t.Skip("needs root to mount a small filesystem; CI runs it as root")
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Fatalf("mounting a tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() { // registered after TempDir's cleanup, so it runs before it
		if out, err := exec.Command("umount", "-l", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", mnt, err, out)
		}
	})
	return mnt
}

// diskSetup starts the simulator, writes the config (log.file beside it on
// the small filesystem) and stores the password in the keychain.
func diskSetup(t *testing.T, xdg string) (ctx context.Context, sim *finessesim.Sim, bin, cfgPath, password string) {
	t.Helper()
	requireKeyring(t)
	bin = testBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	password = "pw-" + rand.Text()
	sim = startHeadlessSim(ctx, t, password)
	dir := filepath.Join(xdg, "agentlink")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	a, b := sim.Node(finessesim.NodeA), sim.Node(finessesim.NodeB)
	hp := func(n *finessesim.Node) string { return net.JoinHostPort(n.Host(), strconv.Itoa(n.RESTPort())) }
	cfg := fmt.Sprintf("[finesse]\nside_a = %q\nside_b = %q\nxmpp_port = %d\nca_file = %q\nagent_id = \"1001\"\nextension = \"5001\"\n\n[log]\nfile = %q\n",
		hp(a), hp(b), a.XMPPTLSPort(), sim.CAFile(), filepath.Join(dir, "agentlink.log"))
	cfgPath = filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	storePassword(ctx, t, bin, cfgPath, xdg, password)
	return ctx, sim, bin, cfgPath, password
}

// fillFS writes a file until the filesystem is full and returns its path.
func fillFS(t *testing.T, mnt string) string {
	t.Helper()
	path := filepath.Join(mnt, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("filling the filesystem: %v", err)
			}
			return path
		}
	}
}

// logUntilFull changes the agent's state (each change logs a few records)
// until the app finds its log file full: the file's last page had room for
// a few records after the filesystem filled.
func logUntilFull(ctx context.Context, t *testing.T, app *demoApp, hb *headlessBridge) {
	t.Helper()
	for i := range 20 { // NOT_READY then READY: the agent ends READY for the next call
		if strings.Contains(readFile(t, app.logPath), "the log file cannot be written") {
			return
		}
		for _, st := range []string{"NOT_READY", "READY"} {
			hb.command(ctx, t, fmt.Sprint(st, i), "SetState", map[string]string{"state": st}, isAgentState(st))
		}
	}
	t.Fatal("40 state changes later, the app has not found its log file's filesystem full")
}

// serveOneCall rings the agent, answers through the bridge and waits for
// DialogEnded when the far end hangs up.
func serveOneCall(ctx context.Context, t *testing.T, sim *finessesim.Sim, hb *headlessBridge) {
	t.Helper()
	id := injectAnswer(ctx, t, sim, hb)
	if err := sim.HangUp(id); err != nil {
		t.Fatal(err)
	}
	hb.waitFor(ctx, t, "DialogEnded "+id, isEnded(id))
}

// waitFault asks the monitor API (with the bridge token) until the fault
// of that kind is open (or, with open false, listed and cleared).
func waitFault(ctx context.Context, t *testing.T, app *demoApp, kind string, open bool) {
	t.Helper()
	deadline := time.Now().Add(faultDeadline)
	var last string
	for time.Now().Before(deadline) && ctx.Err() == nil {
		var st struct {
			Faults []struct{ Kind, Detail, Cleared string }
		}
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+app.bridge+"/monitor/api/state", nil)
		req.Header.Set("Authorization", "Bearer "+bridgeToken(t, app.configDir))
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_ = json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
		}
		last = fmt.Sprintf("%+v", st.Faults)
		for _, f := range st.Faults {
			if f.Kind == kind && (f.Cleared == "") == open {
				return
			}
		}
		time.Sleep(100 * time.Millisecond) // re-asking the monitor API, which has no push for plain HTTP clients
	}
	t.Fatalf("monitor: fault %q open=%v not listed within %v; faults: %s", kind, open, faultDeadline, last)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkNoSecrets: the degraded logging must not leak what it never logs.
func checkNoSecrets(t *testing.T, logPath, password, token string) {
	t.Helper()
	log := readFile(t, logPath)
	if strings.Contains(log, password) || strings.Contains(log, token) {
		t.Error("the password or the bridge token appears in the app's stderr")
	}
}

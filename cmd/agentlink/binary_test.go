package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// demoApp is the agentlink process under test.
type demoApp struct {
	cmd       *exec.Cmd
	configDir string // XDG_CONFIG_HOME of the process
	bridge    string // host:port of its bridge
	exited    chan error
	logPath   string // its stderr, shown when it does not stop cleanly
}

// startApp runs bin with args, a free --bridge-addr, XDG_CONFIG_HOME=xdg
// and env, logs its stderr to artifacts/agentlink-<logName>.log, and
// returns once its bridge listens. The process is killed at cleanup if
// the test has not stopped it.
func startApp(ctx context.Context, t *testing.T, bin, xdg, logName string, env []string, args ...string) *demoApp {
	t.Helper()
	return startAppAt(ctx, t, bin, xdg, freeLoopbackAddr(t), logName, env, args...)
}

// startAppAt is startApp with the bridge on addr: an app started again
// where its CRM pages are still open.
func startAppAt(ctx context.Context, t *testing.T, bin, xdg, addr, logName string, env []string, args ...string) *demoApp {
	t.Helper()
	app := &demoApp{configDir: xdg, bridge: addr, exited: make(chan error, 1)}
	app.cmd = exec.Command(bin, append(args, "--bridge-addr", app.bridge)...)
	app.cmd.Env = append(append(os.Environ(), "XDG_CONFIG_HOME="+xdg), env...)
	stdout, err := app.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	app.logPath = filepath.Join(artifactsDir(t), "agentlink-"+logName+".log")
	logFile, err := os.Create(app.logPath)
	if err != nil {
		t.Fatal(err)
	}
	app.cmd.Stderr = logFile
	if err := app.cmd.Start(); err != nil {
		t.Fatalf("starting agentlink %s: %v", strings.Join(args, " "), err)
	}
	go func() { app.exited <- app.cmd.Wait(); logFile.Close() }()
	t.Cleanup(func() { _ = app.cmd.Process.Kill() }) // by PID; a no-op after a clean stop
	waitLine(ctx, t, stdout, "AgentLink bridge:")
	t.Logf("agentlink log: %s", app.logPath)
	return app
}

// bridgeToken reads the bridge token the app created in its config dir.
func bridgeToken(t *testing.T, xdg string) string {
	t.Helper()
	tok, err := os.ReadFile(filepath.Join(xdg, "agentlink", "bridge-token"))
	if err != nil {
		t.Fatalf("reading the bridge token: %v", err)
	}
	return strings.TrimSpace(string(tok))
}

// stop sends SIGTERM and expects a clean exit.
func (a *demoApp) stop(t *testing.T) {
	t.Helper()
	if err := a.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-a.exited:
		if err != nil {
			t.Errorf("agentlink did not exit cleanly on SIGTERM: %v\n%s", err, logTail(a.logPath, 40))
		}
	case <-time.After(15 * time.Second):
		t.Error("agentlink did not exit within 15s of SIGTERM")
	}
}

// logTail returns the last n lines of the app's log, for failure messages.
func logTail(path string, n int) string {
	if path == "" {
		return "(no log)"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "(log unreadable: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return "agentlink log " + path + ", last lines:\n" + strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// waitLine reads r until a line starts with prefix, then keeps draining it
// so the process never blocks on a full pipe.
func waitLine(ctx context.Context, t *testing.T, r io.Reader, prefix string) {
	t.Helper()
	found := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(r)
		seen := false
		for sc.Scan() {
			if !seen && strings.HasPrefix(sc.Text(), prefix) {
				seen = true
				close(found)
			}
		}
	}()
	select {
	case <-found:
	case <-ctx.Done():
		t.Fatalf("agentlink never printed %q", prefix)
	}
}

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("AGENTLINK_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// smokeBridge is a non-browser bridge client (bearer token, no Origin).
type smokeBridge struct {
	conn   *websocket.Conn
	frames chan smokeFrame
}

type smokeFrame struct {
	ID     string          `json:"id"`
	OK     bool            `json:"ok"`
	Result json.RawMessage `json:"result"`
	Event  string          `json:"event"`
	Data   json.RawMessage `json:"data"`
	Error  *struct {
		Code string `json:"code"`
	} `json:"error"`
}

type smokeAgent struct {
	State       string `json:"state"`
	ReasonLabel string `json:"reasonLabel"`
}

func dialBridge(ctx context.Context, t *testing.T, app *demoApp) *smokeBridge {
	t.Helper()
	h := http.Header{"Authorization": {"Bearer " + bridgeToken(t, app.configDir)}}
	conn, _, err := websocket.Dial(ctx, "ws://"+app.bridge+"/v1/bridge", &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		t.Fatalf("dialing the bridge: %v", err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	b := &smokeBridge{conn: conn, frames: make(chan smokeFrame, 256)}
	go b.read(ctx)
	b.send(ctx, t, "Hello", nil)
	b.send(ctx, t, "Connect", map[string]string{"agentId": "1001"})
	return b
}

func (b *smokeBridge) read(ctx context.Context) {
	defer close(b.frames)
	for {
		_, data, err := b.conn.Read(ctx)
		if err != nil {
			return
		}
		var f smokeFrame
		if json.Unmarshal(data, &f) == nil {
			b.frames <- f
		}
	}
}

func (b *smokeBridge) send(ctx context.Context, t *testing.T, cmd string, args any) {
	t.Helper()
	msg, _ := json.Marshal(map[string]any{"id": cmd, "cmd": cmd, "args": args})
	if err := b.conn.Write(ctx, websocket.MessageText, msg); err != nil {
		t.Fatalf("sending %s: %v", cmd, err)
	}
}

func agentOf(f smokeFrame) (smokeAgent, bool) {
	var a smokeAgent
	switch {
	case f.Event == "AgentState":
		return a, json.Unmarshal(f.Data, &a) == nil
	case f.ID == "Connect" && f.OK:
		var r struct {
			Snapshot *struct {
				Agent smokeAgent `json:"agent"`
			} `json:"snapshot"`
		}
		if json.Unmarshal(f.Result, &r) == nil && r.Snapshot != nil {
			return r.Snapshot.Agent, true
		}
	}
	return a, false
}

// The agentlink binary the tests run, built once per test process.
var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
)

// buildTimeout bounds the one build. A cold build compiles Fyne's cgo
// parts (minutes on two cores, while other packages' tests build beside
// it), so it must not eat into a test's own scenario deadline.
const buildTimeout = 15 * time.Minute

// testBinary builds ./cmd/agentlink once and returns its path. The binary
// lives in a temp dir removed by TestMain.
func testBinary(t *testing.T) string {
	t.Helper()
	binaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "agentlink-test-bin-")
		if err != nil {
			binaryErr = err
			return
		}
		binaryPath = filepath.Join(dir, "agentlink")
		ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
		defer cancel()
		if out, err := exec.CommandContext(ctx, "go", "build", "-o", binaryPath, ".").CombinedOutput(); err != nil {
			binaryErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binaryPath != "" {
		os.RemoveAll(filepath.Dir(binaryPath))
	}
	os.Exit(code)
}

package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runCapture runs run with the given args and stdin, returning stdout and
// stderr. The caller isolates the user config dir.
func runCapture(t *testing.T, ctx context.Context, stdin io.Reader, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut strings.Builder
	err = run(ctx, args, stdio{in: stdin, out: &out, err: &errOut})
	return out.String(), errOut.String(), err
}

// isolateConfig points the user config dir at a fresh temporary directory.
func isolateConfig(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	base, err := os.UserConfigDir()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(base, "agentlink")
}

func TestRunVersion(t *testing.T) {
	t.Parallel()
	out, _, err := runCapture(t, context.Background(), nil, "version")
	if err != nil || !strings.HasPrefix(out, "agentlink ") || !strings.Contains(out, "go1.") {
		t.Errorf("version: %q, %v; want \"agentlink <version> go1...\"", out, err)
	}
}

func TestRunErrors(t *testing.T) {
	isolateConfig(t)
	tests := []struct {
		args     []string
		want     string
		wantCode int
	}{
		{[]string{"--headless"}, "no Finesse server configured: set finesse.side_a in", 1},
		{[]string{"--side-a", "a.example.com", "--headless"}, "no agent configured", 1},
		{[]string{"--bridge-addr", "0.0.0.0:1", "--demo"}, `--bridge-addr "0.0.0.0:1" must be a loopback address`, 1},
		{[]string{"--config", "/nonexistent/agentlink.toml"}, "does not exist (given by --config)", 1},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`, 2},
	}
	for _, tt := range tests {
		_, _, err := runCapture(t, context.Background(), nil, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run(%q) error = %v, want one containing %q", tt.args, err, tt.want)
		}
		var msg strings.Builder
		if code := exitCode(err, &msg); code != tt.wantCode || !strings.HasPrefix(msg.String(), "agentlink: ") {
			t.Errorf("run(%q): exit code %d, message %q; want %d and \"agentlink: ...\"", tt.args, code, msg.String(), tt.wantCode)
		}
	}
}

func TestRunToken(t *testing.T) {
	dir := isolateConfig(t)
	out, _, err := runCapture(t, context.Background(), nil, "token")
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(dir, tokenFileName))
	if err != nil || string(data) != out {
		t.Errorf("token printed %q, file holds %q (%v); want the same", out, data, err)
	}
}

func TestRunLogin(t *testing.T) {
	isolateConfig(t)
	useMemKeychain(t, nil)
	out, errOut, err := runCapture(t, context.Background(), strings.NewReader("hunter2\n"), "login", "--agent", "1001")
	if err != nil {
		t.Fatalf("login: %v (stderr %q)", err, errOut)
	}
	if strings.Contains(out+errOut, "hunter2") {
		t.Errorf("login echoed the password: stdout %q, stderr %q", out, errOut)
	}
	if !strings.Contains(out, "stored in the OS keychain") || !strings.Contains(errOut, "password for agent 1001") {
		t.Errorf("login output: stdout %q, stderr %q", out, errOut)
	}
	if pw, err := newKeychain().Password("1001"); pw != "hunter2" || err != nil {
		t.Errorf("stored password = %q, %v; want %q", pw, err, "hunter2")
	}

	for _, tc := range []struct{ stdin, args, want string }{
		{"x\n", "login", "needs the agent id"},
		{"\n", "login --agent 1001", "empty password"},
	} {
		_, _, err := runCapture(t, context.Background(), strings.NewReader(tc.stdin), strings.Fields(tc.args)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s with stdin %q: error = %v, want %q", tc.args, tc.stdin, err, tc.want)
		}
	}
}

func TestReadPasswordCancelled(t *testing.T) {
	t.Parallel()
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := readPassword(ctx, stdio{in: r, out: io.Discard, err: io.Discard})
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("readPassword after cancel = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("readPassword did not return after its context was cancelled")
	}
}

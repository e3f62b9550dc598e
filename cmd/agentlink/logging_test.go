package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// secrets are logged in every way the app might, and must never come out.
var secrets = []string{"hunter2", "dXNlcjpodW50ZXIy", "eyJhbGciOiJIUzI1NiJ9", "kWSP9JH9bmZ5qtXz0Yc3", "s3cr3tValue"}

func logSecrets(l *slog.Logger) {
	l.Info("login", "agent", "1001001", "password", "hunter2", "Password", "hunter2")
	l.Info("bridge ready", "bridge_token", "kWSP9JH9bmZ5qtXz0Yc3", "clientSecret", "s3cr3tValue")
	l.Info("request", slog.Group("req", "Authorization", "Basic dXNlcjpodW50ZXIy", "url", "/finesse/api/User/1001001"))
	l.Warn("request failed", "err", errors.New(`GET /x: header "Authorization: Basic dXNlcjpodW50ZXIy" rejected`))
	l.Warn("sso", "header", "Bearer eyJhbGciOiJIUzI1NiJ9", "note", "bearer eyJhbGciOiJIUzI1NiJ9")
	l.Error("auth", "detail", "retrying with basic dXNlcjpodW50ZXIy")
}

func TestLoggerRedacts(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	file := filepath.Join(t.TempDir(), "logs", "agentlink.log")
	l, closeLog, err := newLogger(LogConfig{Level: slog.LevelDebug, File: file}, &stderr)
	if err != nil {
		t.Fatalf("newLogger error: %v", err)
	}
	logSecrets(l)
	if err := closeLog(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"stderr": stderr.String(), "file": string(data)} {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s log contains the secret %q:\n%s", name, s, out)
			}
		}
		// Redaction must not eat what the log is for.
		for _, keep := range []string{"1001001", "/finesse/api/User/1001001", redacted, "Basic " + redacted, "Bearer " + redacted} {
			if !strings.Contains(out, keep) {
				t.Errorf("%s log lacks %q:\n%s", name, keep, out)
			}
		}
	}
	assertMode(t, file, 0o600)
	for i, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		if !json.Valid(line) {
			t.Errorf("file line %d is not JSON: %s", i+1, line)
		}
	}
}

func TestRedactAttr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		attr slog.Attr
		want string // the value after ReplaceAttr
	}{
		{slog.String("password", "x"), redacted},
		{slog.String("AUTHORIZATION", "x"), redacted},
		{slog.Int("token", 42), redacted},
		{slog.String("agent", "1001"), "1001"},
		{slog.String("msg", "Basic dXNlcjpwYXNz"), "Basic " + redacted},
		{slog.String("note", "basic setup"), "basic setup"}, // too short to be a credential
		{slog.Any("err", errors.New("Bearer abcdef123456 expired")), "Bearer " + redacted + " expired"},
		{slog.Int("count", 3), "3"},
	}
	for _, tt := range tests {
		if got := redactAttr(nil, tt.attr).Value.String(); got != tt.want {
			t.Errorf("redactAttr(%v) = %q, want %q", tt.attr, got, tt.want)
		}
	}
}

func TestLoggerLevel(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	l, closeLog, err := newLogger(LogConfig{Level: slog.LevelWarn}, &stderr)
	if err != nil {
		t.Fatalf("newLogger error: %v", err)
	}
	defer closeLog()
	l.Info("hidden")
	l.Warn("shown")
	if out := stderr.String(); strings.Contains(out, "hidden") || !strings.Contains(out, "shown") {
		t.Errorf("level warn: got %q, want only the warning", out)
	}
}

// TestLoggerBadFile: a log file that cannot be opened must not stop the
// app: the logger falls back to stderr and warns once, naming log.file.
func TestLoggerBadFile(t *testing.T) {
	t.Parallel()
	blocker := writeFile(t, t.TempDir(), "file", "")
	var stderr bytes.Buffer
	l, closeLog, err := newLogger(LogConfig{Level: slog.LevelInfo, File: filepath.Join(blocker, "agentlink.log")}, &stderr)
	if err != nil {
		t.Fatalf("log file under a regular file: error = %v, want stderr-only logging", err)
	}
	defer closeLog()
	l.Info("still logging")
	out := stderr.String()
	if strings.Count(out, "log file unusable") != 1 || !strings.Contains(out, "log.file") || !strings.Contains(out, "still logging") {
		t.Errorf("stderr = %q, want one warning naming log.file, then the records", out)
	}
}

// TestLogFileRotates: a log that outgrows log.max_size_mb is rotated into
// compressed files, at most log.max_files of them, all readable only by
// the agent, and the live file stays under the cap.
func TestLogFileRotates(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "agentlink.log")
	l, closeLog, err := newLogger(LogConfig{Level: slog.LevelInfo, File: file, MaxSizeMB: 1, MaxFiles: 2}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Repeat("x", 1000)
	for i := range 5000 { // about 5 MB: four rotations
		l.Info("bridge connection refused", "n", i, "peer", line)
	}
	if err := closeLog(); err != nil {
		t.Fatal(err)
	}
	var gz []string
	deadline := time.Now().Add(10 * time.Second)
	for { // compression runs in the background after each rotation
		gz, _ = filepath.Glob(filepath.Join(dir, "agentlink-*.log.gz"))
		plain, _ := filepath.Glob(filepath.Join(dir, "agentlink-*.log"))
		if len(gz) == 2 && len(plain) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(gz) != 2 {
		all, _ := os.ReadDir(dir)
		t.Fatalf("rotated files: %v (dir: %v), want 2 compressed ones", gz, all)
	}
	for _, p := range append(gz, file) {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600 (logs name agents and numbers)", p, fi.Mode().Perm())
		}
		if p == file && fi.Size() > 1<<20 {
			t.Errorf("live log is %d bytes, want at most 1 MB", fi.Size())
		}
	}
}

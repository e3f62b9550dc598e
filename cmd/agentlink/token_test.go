package main

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func skipOnWindows(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("Unix permission bits do not apply on Windows")
	}
}

func TestTokenCreated(t *testing.T) {
	t.Parallel()
	skipOnWindows(t)
	dir := filepath.Join(t.TempDir(), "agentlink")
	tok, err := loadOrCreateToken(dir)
	if err != nil {
		t.Fatalf("loadOrCreateToken error: %v", err)
	}
	if raw, err := base64.RawURLEncoding.DecodeString(tok); err != nil || len(raw) != 32 {
		t.Errorf("token %q: want base64url of 32 bytes (decode error %v, %d bytes)", tok, err, len(raw))
	}
	assertMode(t, dir, 0o700)
	assertMode(t, filepath.Join(dir, tokenFileName), 0o600)
	again, err := loadOrCreateToken(dir)
	if err != nil || again != tok {
		t.Errorf("second loadOrCreateToken = %q, %v; want the same token %q", again, err, tok)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("dir holds %d entries, want only %s (temporary file left behind?)", len(entries), tokenFileName)
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s mode = %04o, want %04o", path, got, want)
	}
}

func TestTokenDirTightened(t *testing.T) {
	t.Parallel()
	skipOnWindows(t)
	dir := filepath.Join(t.TempDir(), "agentlink")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil { // the umask may have narrowed it
		t.Fatal(err)
	}
	if _, err := loadOrCreateToken(dir); err != nil {
		t.Fatalf("loadOrCreateToken error: %v", err)
	}
	assertMode(t, dir, 0o700)
}

func TestTokenRefused(t *testing.T) {
	t.Parallel()
	skipOnWindows(t)
	good := base64.RawURLEncoding.EncodeToString(make([]byte, 32))
	tests := []struct {
		name    string
		content string
		mode    os.FileMode
		wantErr []string
	}{
		{"group readable", good, 0o640, []string{"has mode 0640", "chmod 600"}},
		{"world readable", good, 0o604, []string{"has mode 0604", "other users can read or change it"}},
		{"group writable", good, 0o620, []string{"has mode 0620"}},
		{"damaged", "not-a-token", 0o600, []string{"is damaged", "agentlink token"}},
		{"short", base64.RawURLEncoding.EncodeToString(make([]byte, 16)), 0o600, []string{"is damaged"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := writeFile(t, dir, tokenFileName, tt.content)
			if err := os.Chmod(path, tt.mode); err != nil {
				t.Fatal(err)
			}
			tok, err := loadOrCreateToken(dir)
			if err == nil {
				t.Fatalf("loadOrCreateToken = %q, nil; want an error", tok)
			}
			assertContainsInOrder(t, err.Error(), tt.wantErr)
			if data, _ := os.ReadFile(path); string(data) != tt.content {
				t.Errorf("token file changed to %q; a refused file must be left alone", data)
			}
		})
	}
}

func TestTokenSymlinkRefused(t *testing.T) {
	t.Parallel()
	skipOnWindows(t)
	dir := t.TempDir()
	target := writeFile(t, dir, "elsewhere", base64.RawURLEncoding.EncodeToString(make([]byte, 32)))
	if err := os.Symlink(target, filepath.Join(dir, tokenFileName)); err != nil {
		t.Fatal(err)
	}
	if _, err := loadOrCreateToken(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("symlinked token: error = %v, want \"not a regular file\"", err)
	}
}

// Two instances starting at once must agree on one token.
func TestTokenConcurrentCreate(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "agentlink")
	const n = 8
	toks := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { toks[i], errs[i] = loadOrCreateToken(dir) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || toks[i] != toks[0] {
			t.Errorf("caller %d got %q, %v; want %q, nil", i, toks[i], errs[i], toks[0])
		}
	}
}

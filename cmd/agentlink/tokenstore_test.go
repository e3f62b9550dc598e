package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// These tests swap the process's keychain store (useMemKeychain), so they
// do not run in parallel (like keychain_test.go).

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// startToken is what the app does at start: take the token, then copy it
// to the keychain.
func startToken(t *testing.T, dir string, kc keychain) string {
	t.Helper()
	tok, remember, err := storedBridgeToken(dir, kc, discardLog())
	if err != nil {
		t.Fatalf("storedBridgeToken: %v", err)
	}
	remember()
	return tok
}

func TestBridgeTokenCopiedToKeychain(t *testing.T) {
	skipOnWindows(t)
	useMemKeychain(t, nil)
	kc := newKeychain()
	dir := filepath.Join(t.TempDir(), "agentlink")
	tok := startToken(t, dir, kc)
	if inKC, err := kc.get(tokenKeychainUser); err != nil || inKC != tok {
		t.Errorf("keychain holds %q, %v; want the token %q", inKC, err, tok)
	}
	if inFile, err := readToken(filepath.Join(dir, tokenFileName)); err != nil || inFile != tok {
		t.Errorf("file holds %q, %v; want the token %q", inFile, err, tok)
	}
}

// TestBridgeTokenRestoredFromKeychain: a deleted token file comes back from
// the keychain, so paired toolbars keep working.
func TestBridgeTokenRestoredFromKeychain(t *testing.T) {
	skipOnWindows(t)
	useMemKeychain(t, nil)
	kc := newKeychain()
	dir := filepath.Join(t.TempDir(), "agentlink")
	want := startToken(t, dir, kc)
	path := filepath.Join(dir, tokenFileName)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if got := startToken(t, dir, kc); got != want {
		t.Errorf("token after deleting the file = %q, want the keychain's %q", got, want)
	}
	if inFile, err := readToken(path); err != nil || inFile != want {
		t.Errorf("file after start: %q, %v; want %q in a 0600 file", inFile, err, want)
	}
}

// TestBridgeTokenFileWins: the file in place is used as it is, and the
// keychain copy follows it (the keychain is the spare).
func TestBridgeTokenFileWins(t *testing.T) {
	skipOnWindows(t)
	useMemKeychain(t, nil)
	kc := newKeychain()
	dir := filepath.Join(t.TempDir(), "agentlink")
	old := startToken(t, dir, kc)
	path := filepath.Join(dir, tokenFileName)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	fresh, err := loadOrCreateToken(dir) // e.g. `agentlink token` of an older version
	if err != nil || fresh == old {
		t.Fatalf("new file token %q, %v", fresh, err)
	}
	if got := startToken(t, dir, kc); got != fresh {
		t.Errorf("token = %q, want the file's %q", got, fresh)
	}
	if inKC, _ := kc.get(tokenKeychainUser); inKC != fresh {
		t.Errorf("keychain holds %q, want the file's %q", inKC, fresh)
	}
}

// TestBridgeTokenLooseFileRefused: a file others can read is refused with
// the fix, not quietly re-secured with the same (possibly leaked) token.
func TestBridgeTokenLooseFileRefused(t *testing.T) {
	skipOnWindows(t)
	useMemKeychain(t, nil)
	kc := newKeychain()
	dir := filepath.Join(t.TempDir(), "agentlink")
	startToken(t, dir, kc)
	path := filepath.Join(dir, tokenFileName)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := storedBridgeToken(dir, kc, discardLog()); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("loose token file: err = %v, want a refusal naming chmod 600", err)
	}
}

// TestBridgeTokenDoesNotWaitForKeychain: with the file in place, taking the
// token never touches the keychain (a hung Secret Service once held the
// app's start for 5 s); only remember does.
func TestBridgeTokenDoesNotWaitForKeychain(t *testing.T) {
	skipOnWindows(t)
	useMemKeychain(t, nil)
	dir := filepath.Join(t.TempDir(), "agentlink")
	want := startToken(t, dir, newKeychain())
	hung := newKeychain()
	release := make(chan struct{})
	defer close(release)
	hung.store = hangingStore{release}
	hung.timeout = time.Hour
	done := make(chan string, 1)
	go func() {
		tok, _, err := storedBridgeToken(dir, hung, discardLog())
		if err != nil {
			tok = err.Error()
		}
		done <- tok
	}()
	select {
	case got := <-done:
		if got != want {
			t.Errorf("token = %q, want %q", got, want)
		}
	case <-time.After(waitForToken):
		t.Fatal("taking the token waited on the keychain")
	}
}

const waitForToken = 5 * time.Second

// hangingStore never answers until released.
type hangingStore struct{ release chan struct{} }

func (h hangingStore) Get(string, string) (string, error) {
	<-h.release
	return "", errors.New("released")
}
func (h hangingStore) Set(string, string, string) error { <-h.release; return errors.New("released") }
func (h hangingStore) Delete(string, string) error      { <-h.release; return errors.New("released") }

func TestBridgeTokenWithoutKeychain(t *testing.T) {
	skipOnWindows(t)
	useMemKeychain(t, errors.New("org.freedesktop.secrets was not provided by any .service files"))
	dir := filepath.Join(t.TempDir(), "agentlink")
	tok := startToken(t, dir, newKeychain())
	if again, err := loadOrCreateToken(dir); err != nil || again != tok {
		t.Errorf("file token = %q, %v; want %q", again, err, tok)
	}
}

// TestBridgeTokenKeychainChild copies the token to the real Secret Service
// and restores a deleted file from it; run by TestKeychainSecretService in
// a child process.
func TestBridgeTokenKeychainChild(t *testing.T) {
	if os.Getenv(keychainChildEnv) == "" {
		t.Skip("run by TestKeychainSecretService in a child process")
	}
	kc := newKeychain()
	kc.service = fmt.Sprintf("agentlink-test-token-%d", os.Getpid())
	t.Cleanup(func() { _ = kc.do(func() error { return kc.store.Delete(kc.service, tokenKeychainUser) }) })
	dir := filepath.Join(t.TempDir(), "agentlink")
	tok := startToken(t, dir, kc)
	if err := os.Remove(filepath.Join(dir, tokenFileName)); err != nil {
		t.Fatal(err)
	}
	if again := startToken(t, dir, kc); again != tok {
		t.Errorf("after deleting the file: token = %q; want %q back from gnome-keyring", again, tok)
	}
}

// TestBridgeTokenRestoredIntoMemory: with the file gone and the directory
// unwritable, the keychain's token is used from memory (issue 15): the app
// keeps serving toolbars instead of exiting on the write error.
func TestBridgeTokenRestoredIntoMemory(t *testing.T) {
	skipOnWindows(t)
	useMemKeychain(t, nil)
	kc := newKeychain()
	dir := filepath.Join(t.TempDir(), "agentlink")
	want := startToken(t, dir, kc)
	if err := os.Remove(filepath.Join(dir, tokenFileName)); err != nil {
		t.Fatal(err)
	}
	restoreTokenFile = func(string, string) error { return errors.New("read-only file system") }
	t.Cleanup(func() { restoreTokenFile = writeTokenFile })
	var logged strings.Builder
	tok, _, err := storedBridgeToken(dir, kc, slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil || tok != want {
		t.Fatalf("storedBridgeToken with an unwritable dir = %q, %v; want the keychain's token", tok, err)
	}
	if !strings.Contains(logged.String(), "kept in memory only") || strings.Contains(logged.String(), want) {
		t.Errorf("log = %q, want the in-memory warning and never the token", logged.String())
	}
}

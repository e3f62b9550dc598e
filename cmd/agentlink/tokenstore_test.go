package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
)

// These tests replace go-keyring's process-global provider with its mock,
// so they do not run in parallel (like keychain_test.go).

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestBridgeTokenStoredInKeychain(t *testing.T) {
	skipOnWindows(t)
	useMemKeychain(t, nil)
	kc := newKeychain()
	dir := filepath.Join(t.TempDir(), "agentlink")
	tok, err := storedBridgeToken(dir, kc, discardLog())
	if err != nil {
		t.Fatalf("first start: %v", err)
	}
	if inKC, err := kc.get(tokenKeychainUser); err != nil || inKC != tok {
		t.Errorf("keychain holds %q, %v; want the token %q", inKC, err, tok)
	}
	if inFile, err := readToken(filepath.Join(dir, tokenFileName)); err != nil || inFile != tok {
		t.Errorf("file holds %q, %v; want the token %q", inFile, err, tok)
	}
}

// TestBridgeTokenFileRepairedFromKeychain: a deleted, replaced or
// loosened token file comes back from the keychain, so paired toolbars
// keep working.
func TestBridgeTokenFileRepairedFromKeychain(t *testing.T) {
	skipOnWindows(t)
	useMemKeychain(t, nil)
	kc := newKeychain()
	dir := filepath.Join(t.TempDir(), "agentlink")
	want, err := storedBridgeToken(dir, kc, discardLog())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, tokenFileName)
	damage := map[string]func() error{
		"deleted": func() error { return os.Remove(path) },
		"replaced": func() error {
			_, err := createToken(path + ".new")
			return errors.Join(err, os.Rename(path+".new", path))
		},
		"loosened": func() error { return os.Chmod(path, 0o644) },
	}
	for name, f := range damage {
		if err := f(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := storedBridgeToken(dir, kc, discardLog())
		if err != nil || got != want {
			t.Errorf("%s file: token = %q, %v; want the keychain's %q", name, got, err, want)
		}
		if inFile, err := readToken(path); err != nil || inFile != want {
			t.Errorf("%s file after start: %q, %v; want %q in a 0600 file", name, inFile, err, want)
		}
	}
}

func TestBridgeTokenWithoutKeychain(t *testing.T) {
	skipOnWindows(t)
	useMemKeychain(t, errors.New("org.freedesktop.secrets was not provided by any .service files"))
	dir := filepath.Join(t.TempDir(), "agentlink")
	tok, err := storedBridgeToken(dir, newKeychain(), discardLog())
	if err != nil {
		t.Fatalf("no keychain: %v, want the file token", err)
	}
	if again, err := loadOrCreateToken(dir); err != nil || again != tok {
		t.Errorf("file token = %q, %v; want %q", again, err, tok)
	}
}

// TestBridgeTokenKeychainChild stores the token in the real Secret
// Service; run by TestKeychainSecretService in a child process.
func TestBridgeTokenKeychainChild(t *testing.T) {
	if os.Getenv(keychainChildEnv) == "" {
		t.Skip("run by TestKeychainSecretService in a child process")
	}
	kc := newKeychain()
	kc.service = fmt.Sprintf("agentlink-test-token-%d", os.Getpid())
	t.Cleanup(func() { _ = kc.do(func() error { return kc.store.Delete(kc.service, tokenKeychainUser) }) })
	dir := filepath.Join(t.TempDir(), "agentlink")
	tok, err := storedBridgeToken(dir, kc, discardLog())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, tokenFileName)); err != nil {
		t.Fatal(err)
	}
	if again, err := storedBridgeToken(dir, kc, discardLog()); err != nil || again != tok {
		t.Errorf("after deleting the file: token = %q, %v; want %q back from gnome-keyring", again, err, tok)
	}
}

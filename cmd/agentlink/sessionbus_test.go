package main

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

// TestSessionBusMissing: with no session bus, the keychain is reported
// missing without asking go-keyring, which would autolaunch a dbus-daemon
// that outlives the app. Not parallel: it changes the environment.
func TestSessionBusMissing(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("the keychain is not reached over D-Bus here")
	}
	if _, err := os.Stat(filepath.Join("/run/user", strconv.Itoa(os.Getuid()), "bus")); err == nil {
		t.Skip("this machine has a systemd user bus, so a session bus is always found")
	}
	runtimeDir := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", runtimeDir)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	if err := sessionBusMissing(); !errors.Is(err, errNoSessionBus) {
		t.Errorf("no address, no socket: %v, want errNoSessionBus", err)
	}
	if _, err := (osKeyring{}).Get("agentlink-test", "1001"); !errors.Is(err, errNoSessionBus) {
		t.Errorf("osKeyring.Get without a bus = %v, want errNoSessionBus (not an autolaunch)", err)
	}
	if err := newKeychain().Available(); !errors.Is(err, errNoKeychain) {
		t.Errorf("Available() = %v, want errNoKeychain", err)
	}
	if err := os.WriteFile(filepath.Join(runtimeDir, "bus"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := sessionBusMissing(); err != nil {
		t.Errorf("with $XDG_RUNTIME_DIR/bus: %v, want a bus found", err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
	if err := sessionBusMissing(); err != nil {
		t.Errorf("with DBUS_SESSION_BUS_ADDRESS set: %v, want a bus found", err)
	}
}

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The mock tests replace go-keyring's process-global provider, so they do
// not run in parallel, and the real round trip runs in a child process
// that still has the real provider.

func TestKeychainMock(t *testing.T) {
	useMemKeychain(t, nil)
	kc := newKeychain()
	if err := kc.Available(); err != nil {
		t.Fatalf("Available() = %v, want nil", err)
	}
	if _, err := kc.Password("1001"); !errors.Is(err, errNoPassword) || !strings.Contains(err.Error(), "agentlink login") {
		t.Errorf("Password before SetPassword: error = %v, want errNoPassword naming agentlink login", err)
	}
	if err := kc.SetPassword("1001", "hunter2"); err != nil {
		t.Fatalf("SetPassword error: %v", err)
	}
	if got, err := kc.Password("1001"); got != "hunter2" || err != nil {
		t.Errorf("Password = %q, %v; want %q, nil", got, err, "hunter2")
	}
	for range 2 { // deleting twice is fine
		if err := kc.DeletePassword("1001"); err != nil {
			t.Errorf("DeletePassword error: %v", err)
		}
	}
	if _, err := kc.Password("1001"); !errors.Is(err, errNoPassword) {
		t.Errorf("Password after delete: error = %v, want errNoPassword", err)
	}
	for _, args := range [][2]string{{"", "pw"}, {"1001", ""}} {
		if err := kc.SetPassword(args[0], args[1]); err == nil {
			t.Errorf("SetPassword(%q, %q) = nil, want an error", args[0], args[1])
		}
	}
}

func TestKeychainUnavailable(t *testing.T) {
	useMemKeychain(t, errors.New("org.freedesktop.secrets was not provided by any .service files"))
	kc := newKeychain()
	err := kc.Available()
	if !errors.Is(err, errNoKeychain) {
		t.Fatalf("Available() = %v, want errNoKeychain", err)
	}
	for _, want := range []string{"no OS keychain (Secret Service) found", "ask for the password each time", "org.freedesktop.secrets"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Available() = %q, want it to contain %q", err, want)
		}
	}
	if _, err := kc.Password("1001"); err == nil || errors.Is(err, errNoPassword) {
		t.Errorf("Password with a broken keychain: error = %v, want a keychain error, not errNoPassword", err)
	}
}

func TestKeychainTimeout(t *testing.T) {
	t.Parallel()
	kc := keychain{service: "agentlink-test", timeout: 20 * time.Millisecond}
	release := make(chan struct{})
	defer close(release)
	err := kc.do(func() error { <-release; return nil })
	if !errors.Is(err, errKeychainTimeout) {
		t.Errorf("do(hanging call) = %v, want errKeychainTimeout", err)
	}
}

// keychainChildEnv marks the child process that talks to the real keychain.
const keychainChildEnv = "AGENTLINK_KEYCHAIN_CHILD"

// TestKeychainSecretService round-trips a password through the real Secret
// Service (gnome-keyring under scripts/test-env.sh). Without a session bus
// it skips, except in CI, where a missing keychain is a broken setup.
func TestKeychainSecretService(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but DBUS_SESSION_BUS_ADDRESS is not: run the tests through scripts/test-env.sh")
		}
		t.Skip("no D-Bus session bus: run through scripts/test-env.sh for the real keychain test")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^(TestKeychainSecretServiceChild|TestBridgeTokenKeychainChild)$", "-test.v")
	cmd.Env = append(os.Environ(), keychainChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	for _, child := range []string{"TestKeychainSecretServiceChild", "TestBridgeTokenKeychainChild"} {
		if err != nil || !strings.Contains(string(out), "--- PASS: "+child) {
			t.Fatalf("real keychain round trip (%s) failed: %v\n%s", child, err, out)
		}
	}
}

func TestKeychainSecretServiceChild(t *testing.T) {
	if os.Getenv(keychainChildEnv) == "" {
		t.Skip("run by TestKeychainSecretService in a child process")
	}
	kc := newKeychain()
	kc.service = fmt.Sprintf("agentlink-test-%d", os.Getpid())
	if err := kc.Available(); err != nil {
		t.Fatalf("Available() = %v, want nil under gnome-keyring", err)
	}
	const agent, pw = "1001001", "pa ss:wörd"
	if _, err := kc.Password(agent); !errors.Is(err, errNoPassword) {
		t.Fatalf("Password before SetPassword: error = %v, want errNoPassword", err)
	}
	if err := kc.SetPassword(agent, pw); err != nil {
		t.Fatalf("SetPassword error: %v", err)
	}
	t.Cleanup(func() { _ = kc.DeletePassword(agent) })
	if got, err := kc.Password(agent); got != pw || err != nil {
		t.Errorf("Password = %q, %v; want %q, nil", got, err, pw)
	}
	// Admins can check what AgentLink stored with secret-tool.
	if path, err := exec.LookPath("secret-tool"); err == nil {
		out, err := exec.Command(path, "lookup", "service", kc.service, "username", agent).Output()
		if err != nil || string(out) != pw {
			t.Errorf("secret-tool lookup = %q, %v; want %q", out, err, pw)
		}
	}
	if err := kc.DeletePassword(agent); err != nil {
		t.Fatalf("DeletePassword error: %v", err)
	}
	if _, err := kc.Password(agent); !errors.Is(err, errNoPassword) {
		t.Errorf("Password after delete: error = %v, want errNoPassword", err)
	}
}

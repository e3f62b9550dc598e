package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
)

// keychainService is the service name AgentLink's secrets are stored under
// (secret-tool lookup service agentlink username <agent id>).
const keychainService = "agentlink"

// keychainTimeout bounds one keychain call. A locked keyring may show an
// unlock prompt, so it is long enough for a person to type a password.
const keychainTimeout = 2 * time.Minute

var (
	// errNoKeychain means there is no usable OS keychain. AgentLink then
	// asks for the password each session; it never falls back to a file.
	errNoKeychain = errors.New("no OS keychain (Secret Service) found: AgentLink will ask for the password each time")
	// errNoPassword means the keychain holds no password for the agent.
	errNoPassword = errors.New("no password stored")
)

// keychain keeps agents' Finesse passwords in the OS keychain: the Secret
// Service on Linux, the login keychain on macOS, the Credential Manager on
// Windows. The zero value is not usable; use newKeychain.
type keychain struct {
	service string        // keyring service name; non-empty
	timeout time.Duration // per call; see keychainTimeout
	store   secretStore
}

func newKeychain() keychain {
	return keychain{service: keychainService, timeout: keychainTimeout, store: defaultSecretStore}
}

// secretStore is where a keychain keeps secrets. Absent entries give
// keyring.ErrNotFound.
type secretStore interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// defaultSecretStore is the OS keychain. Tests put an in-memory store here
// for the length of one test (go-keyring's own mock cannot be undone, and
// would hide the real keychain from the tests that need it).
var defaultSecretStore secretStore = osKeyring{}

// osKeyring is go-keyring's OS keychain. On Linux and the BSDs it first
// checks that a session bus exists: without one, go-keyring's D-Bus library
// autolaunches a session dbus-daemon that outlives the app, one per run (an
// SSH login, a server, a service account).
type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) {
	if err := sessionBusMissing(); err != nil {
		return "", err
	}
	return keyring.Get(service, user)
}

func (osKeyring) Set(service, user, secret string) error {
	if err := sessionBusMissing(); err != nil {
		return err
	}
	return keyring.Set(service, user, secret)
}

func (osKeyring) Delete(service, user string) error {
	if err := sessionBusMissing(); err != nil {
		return err
	}
	return keyring.Delete(service, user)
}

// Available reports, as an error wrapping errNoKeychain, why passwords
// cannot be stored; nil means they can. It looks up a key that never exists:
// "not found" proves the keychain answers.
func (k keychain) Available() error {
	_, err := k.get("agentlink-probe")
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return fmt.Errorf("%w (%v)", errNoKeychain, err)
}

// Password returns the stored password of an agent. It wraps errNoPassword
// when there is none.
func (k keychain) Password(agentID string) (string, error) {
	pw, err := k.get(agentID)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", fmt.Errorf("%w for agent %s: run \"agentlink login\"", errNoPassword, agentID)
	}
	if err != nil {
		return "", fmt.Errorf("reading the password of agent %s from the keychain: %w", agentID, err)
	}
	return pw, nil
}

// SetPassword stores (or replaces) an agent's password.
func (k keychain) SetPassword(agentID, password string) error {
	if agentID == "" || password == "" {
		return errors.New("storing a password needs an agent id and a non-empty password")
	}
	err := k.do(func() error { return k.store.Set(k.service, agentID, password) })
	if err != nil {
		return fmt.Errorf("storing the password of agent %s in the keychain: %w", agentID, err)
	}
	return nil
}

// DeletePassword removes an agent's password; removing none is not an error.
func (k keychain) DeletePassword(agentID string) error {
	err := k.do(func() error { return k.store.Delete(k.service, agentID) })
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("deleting the password of agent %s from the keychain: %w", agentID, err)
	}
	return nil
}

func (k keychain) get(user string) (string, error) {
	var pw string
	err := k.do(func() (err error) {
		pw, err = k.store.Get(k.service, user)
		return err
	})
	return pw, err
}

// errKeychainTimeout means the keychain did not answer in time.
var errKeychainTimeout = errors.New("the keychain did not answer")

// do runs a keychain call with a time limit. go-keyring's calls take no
// context, so a call that hangs (a D-Bus service that never replies) is
// left behind in its goroutine; the app goes on without the keychain.
func (k keychain) do(call func() error) error {
	done := make(chan error, 1)
	go func() { done <- call() }()
	t := time.NewTimer(k.timeout)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return fmt.Errorf("%w within %v", errKeychainTimeout, k.timeout)
	}
}

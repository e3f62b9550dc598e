package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/zalando/go-keyring"
)

// The bridge token lives in the 0600 file in the config directory, which
// the bridge, local scripts and `agentlink token` read, and a copy lives in
// the OS keychain. When the file is gone (deleted by hand, a cleaned
// profile, a new roaming profile), the keychain copy brings it back, so
// toolbars paired with it keep working. The file wins when it is there:
// the app never waits on a slow keychain to start. A file that others can
// read is still refused (token.go): that token may have leaked and must be
// replaced, not re-secured.

// tokenKeychainUser is the keychain account of the bridge token. Agent ids
// cannot contain '@' (finesse checks), so it never collides with a password.
const tokenKeychainUser = "@bridge-token"

// tokenKeychainTimeout bounds the keychain calls for the token: a hung
// Secret Service (seen in a fresh session without a keyring) costs a first
// start without a token file at most this long.
const tokenKeychainTimeout = 2 * time.Second

// storedBridgeToken returns the bridge token (see above) and remember,
// which copies it to the keychain: run it in the background, it may wait on
// the keychain for tokenKeychainTimeout.
func storedBridgeToken(dir string, kc keychain, log *slog.Logger) (tok string, remember func(), err error) {
	kc.timeout = min(kc.timeout, tokenKeychainTimeout)
	tok, err = readToken(filepath.Join(dir, tokenFileName))
	if errors.Is(err, fs.ErrNotExist) {
		tok, err = restoreOrCreateToken(dir, kc, log)
	}
	if err != nil {
		return "", nil, err
	}
	return tok, func() { rememberToken(kc, tok, log) }, nil
}

// restoreOrCreateToken writes the keychain's copy to the missing file, or
// creates a new token when there is none.
func restoreOrCreateToken(dir string, kc keychain, log *slog.Logger) (string, error) {
	kept, err := kc.get(tokenKeychainUser)
	if err != nil || !validToken(kept) {
		return loadOrCreateToken(dir)
	}
	if err := restoreTokenFile(dir, kept); err != nil {
		// A read-only or full config directory must not stop the app: the
		// keychain's token serves toolbars from memory; only local programs
		// that read the file wait until it can be written.
		log.Warn("bridge token kept in memory only: its file cannot be written; local programs that read it "+
			"(agentlink token, scripts) cannot use the bridge until it can", "file", filepath.Join(dir, tokenFileName), "err", err)
		return kept, nil
	}
	log.Info("bridge token file restored from the keychain", "file", filepath.Join(dir, tokenFileName))
	return kept, nil
}

// restoreTokenFile writes the restored token; a variable for the test of
// an unwritable directory (tests run as root, which ignores modes).
var restoreTokenFile = writeTokenFile

// rememberToken makes the keychain hold tok. Without a keychain the file
// alone keeps it, which is fine: it is only the spare copy.
func rememberToken(kc keychain, tok string, log *slog.Logger) {
	kept, err := kc.get(tokenKeychainUser)
	switch {
	case err == nil && kept == tok:
		return
	case err != nil && !errors.Is(err, keyring.ErrNotFound):
		log.Info("bridge token kept in its file only: the keychain is not available", "err", err)
		return
	}
	if err := kc.do(func() error { return kc.store.Set(kc.service, tokenKeychainUser, tok) }); err != nil {
		log.Warn("bridge token not copied to the keychain; the file keeps it", "err", err)
	}
}

// writeTokenFile writes tok to the token file (mode 0600, in a 0700
// directory), replacing what is there.
func writeTokenFile(dir, tok string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	tmp, err := writeTempToken(dir, tok)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	path := filepath.Join(dir, tokenFileName)
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing bridge token %s: %w", path, err)
	}
	return nil
}

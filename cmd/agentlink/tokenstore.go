package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/zalando/go-keyring"
)

// The bridge token lives in the OS keychain where there is one, with the
// 0600 file in the config directory as the copy that local scripts and
// `agentlink token` read (the SDK's non-browser clients send it as a
// Bearer token). The keychain copy wins: a file that was deleted, damaged
// or replaced is rewritten from it, so toolbars paired with the token keep
// working. Without a keychain the file alone holds it.

// tokenKeychainUser is the keychain account of the bridge token. Agent ids
// cannot contain '@' (finesse checks), so it never collides with a password.
const tokenKeychainUser = "@bridge-token"

// tokenKeychainTimeout keeps a keychain that does not answer from holding
// up the app's start: the file is used instead.
const tokenKeychainTimeout = 5 * time.Second

// storedBridgeToken returns the bridge token, keeping the keychain and the file
// in step (see above).
func storedBridgeToken(dir string, kc keychain, log *slog.Logger) (string, error) {
	kc.timeout = min(kc.timeout, tokenKeychainTimeout)
	stored, err := kc.get(tokenKeychainUser)
	switch {
	case err == nil && validToken(stored):
		if err := syncTokenFile(dir, stored); err != nil {
			return "", err
		}
		return stored, nil
	case err != nil && !errors.Is(err, keyring.ErrNotFound):
		log.Info("bridge token kept in its file only: the keychain is not available", "err", err)
		return loadOrCreateToken(dir)
	}
	tok, err := loadOrCreateToken(dir)
	if err != nil {
		return "", err
	}
	if err := kc.do(func() error { return kc.store.Set(kc.service, tokenKeychainUser, tok) }); err != nil {
		log.Warn("bridge token not stored in the keychain; the file keeps it", "err", err)
	}
	return tok, nil
}

// syncTokenFile makes the token file hold tok, rewriting it when it is
// missing, damaged or different.
func syncTokenFile(dir, tok string) error {
	path := filepath.Join(dir, tokenFileName)
	if cur, err := readToken(path); err == nil && cur == tok {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, tokenFileName+".*") // mode 0600
	if err != nil {
		return fmt.Errorf("writing bridge token: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(tok + "\n")
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("writing bridge token %s: %w", path, err)
	}
	return nil
}

// validToken reports whether tok has the shape of a bridge token.
func validToken(tok string) bool {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	return err == nil && len(raw) == tokenBytes
}

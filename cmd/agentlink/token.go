package main

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// tokenFileName is the bridge token's file in the config directory.
const tokenFileName = "bridge-token"

// tokenBytes is the size of a bridge token before encoding.
const tokenBytes = 32

// loadOrCreateToken returns the bridge token kept in dir, creating dir
// (mode 0700) and the token file (mode 0600) when they are missing. The
// token lets CRM toolbars use the bridge, so a file other users could read
// or change is refused rather than trusted.
func loadOrCreateToken(dir string) (string, error) {
	path := filepath.Join(dir, tokenFileName)
	tok, err := readToken(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return tok, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("creating %s: %w", dir, err)
	}
	if runtime.GOOS == "windows" { // the DACL is Windows' mode 0700 (token_acl_windows.go)
		if err := restrictToUser(dir); err != nil {
			return "", fmt.Errorf("making %s private: %w", dir, err)
		}
	}
	// The directory is AgentLink's own; close it if it was created looser
	// (by hand, or by an older version), so nobody else can swap the token.
	if fi, err := os.Stat(dir); err == nil && runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return "", fmt.Errorf("making %s private: %w", dir, err)
		}
	}
	return createToken(path)
}

// readToken reads and checks an existing token file.
func readToken(path string) (string, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return "", err // fs.ErrNotExist tells the caller to create one
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("bridge token %s is not a regular file (%v): remove it and run \"agentlink token\"", path, fi.Mode().Type())
	}
	if err := checkPrivate(path, fi.Mode()); err != nil {
		return "", err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("reading bridge token: %w", err)
	}
	tok := strings.TrimSpace(string(data))
	if !validToken(tok) {
		return "", fmt.Errorf("bridge token %s is damaged: delete it and run \"agentlink token\" "+
			"for a new one (CRM toolbars must then be paired again)", path)
	}
	return tok, nil
}

// checkPrivate refuses a file that other users may read or write. Windows
// reports no Unix permission bits; there the file's and folder's DACLs are
// checked (token_acl_windows.go).
func checkPrivate(path string, mode fs.FileMode) error {
	if runtime.GOOS == "windows" {
		return checkPrivateACL(path)
	}
	if mode.Perm()&0o077 == 0 {
		return nil
	}
	return fmt.Errorf("bridge token %s has mode %04o, so other users can read or change it and drive "+
		"this agent's phone through the bridge: fix it with \"chmod 600 %s\", or delete the file and run "+
		"\"agentlink token\" for a new token", path, mode.Perm(), path)
}

// createToken writes a new random token. It writes a temporary file and
// hard-links it into place, so a concurrent reader never sees a partial
// token and two instances racing agree on one token.
func createToken(path string) (string, error) {
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("generating bridge token: %w", err)
	}
	tok := base64.RawURLEncoding.EncodeToString(raw)
	tmp, err := writeTempToken(filepath.Dir(path), tok)
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readToken(path) // another instance won the race
		}
		return "", fmt.Errorf("saving bridge token: %w", err)
	}
	return tok, nil
}

// writeTempToken writes tok to a new temporary file (mode 0600) in dir and
// returns its name; the caller links or renames it into place, so no reader
// ever sees half a token, and removes it.
func writeTempToken(dir, tok string) (string, error) {
	tmp, err := os.CreateTemp(dir, tokenFileName+".*") // mode 0600
	if err != nil {
		return "", fmt.Errorf("creating bridge token: %w", err)
	}
	_, err = tmp.WriteString(tok + "\n")
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("writing bridge token: %w", err)
	}
	return tmp.Name(), nil
}

// validToken reports whether tok has the shape of a bridge token.
func validToken(tok string) bool {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	return err == nil && len(raw) == tokenBytes
}

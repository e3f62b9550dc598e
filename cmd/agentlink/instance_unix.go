//go:build unix

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// unixLock is a flock'd lock file plus the Unix socket the instance
// listens on, both in a directory only the user can enter.
type unixLock struct {
	lock *os.File
	ln   net.Listener
	sock string
	log  *slog.Logger
}

// instanceDir is $XDG_RUNTIME_DIR/agentlink (a per-user tmpfs the session
// removes at logout), or a per-uid directory under the temp dir. It must
// be the user's own and closed to others: a socket there is trusted.
func instanceDir() (string, error) {
	base := os.Getenv("XDG_RUNTIME_DIR")
	name := "agentlink"
	if base == "" {
		base, name = os.TempDir(), "agentlink-"+strconv.Itoa(os.Getuid())
	}
	dir := filepath.Join(base, name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("instance directory: %w", err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return "", fmt.Errorf("instance directory: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || (ok && int(st.Uid) != os.Getuid()) {
		return "", fmt.Errorf("instance directory %s is not a directory of this user", dir)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return "", fmt.Errorf("instance directory: %w", err)
		}
	}
	return dir, nil
}

// claimInstance takes the instance lock for configDir. When another
// instance holds it, it asks that one to show its window and returns
// errAlreadyRunning.
func claimInstance(configDir string, log *slog.Logger) (instanceLock, error) {
	dir, err := instanceDir()
	if err != nil {
		return nil, err
	}
	key := instanceKey(configDir)
	f, err := os.OpenFile(filepath.Join(dir, key+".lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("instance lock: %w", err)
	}
	sock := filepath.Join(dir, key+".sock")
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("instance lock: %w", err)
		}
		return nil, showRunning(sock)
	}
	// We hold the lock, so a socket file left here is a crashed
	// instance's: replace it.
	_ = os.Remove(sock)
	ln, err := net.Listen("unix", sock)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("instance socket: %w", err)
	}
	return &unixLock{lock: f, ln: ln, sock: sock, log: log}, nil
}

func (l *unixLock) Serve(ctx context.Context, h instanceHandler) { serveConns(ctx, l.ln, h, l.log) }

// Endpoint is the socket: the directory's 0700 mode keeps other users out.
func (l *unixLock) Endpoint() string { return l.sock }

// Close stops listening and releases the lock; the socket file goes first
// so the next launch never dials a dead socket while holding no lock.
func (l *unixLock) Close() error {
	err := l.ln.Close()
	_ = os.Remove(l.sock)
	return errors.Join(err, l.lock.Close())
}

// sendToRunning sends req to the running instance of configDir, if any.
func sendToRunning(configDir, req string) error {
	dir, err := instanceDir()
	if err != nil {
		return err
	}
	c, err := net.DialTimeout("unix", filepath.Join(dir, instanceKey(configDir)+".sock"), time.Second)
	if err != nil {
		return err
	}
	return requestLine(c, req)
}

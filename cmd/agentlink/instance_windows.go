package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/windows"
)

// winLock is the Windows instance lock: a named mutex in the session's own
// namespace (Local\), so each user session on an RDS or Citrix host has its
// own. A later launch's "show" request comes over loopback TCP (Unix-domain
// sockets are missing on older Windows builds and on Wine): the port and a
// random secret are in a file in the user's %LocalAppData%, which other
// users cannot open, and a request must start with that secret.
type winLock struct {
	mutex  windows.Handle
	ln     net.Listener
	file   string
	secret string
	log    *slog.Logger
}

// claimInstance takes the instance lock for configDir. When another
// instance of this session holds it, it asks that one to show its window
// and returns errAlreadyRunning.
func claimInstance(configDir string, log *slog.Logger) (instanceLock, error) {
	base, err := os.UserCacheDir() // %LocalAppData%
	if err != nil {
		return nil, fmt.Errorf("instance directory: %w", err)
	}
	dir := filepath.Join(base, "agentlink")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("instance directory: %w", err)
	}
	key := instanceKey(configDir)
	file := filepath.Join(dir, key+".instance")
	name, err := windows.UTF16PtrFromString(`Local\AgentLink-` + key)
	if err != nil {
		return nil, err
	}
	// The mutex's existence is the lock (nobody waits on it), so nobody
	// owns it: ownership is per OS thread, and goroutines move between them.
	h, err := windows.CreateMutex(nil, false, name)
	if errors.Is(err, windows.ERROR_ALREADY_EXISTS) {
		if h != 0 {
			windows.CloseHandle(h)
		}
		return nil, showRunningWindows(file)
	}
	if err != nil {
		return nil, fmt.Errorf("instance lock: %w", err)
	}
	l, err := listenInstance(h, file, log)
	if err != nil {
		windows.CloseHandle(h)
		return nil, err
	}
	return l, nil
}

// listenInstance listens on a loopback port and records it with a new
// secret in file, replacing a crashed instance's.
func listenInstance(h windows.Handle, file string, log *slog.Logger) (*winLock, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("instance socket: %w", err)
	}
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	secret := hex.EncodeToString(b[:])
	if err := os.WriteFile(file, []byte(ln.Addr().String()+" "+secret+"\n"), 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("instance file: %w", err)
	}
	return &winLock{mutex: h, ln: ln, file: file, secret: secret, log: log}, nil
}

// Serve answers requests that start with the secret until ctx ends.
func (l *winLock) Serve(ctx context.Context, h instanceHandler) {
	stop := context.AfterFunc(ctx, func() { l.ln.Close() })
	defer stop()
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return // closed
		}
		go answerWithSecret(ctx, c, l.secret, h, l.log)
	}
}

// Endpoint is the instance file holding the port and the secret.
func (l *winLock) Endpoint() string { return l.file }

// Close stops listening, removes the instance file and closes the mutex:
// with its last handle gone, the next launch creates it anew.
func (l *winLock) Close() error {
	err := l.ln.Close()
	_ = os.Remove(l.file)
	return errors.Join(err, windows.CloseHandle(l.mutex))
}

// showRunningWindows asks the mutex holder to show its window. It may be
// starting up and not have written its file yet, so it retries briefly.
func showRunningWindows(file string) error {
	deadline := time.Now().Add(instanceRequestTimeout)
	var err error
	for time.Now().Before(deadline) {
		if err = requestShowAt(file); err == nil {
			return errAlreadyRunning
		}
		time.Sleep(100 * time.Millisecond) // polling a peer still starting; no event to wait on
	}
	return fmt.Errorf("%w, but did not answer (%v): end it or wait for it to finish starting", errAlreadyRunning, err)
}

func requestShowAt(file string) error { return requestAt(file, "show") }

// requestAt sends one request line to the instance whose file is file.
func requestAt(file, req string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	addr, secret, ok := strings.Cut(strings.TrimSpace(string(b)), " ")
	if !ok {
		return fmt.Errorf("instance file %s is malformed", file)
	}
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(c, secret); err != nil {
		c.Close()
		return err
	}
	return requestLine(c, req)
}

// sendToRunning sends req to the running instance of configDir, if any.
func sendToRunning(configDir, req string) error {
	base, err := os.UserCacheDir()
	if err != nil {
		return err
	}
	return requestAt(filepath.Join(base, "agentlink", instanceKey(configDir)+".instance"), req)
}

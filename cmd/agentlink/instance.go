package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"
)

// One AgentLink per user session: the first instance holds an instance
// lock and listens for requests; a second launch finds the lock taken, asks
// the first to show its window and exits 0. Closing the window only hides
// it to the tray, so without this an agent on a desktop with no visible
// tray had no way back to a signed-in softphone.
//
// The lock is platform code behind instanceLock: on Unix a flock'd file
// and a Unix socket in a 0700 directory (instance_unix.go); other platforms
// provide their own (a Windows named mutex and pipe belong in
// instance_windows.go). The lock is per configuration directory, so tests
// and a second user's session with their own XDG_CONFIG_HOME never meet.

// errAlreadyRunning says another instance holds the lock and was asked to
// show its window.
var errAlreadyRunning = errors.New("AgentLink is already running")

// instanceLock is held by the running instance until Close.
type instanceLock interface {
	// Serve calls show for every "show" request from a later launch until
	// ctx ends.
	Serve(ctx context.Context, show func())
	Close() error
}

// instanceRequestTimeout bounds one request between two instances.
const instanceRequestTimeout = 3 * time.Second

// instanceKey names the lock for a configuration directory: the same user
// with the same config dir gets the same key.
func instanceKey(configDir string) string {
	sum := sha256.Sum256([]byte(configDir))
	return hex.EncodeToString(sum[:6])
}

// serveConns answers requests on ln until ctx ends: one line in ("show"),
// one line out ("ok").
func serveConns(ctx context.Context, ln net.Listener, show func(), log *slog.Logger) {
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	for {
		c, err := ln.Accept()
		if err != nil {
			return // closed
		}
		go answer(c, show, log)
	}
}

func answer(c net.Conn, show func(), log *slog.Logger) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(instanceRequestTimeout))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return
	}
	switch strings.TrimSpace(line) {
	case "show":
		log.Info("another launch asked for the window")
		show()
		fmt.Fprintln(c, "ok")
	default:
		fmt.Fprintln(c, "unknown request")
	}
}

// requestShow asks the running instance, over c, to show its window.
func requestShow(c net.Conn) error {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(instanceRequestTimeout))
	if _, err := fmt.Fprintln(c, "show"); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "ok" {
		return fmt.Errorf("the running AgentLink answered %q", strings.TrimSpace(line))
	}
	return nil
}

// showRunning asks the lock holder to show its window. It may be starting
// up and not listening yet, so it retries for a few seconds.
func showRunning(sock string) error {
	deadline := time.Now().Add(instanceRequestTimeout)
	var err error
	for time.Now().Before(deadline) {
		var c net.Conn
		if c, err = net.DialTimeout("unix", sock, time.Second); err == nil {
			if err = requestShow(c); err == nil {
				return errAlreadyRunning
			}
		}
		time.Sleep(100 * time.Millisecond) // polling a peer still starting; no event to wait on
	}
	return fmt.Errorf("%w, but did not answer (%v): end it or wait for it to finish starting", errAlreadyRunning, err)
}

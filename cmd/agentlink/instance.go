package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/agentlink/agentlink/cmd/agentlink-hotkeys/keyspec"
	"github.com/agentlink/agentlink/ui/activation"
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
	// Serve answers requests until ctx ends: "show" from a later launch,
	// hotkey verbs from agentlink-hotkeys (see instanceHandler).
	Serve(ctx context.Context, h instanceHandler)
	// Endpoint is what agentlink-hotkeys is given to reach Serve: the
	// socket's path on Unix, the instance file's on Windows.
	Endpoint() string
	Close() error
}

// instanceHandler is what Serve does with each request.
type instanceHandler struct {
	show func()
	// hotkey performs a hotkey verb (keyspec.Verbs) and says why not;
	// nil refuses them ("global hotkeys are off").
	hotkey func(ctx context.Context, verb string) error
	// notifyAnswer hands over an Answer click in a Windows toast (an
	// agentlink:answer URL a protocol launch forwarded, activation.go);
	// nil refuses them.
	notifyAnswer func(dialogID string)
}

// hotkeyRequestTimeout bounds a hotkey request: the command it runs goes
// to Finesse and back.
const hotkeyRequestTimeout = 12 * time.Second

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
func serveConns(ctx context.Context, ln net.Listener, h instanceHandler, log *slog.Logger) {
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	for {
		c, err := ln.Accept()
		if err != nil {
			return // closed
		}
		go answer(ctx, c, h, log)
	}
}

// answer reads one request line from c and writes one answer line: "ok",
// "error: why" or "unknown request".
func answer(ctx context.Context, c net.Conn, h instanceHandler, log *slog.Logger) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(instanceRequestTimeout))
	line, err := bufio.NewReader(io.LimitReader(c, 256)).ReadString('\n')
	if err != nil {
		return
	}
	verb := strings.TrimSpace(line)
	switch {
	case verb == "show":
		log.Info("another launch asked for the window")
		h.show()
		fmt.Fprintln(c, "ok")
	case activation.IsActivation(verb):
		fmt.Fprintln(c, activationAnswer(h, verb, log))
	case keyspec.ValidVerb(verb):
		_ = c.SetDeadline(time.Now().Add(hotkeyRequestTimeout + time.Second))
		fmt.Fprintln(c, hotkeyAnswer(ctx, h, verb, log))
	default:
		fmt.Fprintln(c, "unknown request")
	}
}

// hotkeyAnswer runs a hotkey verb and words the answer line.
func hotkeyAnswer(ctx context.Context, h instanceHandler, verb string, log *slog.Logger) string {
	if h.hotkey == nil {
		return "error: global hotkeys are off (ui.global_hotkeys)"
	}
	ctx, cancel := context.WithTimeout(ctx, hotkeyRequestTimeout)
	defer cancel()
	if err := h.hotkey(ctx, verb); err != nil {
		log.Info("global hotkey not done", "verb", verb, "err", err)
		return "error: " + strings.ReplaceAll(err.Error(), "\n", " ")
	}
	log.Info("global hotkey done", "verb", verb)
	return "ok"
}

// answerWithSecret answers c only if its first line is secret (the
// Windows channel, a loopback port any local user could dial; the secret
// is in a file only this user can read). Anything else is closed unanswered.
func answerWithSecret(ctx context.Context, c net.Conn, secret string, h instanceHandler, log *slog.Logger) {
	_ = c.SetDeadline(time.Now().Add(instanceRequestTimeout))
	r := bufio.NewReader(io.LimitReader(c, 256))
	line, err := r.ReadString('\n')
	if err != nil || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(line)), []byte(secret)) != 1 {
		log.Warn("instance request with a wrong secret refused")
		c.Close()
		return
	}
	answer(ctx, bufferedConn{c, r}, h, log)
}

// bufferedConn reads through r, which may hold bytes read past the secret.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (b bufferedConn) Read(p []byte) (int, error) { return b.r.Read(p) }

// requestShow asks the running instance, over c, to show its window.
func requestShow(c net.Conn) error { return requestLine(c, "show") }

// requestLine sends one request line over c and wants "ok" back.
func requestLine(c net.Conn, req string) error {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(instanceRequestTimeout))
	if _, err := fmt.Fprintln(c, req); err != nil {
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

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"golang.org/x/term"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

// printVersion prints the version, the commit when the build recorded one,
// and the Go toolchain.
func printVersion(w io.Writer) error {
	rev := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				rev = " (" + s.Value[:12] + ")"
			}
		}
	}
	_, err := fmt.Fprintf(w, "agentlink %s%s %s %s/%s\n", version, rev, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}

// runToken prints the bridge token, creating it on first use.
func runToken(w io.Writer, kc keychain, log *slog.Logger) error {
	dir, err := configDir()
	if err != nil {
		return err
	}
	tok, remember, err := storedBridgeToken(dir, kc, log)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(w, tok); err != nil {
		return err
	}
	remember() // after printing: a slow keychain must not hold up the token
	return nil
}

// runLogin asks for the agent's Finesse password and stores it in the OS
// keychain. It does not check the password against Finesse: the app does
// that when it signs in.
func runLogin(ctx context.Context, cfg Config, sio stdio, kc keychain) error {
	agent := cfg.Finesse.AgentID
	if agent == "" {
		return fmt.Errorf("agentlink login needs the agent id: pass --agent or set finesse.agent_id in %s", cfg.fileHint())
	}
	if err := kc.Available(); err != nil {
		return err
	}
	fmt.Fprintf(sio.err, "Finesse password for agent %s: ", agent)
	pw, err := readPassword(ctx, sio)
	fmt.Fprintln(sio.err)
	if err != nil {
		return err
	}
	if pw == "" {
		return errors.New("empty password: nothing stored")
	}
	if err := kc.SetPassword(agent, pw); err != nil {
		return err
	}
	fmt.Fprintf(sio.out, "Password for agent %s stored in the OS keychain (service %q).\n", agent, kc.service)
	return nil
}

// readResult is what a password read produced.
type readResult struct {
	pw  string
	err error
}

// readPassword reads one line without echo from a terminal, or as it comes
// from a pipe (for scripts). Cancelling ctx (Ctrl-C) restores the terminal
// and returns at once; the blocked read is abandoned as the process exits.
func readPassword(ctx context.Context, sio stdio) (string, error) {
	done := make(chan readResult, 1)
	if f, ok := sio.in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fd := int(f.Fd())
		state, err := term.GetState(fd)
		if err != nil {
			return "", fmt.Errorf("reading the terminal state: %w", err)
		}
		defer term.Restore(fd, state)
		go func() {
			b, err := term.ReadPassword(fd)
			done <- readResult{string(b), err}
		}()
	} else {
		fmt.Fprint(sio.err, "(stdin is not a terminal: reading the password from it) ")
		go func() { done <- readLine(sio.in) }()
	}
	select {
	case r := <-done:
		if r.err != nil {
			return "", fmt.Errorf("reading the password: %w", r.err)
		}
		return r.pw, nil
	case <-ctx.Done():
		return "", fmt.Errorf("password entry cancelled: %w", ctx.Err())
	}
}

// readLine reads one line from a pipe; a last line without newline counts.
func readLine(r io.Reader) readResult {
	line, err := bufio.NewReader(r).ReadString('\n')
	if errors.Is(err, io.EOF) && line != "" {
		err = nil
	}
	return readResult{strings.TrimRight(line, "\r\n"), err}
}

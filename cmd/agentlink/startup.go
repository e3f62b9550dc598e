package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"runtime"
	"syscall"
)

// singleInstance claims the per-user instance lock for a GUI run. When
// another AgentLink holds it, that one is asked to show its window and
// the lock is nil with no error: this launch has done its job. A lock that
// cannot be set up at all (no usable directory) is logged, and the app
// runs without it, as before.
func singleInstance(cfg Config, log *slog.Logger, sio stdio) (instanceLock, error) {
	dir, err := configDir()
	if err != nil {
		log.Warn("no single-instance lock", "err", err)
		return nil, nil
	}
	lock, err := claimInstance(dir, log)
	switch {
	case errors.Is(err, errAlreadyRunning) && err == errAlreadyRunning:
		fmt.Fprintln(sio.out, "AgentLink is already running: its window was brought forward.")
		return nil, nil
	case errors.Is(err, errAlreadyRunning):
		return nil, err
	case err != nil:
		log.Warn("no single-instance lock", "err", err)
		return noInstance{}, nil
	}
	return lock, nil
}

// checkBridgePort says, before any window opens, when another program
// already listens on the bridge address. (Another AgentLink was found by
// the instance lock already.) The port is closed again at once; the
// bridge opens it for real a moment later.
func checkBridgePort(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln.Close()
	}
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("the CRM bridge cannot listen on %s: another program already uses that port.\n"+
			"Fix: close that program, or set bridge.addr in config.toml (or --bridge-addr) to a free loopback port "+
			"such as 127.0.0.1:28446, and give CRM toolbars the new port", addr)
	}
	return nil // anything else is reported by the bridge itself, with detail
}

// wantsWindow says whether this command line runs the desktop app, so a
// start-up failure is shown in a window as well as on stderr.
func (cl commandLine) wantsWindow() bool {
	return cl.command == "" && !cl.run.Headless && builtWithUI && hasDisplay()
}

// hasDisplay says whether a window can be opened at all.
func hasDisplay() bool {
	switch runtime.GOOS {
	case "windows", "darwin":
		return true
	}
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}

// noInstance runs without the lock.
type noInstance struct{}

func (noInstance) Serve(context.Context, instanceHandler) {}
func (noInstance) Endpoint() string                       { return "" }
func (noInstance) Close() error                           { return nil }

//go:build !unix && !windows

package main

import (
	"errors"
	"log/slog"
)

// claimInstance is the stand-in where no instance lock is built (Unix has
// instance_unix.go, Windows instance_windows.go): every launch runs, and a
// second one fails on the bridge port as before.
func claimInstance(string, *slog.Logger) (instanceLock, error) { return noInstance{}, nil }

// sendToRunning fails: there is no instance channel to send on.
func sendToRunning(string, string) error { return errors.New("no instance channel on this platform") }

//go:build !unix && !windows

package main

import "log/slog"

// claimInstance is the stand-in where no instance lock is built (Unix has
// instance_unix.go, Windows instance_windows.go): every launch runs, and a
// second one fails on the bridge port as before.
func claimInstance(string, *slog.Logger) (instanceLock, error) { return noInstance{}, nil }

//go:build !unix

package main

import "log/slog"

// claimInstance is the stand-in where no instance lock is built yet
// (Windows gets a named mutex in an instance_windows.go, which must then
// narrow this file's build tag): every launch runs, and a second one fails
// on the bridge port as before.
func claimInstance(string, *slog.Logger) (instanceLock, error) { return noInstance{}, nil }

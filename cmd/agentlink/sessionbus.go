package main

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
)

// errNoSessionBus means there is no D-Bus session bus to find a Secret
// Service on.
var errNoSessionBus = errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set and there is no user bus socket)")

// sessionBusMissing reports errNoSessionBus where the Secret Service is
// reached over D-Bus (not macOS or Windows) and no session bus can be
// found the way godbus looks for one before it falls back to autolaunch.
func sessionBusMissing() error {
	switch runtime.GOOS {
	case "darwin", "windows":
		return nil
	}
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return nil
	}
	dirs := []string{os.Getenv("XDG_RUNTIME_DIR"), filepath.Join("/run/user", strconv.Itoa(os.Getuid()))}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		for _, name := range []string{"bus", "dbus-session"} {
			if _, err := os.Stat(filepath.Join(d, name)); err == nil {
				return nil
			}
		}
	}
	return errNoSessionBus
}

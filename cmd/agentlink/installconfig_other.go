//go:build !windows

package main

import (
	"errors"
	"os"
)

// secureMachineDir makes the machine config's folder writable by its owner
// (root, who runs the installer) only.
func secureMachineDir(dir string) error {
	return os.Chmod(dir, 0o755)
}

// setAutostart is the Windows installer's; elsewhere start at sign-in is
// the desktop's autostart entry, which packages install.
func setAutostart(on bool) error {
	if on {
		return errors.New("AUTOSTART is for the Windows installer; use your desktop's autostart settings")
	}
	return nil
}

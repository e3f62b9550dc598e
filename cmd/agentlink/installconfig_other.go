//go:build !windows

package main

import "os"

// secureMachineDir makes the machine config's folder writable by its owner
// (root, who runs the installer) only.
func secureMachineDir(dir string) error {
	return os.Chmod(dir, 0o755)
}

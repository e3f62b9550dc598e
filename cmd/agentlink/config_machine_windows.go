package main

import (
	"fmt"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// defaultMachineConfigPath is %ProgramData%\AgentLink\config.toml, which
// the MSI writes. The folder comes from the shell's known-folder API, not
// the ProgramData environment variable, which the user could point at a
// file of their own to loosen the locked settings.
func defaultMachineConfigPath() (string, error) {
	dir, err := windows.KnownFolderPath(windows.FOLDERID_ProgramData, 0)
	if err != nil {
		return "", fmt.Errorf("finding the ProgramData folder: %w", err)
	}
	return filepath.Join(dir, "AgentLink", "config.toml"), nil
}

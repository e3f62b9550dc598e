package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// runKey is where programs that start at every user's sign-in are listed.
const runKey = `Software\Microsoft\Windows\CurrentVersion\Run`

// setAutostart adds or removes AgentLink (the GUI agentlink.exe next to
// this program) under HKLM's Run key, so it starts at every user's sign-in.
func setAutostart(on bool) error {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("opening HKLM\\%s: %w", runKey, err)
	}
	defer k.Close()
	if !on {
		if err := k.DeleteValue("AgentLink"); err != nil && !errors.Is(err, registry.ErrNotExist) {
			return err
		}
		return nil
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	return k.SetStringValue("AgentLink", `"`+filepath.Join(filepath.Dir(self), "agentlink.exe")+`"`)
}

// secureMachineDir gives %ProgramData%\AgentLink a protected DACL: SYSTEM
// and Administrators may change it, users may only read it. ProgramData's
// inherited DACL would let any user create files there, for example a
// config.toml planted before the installer runs.
func secureMachineDir(dir string) error {
	sd, err := windows.SecurityDescriptorFromString("D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;GRGX;;;BU)")
	if err != nil {
		return err
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return err
	}
	if err := windows.SetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, dacl, nil); err != nil {
		return fmt.Errorf("securing %s: %w", dir, err)
	}
	return nil
}

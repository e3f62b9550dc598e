package main

import (
	"fmt"

	"golang.org/x/sys/windows"
)

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

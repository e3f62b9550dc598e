package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Windows has no Unix mode bits: who may read the bridge token is decided
// by the file's and folder's DACL. These functions are the Windows side of
// checkPrivate and of making the token's folder private (token.go).

// tokenAccess is any right that reads, changes or takes over a file.
const tokenAccess = windows.FILE_READ_DATA | windows.FILE_WRITE_DATA | windows.FILE_APPEND_DATA |
	windows.GENERIC_READ | windows.GENERIC_WRITE | windows.GENERIC_ALL | windows.WRITE_DAC | windows.WRITE_OWNER

// checkPrivateACL refuses a token whose file or folder lets anyone but the
// user (and the system and administrators, who can read any file anyway)
// read or change it, with the command that fixes it.
func checkPrivateACL(path string) error {
	me, err := currentUserSID()
	if err != nil {
		return fmt.Errorf("checking who may read bridge token %s: %w", path, err)
	}
	for _, p := range []string{path, filepath.Dir(path)} {
		others, err := othersWithAccess(p, me)
		if err != nil {
			return fmt.Errorf("checking who may read bridge token %s: %w", path, err)
		}
		if len(others) > 0 {
			return fmt.Errorf("bridge token %s: the access list of %s lets %s read or change it, so they could "+
				"drive this agent's phone through the bridge: fix it with\n  icacls \"%s\" /inheritance:r /grant:r \"%%USERNAME%%:F\"\n"+
				"or delete the file and run \"agentlink token\" for a new token (CRM toolbars must then be paired again)",
				path, p, strings.Join(others, ", "), p)
		}
	}
	return nil
}

// othersWithAccess lists the accounts other than me, SYSTEM and the
// Administrators group that path's DACL allows to read or change it.
func othersWithAccess(path string, me *windows.SID) ([]string, error) {
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return nil, err
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return nil, err
	}
	if dacl == nil {
		return []string{"everyone (no access list at all)"}, nil
	}
	system, _ := windows.CreateWellKnownSid(windows.WinLocalSystemSid)
	admins, _ := windows.CreateWellKnownSid(windows.WinBuiltinAdministratorsSid)
	var others []string
	for i := uint32(0); i < uint32(dacl.AceCount); i++ {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(dacl, i, &ace); err != nil {
			return nil, err
		}
		if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE || ace.Header.AceFlags&windows.INHERIT_ONLY_ACE != 0 ||
			ace.Mask&tokenAccess == 0 {
			continue
		}
		sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
		if sid.Equals(me) || (system != nil && sid.Equals(system)) || (admins != nil && sid.Equals(admins)) {
			continue
		}
		others = append(others, accountName(sid))
	}
	return others, nil
}

// accountName names a SID for a message: DOMAIN\name, or the SID string.
func accountName(sid *windows.SID) string {
	if name, domain, _, err := sid.LookupAccount(""); err == nil {
		if domain != "" {
			return domain + `\` + name
		}
		return name
	}
	return sid.String()
}

// currentUserSID is the SID of the user this process runs as.
func currentUserSID() (*windows.SID, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, err
	}
	return u.User.Sid.Copy()
}

// restrictToUser gives dir a protected DACL that only the user, SYSTEM and
// Administrators may use, inherited by the files created in it (the token):
// the same promise as mode 0700 on Unix. An existing token file keeps its
// own DACL and is still checked by checkPrivateACL.
func restrictToUser(dir string) error {
	me, err := currentUserSID()
	if err != nil {
		return err
	}
	sddl := "D:PAI(A;OICI;FA;;;" + me.String() + ")(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)"
	sd, err := windows.SecurityDescriptorFromString(sddl)
	if err != nil {
		return err
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return err
	}
	return windows.SetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, dacl, nil)
}

package main

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
)

// The machine config is the file IT staff manage for every user of a PC
// (on Windows the MSI writes %ProgramData%\AgentLink\config.toml). It is
// read before the user's config.toml. The keys in lockedKeys decide who may
// use the bridge and which servers are trusted, so when a machine config
// exists they come from it alone: the user's file and flags cannot loosen
// them. Every other key is a personal preference the user may change.
var lockedKeys = []string{
	"finesse.ca_file",
	"finesse.insecure_skip_verify",
	"finesse.plain_http",
	"bridge.addr",
	"bridge.allowed_origins",
	"bridge.origin_scopes",
	"bridge.require_pairing",
}

// machineConfigPath returns where the machine config lives on this OS
// (config_machine_windows.go, config_machine_other.go). It is a variable
// so tests can point it at a temporary file.
var machineConfigPath = defaultMachineConfigPath

// applyMachineFile applies the machine config when there is one and
// reports whether there was. Its errors name the file, like the user's.
func applyMachineFile(cfg *Config) (bool, error) {
	path, err := machineConfigPath()
	if err != nil || path == "" {
		return false, nil // no machine-wide location on this system
	}
	if err := applyFile(cfg, path, false); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return false, fmt.Errorf("machine config (managed by your IT department): %w", err)
	}
	cfg.MachineFile = path
	cfg.File = "" // applyFile records the last file read; the user's comes next
	return true, nil
}

// dropLocked removes assignments to locked keys when a machine config
// exists, and records each one for a warning, so the user sees why a
// setting did not take effect instead of a silent no-op.
func dropLocked(cfg *Config, as []assignment) []assignment {
	if cfg.MachineFile == "" {
		return as
	}
	kept := as[:0:0]
	for _, a := range as {
		if !slices.Contains(lockedKeys, a.key) {
			kept = append(kept, a)
			continue
		}
		where := "flag --" + settingByKey[a.key].flag
		if a.source != "" {
			where = a.source
		}
		cfg.ignored = append(cfg.ignored, fmt.Sprintf("%s sets %s, which only the machine config %s may set: "+
			"ignored (ask your IT department to change it there)", where, a.key, cfg.MachineFile))
	}
	return kept
}

package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// useMachineConfig points machineConfigPath at path for one test. Tests
// that call it must not be parallel: the variable is package-wide.
func useMachineConfig(t *testing.T, path string) {
	t.Helper()
	old := machineConfigPath
	machineConfigPath = func() (string, error) { return path, nil }
	t.Cleanup(func() { machineConfigPath = old })
}

func TestMachineConfigLocksSecurityKeys(t *testing.T) {
	dir := t.TempDir()
	ca := writeCA(t, dir, "it-ca.pem")
	userCA := writeCA(t, dir, "user-ca.pem")
	machine := writeFile(t, dir, "machine.toml", `
[finesse]
side_a = "finesse-a.example.com"
ca_file = "`+filepath.ToSlash(ca)+`"
[bridge]
addr = "127.0.0.1:28445"
allowed_origins = ["https://crm.example.com"]
[ui]
start_hidden = true
`)
	user := writeFile(t, dir, "user.toml", `
[finesse]
side_a = "finesse-lab.example.com"
ca_file = "`+filepath.ToSlash(userCA)+`"
insecure_skip_verify = true
agent_id = "1001"
[bridge]
addr = "127.0.0.1:29999"
allowed_origins = ["https://evil.example.net"]
[bridge.origin_scopes]
"https://crm.example.com" = ["state"]
[ui]
start_hidden = false
[log]
level = "debug"
`)
	useMachineConfig(t, machine)
	flags := []assignment{
		{key: "bridge.allowed_origins", value: []string{"https://other.example.org"}},
		{key: "finesse.extension", value: "5001"},
	}
	cfg, err := loadConfig(user, true, flags)
	if err != nil {
		t.Fatalf("loadConfig: %v", err)
	}
	// Locked: the machine's values, whatever the user file and flags say.
	if cfg.Finesse.CAFile != ca || cfg.Finesse.InsecureSkipVerify || cfg.Bridge.Addr != "127.0.0.1:28445" ||
		!slices.Equal(cfg.Bridge.AllowedOrigins, []string{"https://crm.example.com"}) || cfg.Bridge.OriginScopes != nil {
		t.Errorf("locked keys loosened by the user: ca=%q insecure=%v addr=%q origins=%v scopes=%v",
			cfg.Finesse.CAFile, cfg.Finesse.InsecureSkipVerify, cfg.Bridge.Addr, cfg.Bridge.AllowedOrigins, cfg.Bridge.OriginScopes)
	}
	// Preferences: the user's file, then flags, over the machine's.
	if cfg.Finesse.SideA != "finesse-lab.example.com:8445" || cfg.Finesse.AgentID != "1001" ||
		cfg.Finesse.Extension != "5001" || cfg.UI.StartHidden || cfg.Log.Level.String() != "DEBUG" {
		t.Errorf("preferences not taken from the user: %+v %+v %+v", cfg.Finesse, cfg.UI, cfg.Log)
	}
	if cfg.MachineFile != machine || cfg.File != user {
		t.Errorf("files = machine %q user %q, want %q %q", cfg.MachineFile, cfg.File, machine, user)
	}
	// Each ignored setting is named in a warning, with where it came from.
	w := strings.Join(cfg.warnings(), "\n")
	for _, want := range []string{user + " sets finesse.ca_file", user + " sets finesse.insecure_skip_verify",
		user + " sets bridge.addr", user + " sets bridge.allowed_origins", user + " sets bridge.origin_scopes",
		"flag --allow-origin sets bridge.allowed_origins", "only the machine config " + machine} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
	if strings.Contains(w, "insecure_skip_verify is on") {
		t.Errorf("the user's insecure_skip_verify took effect:\n%s", w)
	}
}

// With a machine config that leaves a locked key unset, the user still
// cannot set it: unset means the machine's (safe) default.
func TestMachineConfigUnsetLockedKeyStaysDefault(t *testing.T) {
	dir := t.TempDir()
	machine := writeFile(t, dir, "machine.toml", "[finesse]\nside_a = \"127.0.0.1:18445\"\n")
	user := writeFile(t, dir, "user.toml", "[finesse]\nplain_http = true\n[bridge]\nallowed_origins = [\"https://x.example.com\"]\n")
	useMachineConfig(t, machine)
	cfg, err := loadConfig(user, true, nil)
	if err != nil {
		t.Fatalf("loadConfig: %v", err)
	}
	if cfg.Finesse.PlainHTTP || len(cfg.Bridge.AllowedOrigins) != 0 {
		t.Errorf("user loosened unset locked keys: plain_http=%v origins=%v", cfg.Finesse.PlainHTTP, cfg.Bridge.AllowedOrigins)
	}
}

// Without a machine config the user's file decides everything, as before.
func TestNoMachineConfigUserDecides(t *testing.T) {
	dir := t.TempDir()
	useMachineConfig(t, filepath.Join(dir, "missing.toml"))
	user := writeFile(t, dir, "user.toml", "[bridge]\naddr = \"127.0.0.1:29999\"\n")
	cfg, err := loadConfig(user, true, nil)
	if err != nil {
		t.Fatalf("loadConfig: %v", err)
	}
	if cfg.Bridge.Addr != "127.0.0.1:29999" || cfg.MachineFile != "" || len(cfg.ignored) != 0 {
		t.Errorf("without a machine config: addr=%q machine=%q ignored=%v", cfg.Bridge.Addr, cfg.MachineFile, cfg.ignored)
	}
}

// A broken machine config stops the start with an error naming it: the
// app never runs with the IT department's settings silently dropped.
func TestMachineConfigErrorNamesFile(t *testing.T) {
	dir := t.TempDir()
	machine := writeFile(t, dir, "machine.toml", "[bridge]\naddr = \"0.0.0.0:28445\"\n")
	useMachineConfig(t, machine)
	_, err := loadConfig("", false, nil)
	if err == nil || !strings.Contains(err.Error(), "machine config") || !strings.Contains(err.Error(), machine) {
		t.Fatalf("loadConfig error = %v, want one naming the machine config %s", err, machine)
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// install-config writes a file that loads as the machine config, with the
// installer's properties; without properties it keeps the file there is.
func TestInstallConfigWritesMachineConfig(t *testing.T) {
	dir := t.TempDir()
	ca := writeCA(t, dir, "ca.pem")
	path := filepath.Join(dir, "AgentLink", "config.toml")
	var out bytes.Buffer
	err := runInstallConfig([]string{"--path", path, "--side-a", "finesse-a.example.com", "--side-b", "",
		"--ca-file", ca, "--allowed-origins", "https://x.my.salesforce.com https://y.crm.ondemand.com",
		"--origin-scopes", "https://y.crm.ondemand.com=state,calls", "--start-hidden", "1", "--xmpp-port", ""},
		stdio{out: &out, err: &out})
	if err != nil {
		t.Fatalf("install-config: %v", err)
	}
	useMachineConfig(t, path)
	cfg, err := loadConfig("", false, nil)
	if err != nil {
		t.Fatalf("loading the written machine config: %v", err)
	}
	if cfg.Finesse.SideA != "finesse-a.example.com:8445" || cfg.Finesse.CAFile != ca || !cfg.UI.StartHidden ||
		!slices.Equal(cfg.Bridge.AllowedOrigins, []string{"https://x.my.salesforce.com", "https://y.crm.ondemand.com"}) ||
		len(cfg.Bridge.OriginScopes["https://y.crm.ondemand.com"]) != 2 || cfg.MachineFile != path {
		t.Errorf("machine config = %+v %+v %+v", cfg.Finesse, cfg.Bridge, cfg.UI)
	}
	before, _ := os.ReadFile(path)
	out.Reset()
	if err := runInstallConfig([]string{"--path", path, "--side-a", "", "--allowed-origins", ""}, stdio{out: &out, err: &out}); err != nil {
		t.Fatalf("install-config without properties: %v", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) || !strings.Contains(out.String(), "keeping") {
		t.Errorf("an upgrade without properties changed the machine config (%q)", out.String())
	}
}

// A bad property fails with the key named and leaves the old file alone.
func TestInstallConfigRefusesBadProperty(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "config.toml", "[finesse]\nside_a = \"old.example.com\"\n")
	err := runInstallConfig([]string{"--path", path, "--bridge-addr", "0.0.0.0:28445"}, stdio{out: &bytes.Buffer{}, err: &bytes.Buffer{}})
	if err == nil || !strings.Contains(err.Error(), "bridge.addr") {
		t.Fatalf("install-config with a non-loopback bridge address: %v, want an error naming bridge.addr", err)
	}
	if data, _ := os.ReadFile(path); !strings.Contains(string(data), "old.example.com") {
		t.Errorf("the old machine config was replaced: %s", data)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "config.toml.*")); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// AUTOSTART is recorded next to the machine config, so an upgrade without
// it keeps IT's choice; a value other than 1 or 0 is refused.
func TestInstallConfigRecordsAutostart(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "AgentLink", "config.toml")
	quiet := stdio{out: &bytes.Buffer{}, err: &bytes.Buffer{}}
	if err := runInstallConfig([]string{"--path", path, "--autostart", "0"}, quiet); err != nil {
		t.Fatalf("install-config --autostart 0: %v", err)
	}
	rec := filepath.Join(dir, "AgentLink", autostartFile)
	if data, err := os.ReadFile(rec); err != nil || strings.TrimSpace(string(data)) != "0" {
		t.Fatalf("recorded AUTOSTART = %q, %v; want 0", data, err)
	}
	if err := runInstallConfig([]string{"--path", path}, quiet); err != nil {
		t.Errorf("install-config without AUTOSTART, after 0 was recorded: %v", err)
	}
	if err := runInstallConfig([]string{"--path", path, "--autostart", "2"}, quiet); err == nil || !strings.Contains(err.Error(), "AUTOSTART") {
		t.Errorf("install-config --autostart 2 = %v, want an error naming AUTOSTART", err)
	}
}

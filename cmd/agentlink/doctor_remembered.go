package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// appID is the desktop application id (FyneApp.toml, preferences, the
// notification sender).
const appID = "io.agentlink.app"

// The servers an agent typed in the sign-in form (first run without
// finesse.side_a) live in the softphone's preferences, not in the config
// file; the doctor checks those when the config names none, since they are
// what the app connects to.

// rememberedServers returns the sides the sign-in form remembered, and the
// preferences file they came from; empty when there are none.
func rememberedServers() (sideA, sideB, from string) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", "", ""
	}
	path := filepath.Join(dir, "fyne", appID, "preferences.json") // Fyne's storage root on every desktop
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", ""
	}
	var prefs map[string]any
	if json.Unmarshal(b, &prefs) != nil {
		return "", "", ""
	}
	str := func(k string) string { s, _ := prefs[k].(string); return strings.TrimSpace(s) }
	return str("finesse.side_a"), str("finesse.side_b"), path
}

// withRememberedServers fills the sides the config leaves empty from the
// sign-in form's, as host:port; it reports the file when it used them.
func withRememberedServers(cfg Config) (Config, string) {
	if cfg.Finesse.SideA != "" {
		return cfg, ""
	}
	a, b, from := rememberedServers()
	if a == "" {
		return cfg, ""
	}
	hp, err := parseHostPort(a, defaultRESTPort)
	if err != nil {
		return cfg, ""
	}
	cfg.Finesse.SideA = hp
	if hpB, err := parseHostPort(b, defaultRESTPort); b != "" && err == nil {
		cfg.Finesse.SideB = hpB
	}
	return cfg, from
}

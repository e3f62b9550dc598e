package main

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestDoctorChecksRememberedServers: an agent who typed the Finesse
// servers in the sign-in form (no finesse.side_a in the config) gets those
// servers checked, and the report says where they came from.
func TestDoctorChecksRememberedServers(t *testing.T) {
	isolateConfig(t)
	useMemKeychain(t, nil)
	sim := startDoctorSim(t)
	base, err := os.UserConfigDir()
	if err != nil {
		t.Fatal(err)
	}
	prefs := filepath.Join(base, "fyne", appID, "preferences.json")
	if err := os.MkdirAll(filepath.Dir(prefs), 0o700); err != nil {
		t.Fatal(err)
	}
	body := `{"finesse.side_a": ` + strconv.Quote(nodeAddr(sim, "A")) + `, "finesse.side_b": ` + strconv.Quote(nodeAddr(sim, "B")) + `}`
	if err := os.WriteFile(prefs, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := doctorConfig(t, sim, map[string]string{"finesse.side_a": "", "finesse.side_b": ""})
	rs, _, _ := runDoctorJSON(t, "--config", cfg)
	wantResult(t, rs, "finesse side A", statusOK, []string{"TLS ok", nodeAddr(sim, "A")}, nil)
	wantResult(t, rs, "finesse side B", statusOK, []string{nodeAddr(sim, "B")}, nil)
	wantResult(t, rs, "config", statusOK, []string{"from the sign-in form", prefs}, nil)
}

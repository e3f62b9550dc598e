package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseCommandLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		args      []string
		command   string
		run       RunOptions
		flags     []assignment
		wantUsage string // substring of a *usageError; "" for success
	}{
		{name: "no args"},
		{name: "run flags", args: []string{"--demo", "-headless"}, run: RunOptions{Demo: true, Headless: true}},
		{name: "login then flags", args: []string{"login", "--agent", "1001"}, command: "login",
			flags: []assignment{{key: "finesse.agent_id", value: "1001"}}},
		{name: "flags then login", args: []string{"--agent=1001", "login"}, command: "login",
			flags: []assignment{{key: "finesse.agent_id", value: "1001"}}},
		{name: "version", args: []string{"version"}, command: "version"},
		{name: "token", args: []string{"token"}, command: "token"},
		{name: "doctor flags", args: []string{"doctor", "--json", "--check-password"}, command: "doctor"},
		{name: "doctor flag elsewhere", args: []string{"--json"}, wantUsage: "--json is a flag of agentlink doctor only"},
		{name: "doctor flag on login", args: []string{"login", "--check-password"}, wantUsage: "--check-password is a flag of agentlink doctor only"},
		{name: "unknown command", args: []string{"serve"}, wantUsage: `unknown command "serve"`},
		{name: "unknown flag", args: []string{"--nope"}, wantUsage: "flag provided but not defined: -nope"},
		{name: "extra argument", args: []string{"login", "extra"}, wantUsage: `unexpected argument "extra"`},
		{name: "bad int", args: []string{"--xmpp-port", "x"}, wantUsage: `invalid value "x" for flag -xmpp-port`},
		{name: "empty config", args: []string{"--config", ""}, wantUsage: "--config needs a file name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cl, err := parseCommandLine(tt.args, io.Discard)
			if tt.wantUsage != "" {
				var ue *usageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.wantUsage) {
					t.Fatalf("parseCommandLine(%q) error = %v, want usage error containing %q", tt.args, err, tt.wantUsage)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseCommandLine(%q) error: %v", tt.args, err)
			}
			if cl.command != tt.command || cl.run != tt.run {
				t.Errorf("parseCommandLine(%q) = command %q, run %+v; want %q, %+v", tt.args, cl.command, cl.run, tt.command, tt.run)
			}
			if diff := cmp.Diff(tt.flags, cl.flags, cmp.AllowUnexported(assignment{})); diff != "" {
				t.Errorf("flag assignments mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCommandLineHelp(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	_, err := parseCommandLine([]string{"-h"}, &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: error = %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"usage: agentlink [command] [flags]", "login", "-allow-origin", "-side-a"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("usage output lacks %q:\n%s", want, out.String())
		}
	}
	if got := exitCode(err, io.Discard); got != 0 {
		t.Errorf("exitCode(ErrHelp) = %d, want 0", got)
	}
}

// Every flag that names a setting must produce a value its setter accepts.
func TestEveryFlagApplies(t *testing.T) {
	t.Parallel()
	args := []string{"--side-a", "127.0.0.1", "--side-b", "127.0.0.2:9", "--xmpp-port", "15223",
		"--xmpp-tls", "starttls", "--xmpp-ports-from", "config", "--ca-file", writeCA(t, t.TempDir(), "ca.pem"), "--insecure",
		"--agent", "1001", "--extension", "2001", "--bridge-addr", "[::1]:1",
		"--allow-origin", "https://crm.example.com", "--log-level", "warn",
		"--sso-ids-url", "https://ids.example.com:8553", "--sso-client-id", "agentlink"}
	cl, err := parseCommandLine(args, io.Discard)
	if err != nil {
		t.Fatalf("parseCommandLine error: %v", err)
	}
	if got, want := len(cl.flags), len(settingByFlag); got != want {
		t.Errorf("%d flags became assignments, want all %d setting flags", got, want)
	}
	cfg, err := loadConfig("", false, cl.flags)
	if err != nil {
		t.Fatalf("loadConfig error: %v", err)
	}
	if cfg.Finesse.XMPPPort != 15223 || !cfg.Finesse.InsecureSkipVerify || cfg.Bridge.Addr != "[::1]:1" {
		t.Errorf("flags not applied: %+v", cfg)
	}
}

func TestDefaultConfigPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	cl, err := parseCommandLine(nil, io.Discard)
	if err != nil {
		t.Fatalf("parseCommandLine error: %v", err)
	}
	base, err := os.UserConfigDir()
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(base, "agentlink", "config.toml")
	if cl.configPath != want || cl.explicitConfig {
		t.Errorf("config path = %q (explicit %v), want %q (explicit false)", cl.configPath, cl.explicitConfig, want)
	}
}

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
)

// RunOptions says how the app runs, beyond what [Config] holds.
type RunOptions struct {
	Headless bool         // no window or tray: the Finesse session and the bridge only
	Demo     bool         // run against the built-in Finesse simulator
	Logger   *slog.Logger // non-nil when runApp is called; also slog.Default()
	// Show, in GUI mode, signals that a later launch asked for the window.
	Show <-chan struct{}
	// NotificationAnswers carries the dialog ids of Answer clicks in
	// Windows toasts that later launches forwarded (activation.go).
	NotificationAnswers <-chan string
	// Hotkeys, in GUI mode with ui.global_hotkeys on, receives the
	// session once there is one; InstanceEndpoint is what the hotkeys
	// helper dials (hotkeys_helper.go).
	Hotkeys          *hotkeyTarget
	InstanceEndpoint string
}

// commands are the subcommands; "" runs the app.
var commands = map[string]string{
	"doctor":  "check config, bridge, token, origins, Finesse sides, keychain and proxy, and say how to fix problems",
	"login":   "store the agent's Finesse password (with --sso: a single sign-on session) in the OS keychain",
	"token":   "print the bridge token CRM toolbars pair with, creating it if missing",
	"version": "print the version",
}

// commandLine is the parsed command line.
type commandLine struct {
	command        string // "" (run the app) or a key of commands
	configPath     string // "" when there is no config file to read
	explicitConfig bool   // configPath came from --config, so it must exist
	run            RunOptions
	flags          []assignment  // config values set by flags, in [settings] order
	doctor         doctorOptions // agentlink doctor's own flags (doctor.go)
	loginSSO       bool          // agentlink login --sso (login_sso.go)
}

// usageError is a command line AgentLink does not understand (exit code 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// stringsFlag is a repeatable string flag (--allow-origin).
type stringsFlag []string

func (s *stringsFlag) String() string     { return strings.Join(*s, ",") }
func (s *stringsFlag) Set(v string) error { *s = append(*s, v); return nil }
func (s *stringsFlag) Get() any           { return []string(*s) }

// newFlagSet declares every flag. Flags named in [settings] override the
// config key of the same setting.
func newFlagSet(cl *commandLine, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("agentlink", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cl.configPath, "config", "", "config file (default: <user config dir>/agentlink/config.toml)")
	fs.String("side-a", "", "Finesse side A: host or host:port (default port 8445)")
	fs.String("side-b", "", "Finesse side B for failover: host or host:port")
	fs.Int("xmpp-port", defaultXMPPPort, "Finesse XMPP notification port")
	fs.String("xmpp-tls", "direct", `XMPP TLS mode: "direct" or "starttls"`)
	fs.String("xmpp-transport", "tcp", `how notifications travel: "tcp" (5223), "websocket" (wss://<host>:8445/ws) or "auto"`)
	fs.String("vpnless-a", "", "side A through a VPN-less reverse proxy: https://host[:port][/path] (port 443 by default)")
	fs.String("vpnless-b", "", "side B through a VPN-less reverse proxy: https://host[:port][/path]")
	fs.String("xmpp-ports-from", "systeminfo", `where each side's XMPP port comes from: "systeminfo" or "config" (xmpp-port)`)
	fs.String("ca-file", "", "PEM file with the CA that signed Finesse's certificate")
	fs.Bool("insecure", false, "do not verify Finesse's TLS certificate (lab use only)")
	fs.String("agent", "", "Finesse agent login id")
	fs.String("extension", "", "the agent's phone extension")
	fs.String("bridge-addr", defaultBridgeAddr, "loopback address the CRM bridge listens on")
	fs.Var(new(stringsFlag), "allow-origin", "CRM origin allowed to use the bridge, e.g. https://crm.example.com (repeatable)")
	fs.BoolVar(&cl.run.Headless, "headless", false, "run without window or tray")
	fs.BoolVar(&cl.run.Demo, "demo", false, "run against the built-in Finesse simulator")
	fs.String("log-level", "info", `log level: "debug", "info", "warn" or "error"`)
	addDoctorFlags(fs, &cl.doctor)
	addSSOFlags(fs, &cl.loginSSO) // config_sso.go
	fs.Usage = func() { printUsage(fs) }
	return fs
}

func printUsage(fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprintln(w, "usage: agentlink [command] [flags]")
	fmt.Fprintln(w, "\ncommands:")
	fmt.Fprintln(w, "  (none)    run AgentLink: Finesse session, CRM bridge, softphone and tray")
	for _, name := range []string{"doctor", "login", "token", "version"} {
		fmt.Fprintf(w, "  %-9s %s\n", name, commands[name])
	}
	fmt.Fprintln(w, "\nflags (override config.toml):")
	fs.PrintDefaults()
}

// parseCommandLine parses "agentlink [command] [flags]"; the command may
// also follow the flags. A bad command line gives a *usageError, and -h
// gives flag.ErrHelp after printing the usage.
func parseCommandLine(args []string, stderr io.Writer) (commandLine, error) {
	var cl commandLine
	fs := newFlagSet(&cl, stderr)
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cl.command, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args); err != nil {
		return commandLine{}, err
	}
	if rest := fs.Args(); len(rest) > 0 && cl.command == "" {
		cl.command = rest[0]
		if err := parseFlags(fs, rest[1:]); err != nil {
			return commandLine{}, err
		}
	}
	if _, ok := commands[cl.command]; cl.command != "" && !ok {
		return commandLine{}, &usageError{fmt.Sprintf("unknown command %q (commands: doctor, login, token, version; run agentlink -h)", cl.command)}
	}
	if rest := fs.Args(); len(rest) > 0 {
		return commandLine{}, &usageError{fmt.Sprintf("unexpected argument %q (run agentlink -h)", rest[0])}
	}
	if name := doctorFlagSet(fs); name != "" && cl.command != "doctor" {
		return commandLine{}, &usageError{fmt.Sprintf("--%s is a flag of agentlink doctor only", name)}
	}
	if err := cl.resolveConfigPath(fs); err != nil {
		return commandLine{}, err
	}
	cl.flags = flagAssignments(fs)
	return cl, nil
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return &usageError{err.Error()}
	}
	return err
}

// resolveConfigPath picks the config file: --config, or the default one.
func (cl *commandLine) resolveConfigPath(fs *flag.FlagSet) error {
	fs.Visit(func(f *flag.Flag) { cl.explicitConfig = cl.explicitConfig || f.Name == "config" })
	if cl.explicitConfig {
		if cl.configPath == "" {
			return &usageError{"--config needs a file name"}
		}
		return nil
	}
	dir, err := configDir()
	if err != nil {
		return nil // no user config dir (no $HOME): flags only
	}
	cl.configPath = filepath.Join(dir, "config.toml")
	return nil
}

// flagAssignments turns the flags given on the command line into config
// assignments, in [allSettings] order so the result does not depend on the
// order of the flags.
func flagAssignments(fs *flag.FlagSet) []assignment {
	set := map[string]any{}
	fs.Visit(func(f *flag.Flag) {
		if _, ok := settingByFlag[f.Name]; ok {
			set[f.Name] = f.Value.(flag.Getter).Get()
		}
	})
	var as []assignment
	for _, s := range allSettings {
		if v, ok := set[s.flag]; ok && s.flag != "" {
			as = append(as, assignment{key: s.key, value: v})
		}
	}
	return as
}

package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// installConfigArgs are the MSI's properties, as `agentlink install-config`
// receives them from the installer's custom action (packaging/windows).
// An empty value means the property was not given.
type installConfigArgs struct {
	path                                      string
	sideA, sideB, xmppPort, caFile, origins   string
	scopes, bridgeAddr, startHidden, logLevel string
	autostart                                 string // AUTOSTART: "1" on, "0" off, "" unchanged
	uninstall                                 bool   // the product is being removed: clear autostart
}

// runInstallConfig writes the machine config from installer properties.
// It runs before the usual config loading, so a broken machine config can
// always be replaced. With no property given it keeps the file there is:
// a major upgrade run without properties must not wipe IT's settings.
// The new file is checked by the same rules as any config before it
// replaces the old one, so a bad property fails the install, clearly.
func runInstallConfig(args []string, sio stdio) error {
	a, err := parseInstallConfig(args)
	if err != nil {
		return err
	}
	if a.uninstall {
		return setAutostart(false) // the choice itself stays recorded (applyAutostart)
	}
	fc, any, err := a.fileConfig()
	if err != nil {
		return err
	}
	if err := a.writeConfig(fc, any, sio); err != nil {
		return err
	}
	return a.applyAutostart(sio)
}

// writeConfig writes the machine config when any property was given.
func (a installConfigArgs) writeConfig(fc fileConfig, any bool, sio stdio) error {
	if !any {
		if _, err := os.Stat(a.path); err == nil {
			fmt.Fprintf(sio.out, "install-config: no settings given; keeping %s\n", a.path)
		} else {
			fmt.Fprintf(sio.out, "install-config: no settings given; no machine config written\n")
		}
		return nil
	}
	var buf bytes.Buffer
	buf.WriteString("# AgentLink machine config, written by the installer (agentlink install-config).\n" +
		"# Its security settings (ca_file, insecure_skip_verify, plain_http, bridge.*) override every\n" +
		"# user's config. Change it by reinstalling with new properties (docs/windows.md).\n\n")
	if err := toml.NewEncoder(&buf).Encode(fc); err != nil {
		return fmt.Errorf("install-config: %w", err)
	}
	dir := filepath.Dir(a.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("install-config: creating %s: %w", dir, err)
	}
	if err := secureMachineDir(dir); err != nil {
		return fmt.Errorf("install-config: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "config.toml.*")
	if err != nil {
		return fmt.Errorf("install-config: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(buf.Bytes())
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("install-config: writing %s: %w", tmp.Name(), err)
	}
	check := defaultConfig()
	if err := applyFile(&check, tmp.Name(), false); err != nil {
		return fmt.Errorf("install-config: a property is not valid: %w", err)
	}
	if err := check.checkPlainHTTP(); err != nil {
		return fmt.Errorf("install-config: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("install-config: %w", err)
	}
	if err := os.Rename(tmp.Name(), a.path); err != nil {
		return fmt.Errorf("install-config: %w", err)
	}
	fmt.Fprintf(sio.out, "install-config: wrote %s\n", a.path)
	return nil
}

// autostartFile records AUTOSTART next to the machine config, because the
// old version's uninstall in a major upgrade clears the Run value (Wine's
// Windows Installer does not tell it that it is part of an upgrade), and an
// upgrade or reinstall without AUTOSTART must keep IT's choice, like the
// machine config. Uninstall leaves it, as it leaves the machine config.
const autostartFile = "autostart"

// applyAutostart sets start at sign-in from AUTOSTART, or when that was
// not given, from the recorded choice.
func (a installConfigArgs) applyAutostart(sio stdio) error {
	rec := filepath.Join(filepath.Dir(a.path), autostartFile)
	v := a.autostart
	if v == "" {
		data, err := os.ReadFile(rec)
		if err != nil {
			return nil // never chosen: leave the Run value alone
		}
		v = strings.TrimSpace(string(data))
	}
	if v != "1" && v != "0" {
		return fmt.Errorf("install-config: AUTOSTART %q must be 1 or 0", v)
	}
	if err := os.MkdirAll(filepath.Dir(rec), 0o755); err != nil {
		return fmt.Errorf("install-config: %w", err)
	}
	if err := secureMachineDir(filepath.Dir(rec)); err != nil {
		return fmt.Errorf("install-config: %w", err)
	}
	if err := os.WriteFile(rec, []byte(v+"\n"), 0o644); err != nil {
		return fmt.Errorf("install-config: recording AUTOSTART: %w", err)
	}
	if err := setAutostart(v == "1"); err != nil {
		return fmt.Errorf("install-config: start at sign-in: %w", err)
	}
	fmt.Fprintf(sio.out, "install-config: start at sign-in %s\n", map[bool]string{true: "on", false: "off"}[v == "1"])
	return nil
}

func parseInstallConfig(args []string) (installConfigArgs, error) {
	var a installConfigArgs
	f := flag.NewFlagSet("agentlink install-config", flag.ContinueOnError)
	f.StringVar(&a.path, "path", "", "file to write (default: the machine config)")
	f.StringVar(&a.sideA, "side-a", "", "SIDE_A")
	f.StringVar(&a.sideB, "side-b", "", "SIDE_B")
	f.StringVar(&a.xmppPort, "xmpp-port", "", "XMPP_PORT")
	f.StringVar(&a.caFile, "ca-file", "", "CA_FILE")
	f.StringVar(&a.origins, "allowed-origins", "", "ALLOWED_ORIGINS, separated by spaces")
	f.StringVar(&a.scopes, "origin-scopes", "", `ORIGIN_SCOPES: "origin=scope,scope origin=scope"`)
	f.StringVar(&a.bridgeAddr, "bridge-addr", "", "BRIDGE_ADDR")
	f.StringVar(&a.startHidden, "start-hidden", "", "START_HIDDEN: 1 or 0")
	f.StringVar(&a.logLevel, "log-level", "", "LOG_LEVEL")
	f.StringVar(&a.autostart, "autostart", "", "AUTOSTART: 1 starts AgentLink at every user's sign-in, 0 stops it")
	f.BoolVar(&a.uninstall, "uninstall", false, "clear start at sign-in (the uninstaller's)")
	if err := f.Parse(args); err != nil {
		return a, &usageError{err.Error()}
	}
	if f.NArg() > 0 {
		return a, &usageError{fmt.Sprintf("install-config: unexpected argument %q", f.Arg(0))}
	}
	if a.path == "" {
		p, err := machineConfigPath()
		if err != nil || p == "" {
			return a, fmt.Errorf("install-config: no machine config location on this system: %v", err)
		}
		a.path = p
	}
	return a, nil
}

// fileConfig turns the given properties into a config file's contents and
// says whether any was given. Values are checked when the file is loaded.
func (a installConfigArgs) fileConfig() (fileConfig, bool, error) {
	var fc fileConfig
	var errs []error
	given := false
	str := func(v string) *string {
		if v = strings.TrimSpace(v); v == "" {
			return nil
		}
		given = true
		return &v
	}
	fc.Finesse.SideA, fc.Finesse.SideB = str(a.sideA), str(a.sideB)
	fc.Finesse.CAFile, fc.Bridge.Addr, fc.Log.Level = str(a.caFile), str(a.bridgeAddr), str(a.logLevel)
	if v := str(a.xmppPort); v != nil {
		n, err := strconv.Atoi(*v)
		if err != nil {
			errs = append(errs, fmt.Errorf("XMPP_PORT %q is not a number", *v))
		}
		fc.Finesse.XMPPPort = &n
	}
	if v := str(a.origins); v != nil {
		list := strings.Fields(strings.ReplaceAll(*v, ",", " "))
		fc.Bridge.AllowedOrigins = &list
	}
	if v := str(a.scopes); v != nil {
		m := map[string][]string{}
		for _, item := range strings.Fields(*v) {
			origin, scopes, ok := strings.Cut(item, "=")
			if !ok {
				errs = append(errs, fmt.Errorf("ORIGIN_SCOPES item %q must be origin=scope[,scope]", item))
				continue
			}
			m[origin] = strings.Split(scopes, ",")
		}
		fc.Bridge.OriginScopes = &m
	}
	if v := str(a.startHidden); v != nil {
		b := *v == "1" || strings.EqualFold(*v, "true")
		if !b && *v != "0" && !strings.EqualFold(*v, "false") {
			errs = append(errs, fmt.Errorf("START_HIDDEN %q must be 1 or 0", *v))
		}
		fc.UI.StartHidden = &b
	}
	if err := errors.Join(errs...); err != nil {
		return fc, false, fmt.Errorf("install-config: %w", err)
	}
	return fc, given, nil
}

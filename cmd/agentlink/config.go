package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/localbridge"
)

// Defaults for settings the config file and flags may leave out.
const (
	defaultRESTPort   = 8445
	defaultXMPPPort   = 5223
	defaultBridgeAddr = "127.0.0.1:28445"
	defaultResource   = "agentlink"
)

// Config is AgentLink's configuration after defaults, config.toml and flags,
// in that order, have been applied and checked.
type Config struct {
	File string // the user's config file that was read; "" when there was none
	// MachineFile is the machine-wide config that was read (config_machine.go);
	// "" when there was none. Its locked keys win over File and flags.
	MachineFile string
	Finesse     FinesseConfig
	Bridge      BridgeConfig
	UI          UIConfig
	Log         LogConfig
	CallLog     CallLogConfig
	// DialPlan normalises every number dialled, from a CRM through the
	// bridge or typed in the softphone ([dialplan] in config.toml).
	DialPlan core.DialPlan
	SSO      SSOConfig // [sso]: single sign-on through Cisco IdS (config_sso.go)

	// looseKeyFile is the mode of a config file that holds
	// bridge.secure_password_key yet other users may read; 0 when fine.
	looseKeyFile fs.FileMode
	// ignored lists the user's settings of locked keys that the machine
	// config overrode, for warnings.
	ignored []string
}

// FinesseConfig says how to reach Finesse and who signs in.
type FinesseConfig struct {
	SideA              string      // "host:port" of the primary server; required with --headless (the UI asks for it)
	SideB              string      // "host:port" of the secondary server; "" when there is none
	XMPPPort           int         // notification port on both sides; 5223 (direct TLS) by default
	XMPPTLS            string      // "direct" (TLS from the first byte) or "starttls"
	XMPPTransport      string      // "tcp", "websocket" or "auto" (config_ws.go)
	VPNLessA           string      // side A through a VPN-less proxy, "https://host:port[/path]"; "" for none
	VPNLessB           string      // side B likewise
	XMPPPortsFrom      string      // "systeminfo" (advertised ports win) or "config" (XMPPPort wins)
	CAFile             string      // extra PEM roots for Finesse's certificate; "" for the system pool
	InsecureSkipVerify bool        // do not check Finesse's certificate (lab only; warned)
	PlainHTTP          bool        // http:// and plain XMPP: only for the simulator on loopback
	AgentID            string      // Finesse login id
	Extension          string      // the agent's phone extension
	Resource           string      // XMPP resource; never "desktop", which Finesse's own desktop uses
	Phone              PhoneConfig // mobile agent, device, recording (config_phone.go)
}

// BridgeConfig configures the localhost bridge for CRM toolbars.
type BridgeConfig struct {
	Addr           string   // loopback "host:port" to listen on
	AllowedOrigins []string // exact CRM origins, "scheme://host[:port]"
	// OriginScopes narrows what listed origins may do: origin -> scopes
	// ("state", "calls", "dial"; "events" always). Others may do all.
	OriginScopes      map[string][]localbridge.Scope
	SecurePasswordKey []byte // legacy 3DES key (24 bytes) for UseSecurePassword; nil when unset
	// RequirePairing makes every CRM origin pair (with the agent's
	// confirmation) and prove its key before it may connect; off, only
	// paired origins must prove and classic connectors keep working.
	RequirePairing bool
}

// UIConfig holds desktop UI settings.
type UIConfig struct {
	StartHidden bool // start in the tray without showing the softphone window
	RaiseOnRing bool // bring the window forward when a call rings (default on)
	// CallerNameVariable is the call variable holding the customer's name
	// (the call card's title); "" = the call variables layout's header.
	CallerNameVariable string
	// GlobalHotkeys starts agentlink-hotkeys, which grabs Hotkeys
	// system-wide (hotkeys.go); off by default.
	GlobalHotkeys bool
	// Hotkeys maps a verb (keyspec.Verbs) to its combination in canonical
	// form; "" leaves that verb without a hotkey.
	Hotkeys map[string]string
	// ReasonHotkeys are the Not Ready with a reason hotkeys
	// (ui.hotkey_not_ready_reasons), in combination order; the n-th is
	// verb reason<n> (keyspec.ReasonVerb).
	ReasonHotkeys []ReasonHotkey
	// HotkeyProblems are hotkeys left off because their setting is wrong
	// (a combination AgentLink cannot grab, two actions on one), in words
	// for the agent; the softphone shows them. The rest still work.
	HotkeyProblems []hotkeyProblem
}

// CallLogConfig configures the outbox of ended calls (package callstore).
type CallLogConfig struct {
	// RetentionDays is how long an ended call is kept, logged or not:
	// one not logged by then is dropped with a warning.
	RetentionDays int
}

// defaultRetentionDays and maxRetentionDays bound call_log.retention_days.
const (
	defaultRetentionDays = 14
	maxRetentionDays     = 3650
)

// LogConfig configures logging (see logging.go).
type LogConfig struct {
	Level     slog.Level // minimum level for stderr and the file
	File      string     // JSON log file; "" for none
	MaxSizeMB int        // the file is rotated when it reaches this size
	MaxFiles  int        // rotated files kept beside the live one
}

// defaultConfig returns the configuration used when nothing is set.
func defaultConfig() Config {
	return Config{
		Finesse: FinesseConfig{XMPPPort: defaultXMPPPort, XMPPTLS: "direct", XMPPTransport: "tcp", XMPPPortsFrom: "systeminfo", Resource: defaultResource},
		Bridge:  BridgeConfig{Addr: defaultBridgeAddr},
		UI:      UIConfig{RaiseOnRing: true, Hotkeys: defaultHotkeys()},
		Log:     LogConfig{Level: slog.LevelInfo, MaxSizeMB: 10, MaxFiles: 5},
		CallLog: CallLogConfig{RetentionDays: defaultRetentionDays},
	}
}

// configDir returns the directory that holds config.toml and the bridge token.
func configDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the user config directory: %w", err)
	}
	return filepath.Join(dir, "agentlink"), nil
}

// loadConfig builds the configuration from defaults, the config file and
// the command line. path is the file to read; explicit says it came from
// --config, in which case it must exist. A missing default file is fine.
func loadConfig(path string, explicit bool, flags []assignment) (Config, error) {
	cfg := defaultConfig()
	if _, err := applyMachineFile(&cfg); err != nil {
		return Config{}, err
	}
	if path != "" {
		if err := applyFile(&cfg, path, true); err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				return Config{}, err
			}
			if explicit {
				return Config{}, fmt.Errorf("config file %s does not exist (given by --config)", path)
			}
		}
	}
	if err := applyAll(&cfg, dropLocked(&cfg, flags)); err != nil {
		return Config{}, err
	}
	if err := cfg.checkPlainHTTP(); err != nil {
		return Config{}, err
	}
	if err := cfg.checkPhone(); err != nil {
		return Config{}, err
	}
	if err := cfg.checkVPNLess(); err != nil {
		return Config{}, err
	}
	cfg.checkHotkeys()
	if err := cfg.checkSSO(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// applyFile reads a config file and applies every key it sets; with
// user set, keys the machine config locks are left out (dropLocked).
func applyFile(cfg *Config, path string, user bool) error {
	var fc fileConfig
	md, err := toml.DecodeFile(path, &fc)
	if err != nil {
		// Not ParseError.ErrorWithPosition: it quotes the input, which may
		// be a line holding a secret.
		if msg, ok := typeMessage(path, err); ok {
			return errors.New(msg)
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := checkUndecoded(path, md.Undecoded()); err != nil {
		return err
	}
	as := fc.assignments()
	for i := range as {
		as[i].source = path
		if s := settingByKey[as[i].key]; s.isPath {
			as[i].value = resolvePath(filepath.Dir(path), as[i].value.(string))
		}
	}
	if user {
		as = dropLocked(cfg, as)
	}
	cfg.File = path
	if fi, err := os.Stat(path); err == nil && fc.Bridge.SecurePasswordKey != nil &&
		runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		cfg.looseKeyFile = fi.Mode().Perm()
	}
	return applyAll(cfg, as)
}

// resolvePath makes a path from the config file relative to the file's
// directory, so the app finds it whatever its working directory.
func resolvePath(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return filepath.Join(dir, p)
}

// checkUndecoded rejects keys the file sets that AgentLink does not know,
// and explains the one key that is refused on purpose: the password.
func checkUndecoded(path string, keys []toml.Key) error {
	var errs []error
	for _, k := range keys {
		if strings.EqualFold(k[len(k)-1], "password") {
			errs = append(errs, fmt.Errorf("%s: %s: the password is never stored in the config file; "+
				"remove it and run \"agentlink login\" to keep it in the OS keychain", path, k))
			continue
		}
		errs = append(errs, fmt.Errorf("%s: unknown key %s (known keys: %s)", path, k, knownKeys(k[0])))
	}
	return errors.Join(errs...)
}

// knownKeys lists the keys of a section, or the sections when there is no
// such section, for an unknown-key message.
func knownKeys(section string) string {
	var keys []string
	sections := map[string]bool{}
	for _, s := range allSettings {
		sec, _, _ := strings.Cut(s.key, ".")
		sections["["+sec+"]"] = true
		if sec == section {
			keys = append(keys, s.key)
		}
	}
	if len(keys) == 0 {
		return "sections " + strings.Join(slices.Sorted(maps.Keys(sections)), ", ")
	}
	return strings.Join(keys, ", ")
}

// warnings lists settings that work but weaken security, for the log.
func (c Config) warnings() []string {
	w := slices.Clone(c.ignored)
	if c.Finesse.InsecureSkipVerify {
		w = append(w, "finesse.insecure_skip_verify is on: Finesse's certificate is not checked; use it only in a lab")
	}
	if c.looseKeyFile != 0 {
		w = append(w, fmt.Sprintf("%s holds bridge.secure_password_key but has mode %04o, so other users "+
			"can read the key: run chmod 600 %s", c.File, c.looseKeyFile, c.File))
	}
	if c.Finesse.PlainHTTP {
		w = append(w, "finesse.plain_http is on: requests and the password are not encrypted; simulator only")
	}
	return w
}

// requireFinesse reports what is missing to connect to a real Finesse.
func (c Config) requireFinesse() error {
	if !c.Finesse.hasSideA() {
		return fmt.Errorf("no Finesse server configured: set finesse.side_a in %s or pass --side-a "+
			"(finesse.vpnless_a / --vpnless-a through a VPN-less proxy)", c.fileHint())
	}
	return nil
}

// requireAgent reports what is missing to sign in without the UI.
func (c Config) requireAgent() error {
	if c.Finesse.AgentID == "" {
		return fmt.Errorf("no agent configured: set finesse.agent_id in %s or pass --agent", c.fileHint())
	}
	if c.Finesse.Extension == "" {
		return fmt.Errorf("no extension configured: set finesse.extension in %s or pass --extension", c.fileHint())
	}
	return nil
}

// fileHint names the config file for a message.
func (c Config) fileHint() string {
	if c.File != "" {
		return c.File
	}
	if dir, err := configDir(); err == nil {
		return filepath.Join(dir, "config.toml")
	}
	return "config.toml"
}

// checkPlainHTTP refuses plain HTTP to anything but loopback: Finesse
// credentials travel in every request as Basic auth.
func (c Config) checkPlainHTTP() error {
	if !c.Finesse.PlainHTTP {
		return nil
	}
	for _, side := range []struct{ key, addr string }{{"side_a", c.Finesse.SideA}, {"side_b", c.Finesse.SideB}} {
		if side.addr != "" && !isLoopbackHostPort(side.addr) {
			return fmt.Errorf("finesse.plain_http is for the local simulator only, but finesse.%s %q is not "+
				"a loopback address: remove plain_http (Finesse uses HTTPS on 8445)", side.key, side.addr)
		}
	}
	return nil
}

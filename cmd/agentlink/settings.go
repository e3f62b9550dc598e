package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/agentlink/agentlink/core"
)

// assignment is one value for one config key, from the file or a flag.
type assignment struct {
	key    string // TOML key, "section.name"
	source string // the config file's path; "" for a command-line flag
	value  any    // string, int, bool or []string
}

// setting is one config key: its flag, and how a value is checked and set.
type setting struct {
	key    string // TOML key, "section.name"
	flag   string // command-line flag without dashes; "" for file-only keys
	isPath bool   // a path, resolved against the config file's directory
	secret bool   // never echo the value in an error
	set    func(c *Config, v any) error
}

// settings is every config key, in the order README.md documents them.
var settings = []setting{
	{key: "finesse.side_a", flag: "side-a", set: setString(func(c *Config, v string) (err error) {
		c.Finesse.SideA, err = parseHostPort(v, defaultRESTPort)
		return err
	})},
	{key: "finesse.side_b", flag: "side-b", set: setString(func(c *Config, v string) (err error) {
		if v == "" { // explicitly no side B
			c.Finesse.SideB = ""
			return nil
		}
		c.Finesse.SideB, err = parseHostPort(v, defaultRESTPort)
		return err
	})},
	{key: "finesse.xmpp_port", flag: "xmpp-port", set: setInt(func(c *Config, v int) (err error) {
		c.Finesse.XMPPPort, err = parsePort(v, false)
		return err
	})},
	{key: "finesse.xmpp_tls", flag: "xmpp-tls", set: setString(func(c *Config, v string) (err error) {
		c.Finesse.XMPPTLS, err = parseXMPPTLS(v)
		return err
	})},
	{key: "finesse.xmpp_transport", flag: "xmpp-transport", set: setString(func(c *Config, v string) (err error) {
		c.Finesse.XMPPTransport, err = parseXMPPTransport(v)
		return err
	})},
	{key: "finesse.vpnless_a", flag: "vpnless-a", set: setString(func(c *Config, v string) (err error) {
		c.Finesse.VPNLessA, err = parseVPNLessURL(v)
		return err
	})},
	{key: "finesse.vpnless_b", flag: "vpnless-b", set: setString(func(c *Config, v string) (err error) {
		c.Finesse.VPNLessB, err = parseVPNLessURL(v)
		return err
	})},
	{key: "finesse.xmpp_ports_from", flag: "xmpp-ports-from", set: setString(func(c *Config, v string) (err error) {
		c.Finesse.XMPPPortsFrom, err = parsePortsFrom(v)
		return err
	})},
	{key: "finesse.ca_file", flag: "ca-file", isPath: true, set: setString(func(c *Config, v string) error {
		c.Finesse.CAFile = v
		return checkCAFile(v)
	})},
	{key: "finesse.insecure_skip_verify", flag: "insecure", set: setBool(func(c *Config, v bool) error {
		c.Finesse.InsecureSkipVerify = v
		return nil
	})},
	{key: "finesse.plain_http", set: setBool(func(c *Config, v bool) error {
		c.Finesse.PlainHTTP = v
		return nil
	})},
	{key: "finesse.agent_id", flag: "agent", set: setString(func(c *Config, v string) (err error) {
		c.Finesse.AgentID, err = parseID(v)
		return err
	})},
	{key: "finesse.extension", flag: "extension", set: setString(func(c *Config, v string) (err error) {
		c.Finesse.Extension, err = parseID(v)
		return err
	})},
	{key: "finesse.resource", set: setString(func(c *Config, v string) (err error) {
		c.Finesse.Resource, err = parseResource(v)
		return err
	})},
	{key: "bridge.addr", flag: "bridge-addr", set: setString(func(c *Config, v string) (err error) {
		c.Bridge.Addr, err = parseLoopbackAddr(v)
		return err
	})},
	{key: "bridge.allowed_origins", flag: "allow-origin", set: setStrings(func(c *Config, v []string) (err error) {
		c.Bridge.AllowedOrigins, err = parseOrigins(v)
		return err
	})},
	{key: "bridge.origin_scopes", set: setStringMap(func(c *Config, v map[string][]string) (err error) {
		c.Bridge.OriginScopes, err = parseOriginScopes(v)
		return err
	})},
	{key: "bridge.secure_password_key", secret: true, set: setString(func(c *Config, v string) (err error) {
		c.Bridge.SecurePasswordKey, err = parseSecureKey(v)
		return err
	})},
	{key: "bridge.require_pairing", set: setBool(func(c *Config, v bool) error {
		c.Bridge.RequirePairing = v
		return nil
	})},
	{key: "dialplan.country_code", set: setString(func(c *Config, v string) error {
		return setDialPlan(c, func(p *core.DialPlan) { p.CountryCode = v })
	})},
	{key: "dialplan.outside_prefix", set: setString(func(c *Config, v string) error {
		return setDialPlan(c, func(p *core.DialPlan) { p.OutsidePrefix = v })
	})},
	{key: "dialplan.extension_lengths", set: func(c *Config, v any) error {
		return setDialPlan(c, func(p *core.DialPlan) { p.ExtensionLengths = v.([]int) })
	}},
	{key: "dialplan.trunk_prefix", set: setString(func(c *Config, v string) error {
		return setDialPlan(c, func(p *core.DialPlan) { p.TrunkPrefix = v })
	})},
	{key: "dialplan.international_prefix", set: setString(func(c *Config, v string) error {
		return setDialPlan(c, func(p *core.DialPlan) { p.InternationalPrefix = v })
	})},
	{key: "ui.start_hidden", set: setBool(func(c *Config, v bool) error {
		c.UI.StartHidden = v
		return nil
	})},
	{key: "ui.raise_on_ring", set: setBool(func(c *Config, v bool) error {
		c.UI.RaiseOnRing = v
		return nil
	})},
	{key: "ui.caller_name_variable", set: setString(func(c *Config, v string) error {
		c.UI.CallerNameVariable = strings.TrimSpace(v)
		return nil
	})},
	{key: "ui.global_hotkeys", set: setBool(func(c *Config, v bool) error {
		c.UI.GlobalHotkeys = v
		return nil
	})},
	hotkeySetting("answer"),
	hotkeySetting("hold"),
	hotkeySetting("end"),
	hotkeySetting("ready"),
	hotkeySetting("notready"),
	reasonHotkeysSetting(),
	{key: "call_log.retention_days", set: setInt(func(c *Config, v int) error {
		if v < 1 || v > maxRetentionDays {
			return fmt.Errorf("must be a number of days from 1 to %d, not %d", maxRetentionDays, v)
		}
		c.CallLog.RetentionDays = v
		return nil
	})},
	{key: "log.level", flag: "log-level", set: setString(func(c *Config, v string) (err error) {
		c.Log.Level, err = parseLevel(v)
		return err
	})},
	{key: "log.file", isPath: true, set: setString(func(c *Config, v string) error {
		c.Log.File = v
		return nil
	})},
	{key: "log.max_size_mb", set: setInt(func(c *Config, v int) error {
		if v < 1 || v > 1024 {
			return fmt.Errorf("%d is out of range: give the size at which the log file is rotated, 1 to 1024 (MB)", v)
		}
		c.Log.MaxSizeMB = v
		return nil
	})},
	{key: "log.max_files", set: setInt(func(c *Config, v int) error {
		if v < 1 || v > 100 {
			return fmt.Errorf("%d is out of range: give how many rotated log files to keep, 1 to 100", v)
		}
		c.Log.MaxFiles = v
		return nil
	})},
}

// allSettings is every key: [settings] and those kept in their own files.
var allSettings = slices.Concat(settings, phoneSettings, ssoSettings)

// settingByKey and settingByFlag index [allSettings].
var settingByKey, settingByFlag = indexSettings(allSettings)

func indexSettings(ss []setting) (byKey, byFlag map[string]setting) {
	byKey, byFlag = make(map[string]setting), make(map[string]setting)
	for _, s := range ss {
		byKey[s.key] = s
		if s.flag != "" {
			byFlag[s.flag] = s
		}
	}
	return byKey, byFlag
}

// The typed adapters below panic on a value of the wrong type: assignments
// come from typed TOML fields and typed flags, so that is a wiring bug.

func setString(f func(*Config, string) error) func(*Config, any) error {
	return func(c *Config, v any) error { return f(c, v.(string)) }
}

func setInt(f func(*Config, int) error) func(*Config, any) error {
	return func(c *Config, v any) error { return f(c, v.(int)) }
}

func setBool(f func(*Config, bool) error) func(*Config, any) error {
	return func(c *Config, v any) error { return f(c, v.(bool)) }
}

func setStrings(f func(*Config, []string) error) func(*Config, any) error {
	return func(c *Config, v any) error { return f(c, v.([]string)) }
}

func setTextMap(f func(*Config, map[string]string) error) func(*Config, any) error {
	return func(c *Config, v any) error { return f(c, v.(map[string]string)) }
}

func setStringMap(f func(*Config, map[string][]string) error) func(*Config, any) error {
	return func(c *Config, v any) error { return f(c, v.(map[string][]string)) }
}

// setDialPlan changes one dial plan field and keeps the change only when
// the plan stays valid.
func setDialPlan(c *Config, f func(*core.DialPlan)) error {
	p := c.DialPlan
	f(&p)
	if err := p.Validate(); err != nil {
		_, problem, _ := strings.Cut(err.Error(), ": ") // the key and value are named already
		return errors.New("must be " + problem)
	}
	c.DialPlan = p
	return nil
}

// applyAll applies assignments in order, so later ones (flags) win. It
// reports every bad value, not just the first.
func applyAll(c *Config, as []assignment) error {
	var errs []error
	for _, a := range as {
		s, ok := settingByKey[a.key]
		if !ok {
			panic("agentlink: assignment to unknown setting " + a.key)
		}
		if err := s.set(c, a.value); err != nil {
			errs = append(errs, s.errorFor(a, err))
		}
	}
	return errors.Join(errs...)
}

// ConfigError says which setting has a bad value and how to fix it.
type ConfigError struct {
	Source  string // config file path; "" for a command-line flag
	Key     string // TOML key, "bridge.addr"
	Flag    string // flag name, "bridge-addr"; used when Source is ""
	Value   string // the bad value; "" when it is secret
	Problem string // what is wrong and what would be right
}

func (e *ConfigError) Error() string {
	where := e.Source + ": " + e.Key
	if e.Source == "" {
		where = "--" + e.Flag
	}
	if e.Value == "" {
		return where + " " + e.Problem
	}
	return fmt.Sprintf("%s %q %s", where, e.Value, e.Problem)
}

// badElement is a problem with one element of a list value.
type badElement struct {
	value, problem string
}

func (e *badElement) Error() string { return fmt.Sprintf("%q %s", e.value, e.problem) }

func (s setting) errorFor(a assignment, err error) *ConfigError {
	e := &ConfigError{Source: a.source, Key: s.key, Flag: s.flag, Problem: err.Error()}
	var be *badElement
	switch {
	case s.secret:
	case errors.As(err, &be):
		e.Value, e.Problem = be.value, be.problem
	default:
		e.Value = fmt.Sprint(a.value)
	}
	return e
}

// fileConfig is config.toml as written on disk. Pointer fields tell a key
// that is absent from one set to its zero value.
type fileConfig struct {
	Finesse struct {
		SideA              *string `toml:"side_a"`
		SideB              *string `toml:"side_b"`
		XMPPPort           *int    `toml:"xmpp_port"`
		XMPPTLS            *string `toml:"xmpp_tls"`
		XMPPTransport      *string `toml:"xmpp_transport"`
		VPNLessA           *string `toml:"vpnless_a"`
		VPNLessB           *string `toml:"vpnless_b"`
		XMPPPortsFrom      *string `toml:"xmpp_ports_from"`
		CAFile             *string `toml:"ca_file"`
		InsecureSkipVerify *bool   `toml:"insecure_skip_verify"`
		PlainHTTP          *bool   `toml:"plain_http"`
		AgentID            *string `toml:"agent_id"`
		Extension          *string `toml:"extension"`
		Resource           *string `toml:"resource"`
		filePhone                  // config_phone.go
	} `toml:"finesse"`
	Bridge struct {
		Addr              *string              `toml:"addr"`
		AllowedOrigins    *[]string            `toml:"allowed_origins"`
		OriginScopes      *map[string][]string `toml:"origin_scopes"`
		SecurePasswordKey *string              `toml:"secure_password_key"`
		RequirePairing    *bool                `toml:"require_pairing"`
	} `toml:"bridge"`
	DialPlan struct {
		CountryCode         *string `toml:"country_code"`
		OutsidePrefix       *string `toml:"outside_prefix"`
		ExtensionLengths    *[]int  `toml:"extension_lengths"`
		TrunkPrefix         *string `toml:"trunk_prefix"`
		InternationalPrefix *string `toml:"international_prefix"`
	} `toml:"dialplan"`
	UI struct {
		StartHidden *bool   `toml:"start_hidden"`
		RaiseOnRing *bool   `toml:"raise_on_ring"`
		CallerName  *string `toml:"caller_name_variable"`
		// Global hotkeys (hotkeys.go).
		GlobalHotkeys  *bool   `toml:"global_hotkeys"`
		HotkeyAnswer   *string `toml:"hotkey_answer"`
		HotkeyHold     *string `toml:"hotkey_hold"`
		HotkeyEnd      *string `toml:"hotkey_end"`
		HotkeyReady    *string `toml:"hotkey_ready"`
		HotkeyNotReady *string `toml:"hotkey_not_ready"`
		// Combination -> Not Ready reason label or code.
		HotkeyReasons *map[string]string `toml:"hotkey_not_ready_reasons"`
	} `toml:"ui"`
	Log struct {
		Level     *string `toml:"level"`
		File      *string `toml:"file"`
		MaxSizeMB *int    `toml:"max_size_mb"`
		MaxFiles  *int    `toml:"max_files"`
	} `toml:"log"`
	CallLog struct {
		RetentionDays *int `toml:"retention_days"`
	} `toml:"call_log"`
	SSO fileSSO `toml:"sso"` // config_sso.go
}

// assignments lists the keys the file sets, in [settings] order.
func (fc *fileConfig) assignments() []assignment {
	var as []assignment
	f, b := &fc.Finesse, &fc.Bridge
	add(&as, "finesse.side_a", f.SideA)
	add(&as, "finesse.side_b", f.SideB)
	add(&as, "finesse.xmpp_port", f.XMPPPort)
	add(&as, "finesse.xmpp_tls", f.XMPPTLS)
	add(&as, "finesse.xmpp_transport", f.XMPPTransport)
	add(&as, "finesse.vpnless_a", f.VPNLessA)
	add(&as, "finesse.vpnless_b", f.VPNLessB)
	add(&as, "finesse.xmpp_ports_from", f.XMPPPortsFrom)
	add(&as, "finesse.ca_file", f.CAFile)
	add(&as, "finesse.insecure_skip_verify", f.InsecureSkipVerify)
	add(&as, "finesse.plain_http", f.PlainHTTP)
	add(&as, "finesse.agent_id", f.AgentID)
	add(&as, "finesse.extension", f.Extension)
	add(&as, "finesse.resource", f.Resource)
	f.filePhone.assignments(&as)
	add(&as, "bridge.addr", b.Addr)
	add(&as, "bridge.allowed_origins", b.AllowedOrigins)
	add(&as, "bridge.origin_scopes", b.OriginScopes)
	add(&as, "bridge.secure_password_key", b.SecurePasswordKey)
	add(&as, "bridge.require_pairing", b.RequirePairing)
	d := &fc.DialPlan
	add(&as, "dialplan.country_code", d.CountryCode)
	add(&as, "dialplan.outside_prefix", d.OutsidePrefix)
	add(&as, "dialplan.extension_lengths", d.ExtensionLengths)
	add(&as, "dialplan.trunk_prefix", d.TrunkPrefix)
	add(&as, "dialplan.international_prefix", d.InternationalPrefix)
	add(&as, "ui.start_hidden", fc.UI.StartHidden)
	add(&as, "ui.raise_on_ring", fc.UI.RaiseOnRing)
	add(&as, "ui.caller_name_variable", fc.UI.CallerName)
	add(&as, "ui.global_hotkeys", fc.UI.GlobalHotkeys)
	add(&as, "ui.hotkey_answer", fc.UI.HotkeyAnswer)
	add(&as, "ui.hotkey_hold", fc.UI.HotkeyHold)
	add(&as, "ui.hotkey_end", fc.UI.HotkeyEnd)
	add(&as, "ui.hotkey_ready", fc.UI.HotkeyReady)
	add(&as, "ui.hotkey_not_ready", fc.UI.HotkeyNotReady)
	add(&as, "ui.hotkey_not_ready_reasons", fc.UI.HotkeyReasons)
	add(&as, "call_log.retention_days", fc.CallLog.RetentionDays)
	add(&as, "log.level", fc.Log.Level)
	add(&as, "log.file", fc.Log.File)
	add(&as, "log.max_size_mb", fc.Log.MaxSizeMB)
	add(&as, "log.max_files", fc.Log.MaxFiles)
	fc.SSO.assignments(&as)
	return as
}

func add[T any](as *[]assignment, key string, v *T) {
	if v != nil {
		*as = append(*as, assignment{key: key, value: *v})
	}
}

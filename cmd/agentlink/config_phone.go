package main

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse"
)

// Phone settings of the [finesse] table: Mobile Agent, the device of a
// multiline extension, and UCCX recording control.

// PhoneConfig holds them; the login form can change the first three for
// one sign-in.
type PhoneConfig struct {
	MobileMode string // "", core.MobileCallByCall or core.MobileNailedConnection
	DialNumber string // the mobile agent's phone
	DeviceID   string // the extension's device to sign in on
	Recording  bool   // offer Record (START_RECORDING, UCCX) on calls
}

func parseMobileMode(v string) (string, error) {
	switch m := strings.ToUpper(strings.TrimSpace(v)); m {
	case "", core.MobileCallByCall, core.MobileNailedConnection:
		return m, nil
	}
	return "", fmt.Errorf("must be %q or %q (or empty for a desk phone)", "call_by_call", "nailed_connection")
}

func parsePhoneValue(v string) (string, error) {
	v = strings.TrimSpace(v)
	if strings.IndexFunc(v, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return "", fmt.Errorf("must not contain spaces or control characters")
	}
	return v, nil
}

// checkPhone checks the keys together: a dial number needs a mode and a
// mode needs a dial number.
func (c *Config) checkPhone() error {
	p := c.Finesse.Phone
	switch {
	case p.MobileMode != "" && p.DialNumber == "":
		return fmt.Errorf("finesse.mobile_agent_mode %q needs finesse.mobile_dial_number, the number Finesse dials to reach the agent",
			strings.ToLower(p.MobileMode))
	case p.MobileMode == "" && p.DialNumber != "":
		return fmt.Errorf("finesse.mobile_dial_number is set without finesse.mobile_agent_mode; set it to \"call_by_call\" or \"nailed_connection\"")
	}
	return nil
}

func (p PhoneConfig) linkDefaults() finesse.PhoneDefaults {
	return finesse.PhoneDefaults{MobileMode: p.MobileMode, DialNumber: p.DialNumber, DeviceID: p.DeviceID}
}

var phoneSettings = []setting{
	{key: "finesse.mobile_agent_mode", set: setString(func(c *Config, v string) (err error) {
		c.Finesse.Phone.MobileMode, err = parseMobileMode(v)
		return err
	})},
	{key: "finesse.mobile_dial_number", set: setString(func(c *Config, v string) (err error) {
		c.Finesse.Phone.DialNumber, err = parsePhoneValue(v)
		return err
	})},
	{key: "finesse.device_id", set: setString(func(c *Config, v string) (err error) {
		c.Finesse.Phone.DeviceID, err = parsePhoneValue(v)
		return err
	})},
	{key: "finesse.recording", set: setBool(func(c *Config, v bool) error {
		c.Finesse.Phone.Recording = v
		return nil
	})},
}

// filePhone is the phone keys as written in config.toml.
type filePhone struct {
	MobileAgentMode  *string `toml:"mobile_agent_mode"`
	MobileDialNumber *string `toml:"mobile_dial_number"`
	DeviceID         *string `toml:"device_id"`
	Recording        *bool   `toml:"recording"`
}

func (f *filePhone) assignments(as *[]assignment) {
	add(as, "finesse.mobile_agent_mode", f.MobileAgentMode)
	add(as, "finesse.mobile_dial_number", f.MobileDialNumber)
	add(as, "finesse.device_id", f.DeviceID)
	add(as, "finesse.recording", f.Recording)
}

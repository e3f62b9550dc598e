package core

import (
	"context"
	"fmt"
	"strings"
	"unicode"
)

// Mobile Agent (UCCE): the agent works on a phone Finesse dials, either
// for each call or once for the whole session (Cisco's "User—Sign In as a
// Mobile Agent": mobileAgent/mode and dialNumber).
const (
	MobileCallByCall       = "CALL_BY_CALL"
	MobileNailedConnection = "NAILED_CONNECTION"
)

// Device is one phone device registered on an extension (multiline and
// shared-line set-ups, Cisco's Devices object): the agent picks which one
// Finesse signs in with (LOGIN's activeDeviceId).
type Device struct {
	ID       string // deviceId, e.g. "SEP0019305D8EC1"
	Type     string // deviceType (a JTAPI terminal type number)
	TypeName string // deviceTypeName, e.g. "Cisco 7961"
}

// DeviceQuery asks for the devices of an extension. AgentID and Password
// may be empty once the port knows the agent's credentials.
type DeviceQuery struct {
	AgentID, Password, Extension string
}

// DeviceLister is the optional part of a [Port] that lists an extension's
// devices. finesse.Link implements it.
type DeviceLister interface {
	Devices(ctx context.Context, q DeviceQuery) ([]Device, error)
}

// Devices lists the devices of q.Extension, for a choice at sign-in. A
// port that cannot list them answers an error wrapping ErrInvalidCommand.
func (s *Session) Devices(ctx context.Context, q DeviceQuery) ([]Device, error) {
	dl, ok := s.port.(DeviceLister)
	if !ok {
		return nil, fmt.Errorf("%w: this connection cannot list devices", ErrInvalidCommand)
	}
	if strings.TrimSpace(q.Extension) == "" {
		return nil, fmt.Errorf("%w: devices: extension required", ErrInvalidCommand)
	}
	return dl.Devices(ctx, q)
}

// validatePhone checks a Login's mobile-agent and device fields.
func validatePhone(cmd Command) error {
	switch cmd.MobileMode {
	case "":
		if cmd.DialNumber != "" {
			return invalid(cmd.Kind, "a mobile agent dial number needs a mobile agent mode (%s or %s)", MobileCallByCall, MobileNailedConnection)
		}
	case MobileCallByCall, MobileNailedConnection:
		if err := validateNumber(cmd.Kind, cmd.DialNumber); err != nil {
			return invalid(cmd.Kind, "mobile agent sign-in needs the number Finesse dials (dial number)")
		}
	default:
		return invalid(cmd.Kind, "mobile agent mode %q: use %s or %s", cmd.MobileMode, MobileCallByCall, MobileNailedConnection)
	}
	if strings.IndexFunc(cmd.DeviceID, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return invalid(cmd.Kind, "device id %q contains a space or control character", cmd.DeviceID)
	}
	return nil
}

package finesse

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/agentlink/agentlink/core"
)

// Mobile Agent and device choice at sign-in. Cisco Finesse Web Services
// Developer Guide: "User—Sign In as a Mobile Agent"
// (<mobileAgent><mode>CALL_BY_CALL|NAILED_CONNECTION</mode><dialNumber>),
// "User—Sign In to Finesse" (<activeDeviceId>, multiline) and "Devices"
// (https://developer.cisco.com/docs/finesse/devices: the devices of an
// extension, UCCE with CTI protocol 24 and later).

// PhoneDefaults are the deployment's defaults for every sign-in (config
// keys finesse.mobile_agent_mode, finesse.mobile_dial_number,
// finesse.device_id); a Login command's own fields win.
type PhoneDefaults struct {
	MobileMode string // "", core.MobileCallByCall or core.MobileNailedConnection
	DialNumber string
	DeviceID   string
}

// phoneChoice is what the last LOGIN asked for, kept for the re-LOGIN after
// a failover.
type phoneChoice struct {
	deviceID string
	mobile   *mobileAgentRequest
}

type mobileAgentRequest struct {
	Mode       string `xml:"mode"`
	DialNumber string `xml:"dialNumber"`
}

// devicesPath is the Devices API. Cisco's reference names the resource
// ("Devices—Get List of Devices for Extension") and its XML; the exact
// path and query parameter are not verified against a lab server.
const devicesPath = "/finesse/api/Devices"

type wireDevices struct {
	Devices []struct {
		ID       string `xml:"deviceid"`
		Type     string `xml:"devicetype"`
		TypeName string `xml:"devicetypename"`
	} `xml:"device"`
}

// phoneFor picks cmd's mobile agent and device, or the configured ones,
// and remembers them for a re-LOGIN.
func (l *Link) phoneFor(cmd core.Command) (string, *mobileAgentRequest) {
	d := l.cfg.Phone
	mode, dial, dev := d.MobileMode, d.DialNumber, d.DeviceID
	if cmd.MobileMode != "" {
		mode, dial = cmd.MobileMode, cmd.DialNumber
	}
	if cmd.DeviceID != "" {
		dev = cmd.DeviceID
	}
	var ch phoneChoice
	ch.deviceID = strings.TrimSpace(dev)
	if mode != "" {
		ch.mobile = &mobileAgentRequest{Mode: mode, DialNumber: strings.TrimSpace(dial)}
	}
	l.mu.Lock()
	l.phone = ch
	l.mu.Unlock()
	return ch.deviceID, ch.mobile
}

func (l *Link) lastPhone() (string, *mobileAgentRequest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.phone.deviceID, l.phone.mobile
}

// Devices lists the devices of q.Extension (core.DeviceLister). With
// q.AgentID and q.Password it asks with those (the agent is choosing at
// sign-in); else with the credentials in use.
func (l *Link) Devices(ctx context.Context, q core.DeviceQuery) ([]core.Device, error) {
	ep, c, err := l.deviceTarget(q)
	if err != nil {
		return nil, err
	}
	var w wireDevices
	path := devicesPath + "?extension=" + url.QueryEscape(strings.TrimSpace(q.Extension))
	if err := l.rest.get(ctx, ep, c, path, "Devices", &w); err != nil {
		return nil, fmt.Errorf("devices of extension %s: %w", q.Extension, err)
	}
	out := make([]core.Device, 0, len(w.Devices))
	for _, d := range w.Devices {
		if id := strings.TrimSpace(d.ID); id != "" {
			out = append(out, core.Device{ID: id, Type: strings.TrimSpace(d.Type), TypeName: strings.TrimSpace(d.TypeName)})
		}
	}
	return out, nil
}

func (l *Link) deviceTarget(q core.DeviceQuery) (Endpoint, creds, error) {
	if q.AgentID == "" || q.Password == "" {
		return l.target()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.sides) == 0 {
		return Endpoint{}, creds{}, errNoServer
	}
	return l.endpointLocked(l.cur), creds{user: strings.TrimSpace(q.AgentID), pass: q.Password}, nil
}

var _ core.DeviceLister = (*Link)(nil)

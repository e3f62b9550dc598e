package finessesim

import (
	"net/http"
	"slices"
)

// Mobile Agent sign-in and multiline devices (reference §2.2; Cisco's
// "User—Sign In as a Mobile Agent", "User—Sign In to Finesse"
// activeDeviceId, and "Devices"). Whether a real Finesse reports
// mobileAgent and activeDeviceId in later User GETs and notifications is
// marked [?] in the reference: the simulator does, and AgentLink works
// either way (it shows them only when present).

// DeviceConfig is one phone device registered on an extension.
type DeviceConfig struct {
	ID, Type, TypeName string
}

type wireMobileAgent struct {
	Mode       string `xml:"mode"`
	DialNumber string `xml:"dialNumber"`
}

type wireDevice struct {
	DeviceID       string `xml:"deviceId"`
	DeviceType     string `xml:"deviceType"`
	DeviceTypeName string `xml:"deviceTypeName"`
}

type wireDevices struct {
	Devices []wireDevice `xml:"Device"`
}

// phoneLoginLocked checks and records a LOGIN's mobile agent and device.
func (s *Sim) phoneLoginLocked(a *agent, req reqUser) error {
	mode, dial := "", ""
	if m := req.MobileAgent; m != nil {
		switch {
		case !a.cfg.MobileAgent:
			return badRequest("Mode Not Allowed", "Agent is not configured as a mobile agent", "mobileAgent")
		case m.Mode != "CALL_BY_CALL" && m.Mode != "NAILED_CONNECTION":
			return badRequest("Invalid Input", "Invalid mobile agent mode", "mode")
		case m.DialNumber == "":
			return badRequest("Parameter Missing", "dialNumber is required", "dialNumber")
		}
		mode, dial = m.Mode, m.DialNumber
	}
	devs := s.cfg.Devices[req.Extension]
	if req.ActiveDeviceID != "" && !slices.ContainsFunc(devs, func(d DeviceConfig) bool { return d.ID == req.ActiveDeviceID }) {
		return badRequest("Invalid Input", "Invalid activeDeviceId specified", "activeDeviceId")
	}
	a.mobileMode, a.mobileDial, a.activeDevice = mode, dial, req.ActiveDeviceID
	return nil
}

// getDevices answers GET /finesse/api/Devices?extension=X. The path and
// query parameter are the simulator's reading of Cisco's "Devices—Get List
// of Devices for Extension" (unverified); 404 when the extension has no
// devices, as Cisco's Devices API errors say.
func (n *Node) getDevices(w http.ResponseWriter, r *http.Request) {
	ext := r.URL.Query().Get("extension")
	if ext == "" {
		writeAPIError(w, http.StatusBadRequest, "Bad Request", "extension is required", "extension")
		return
	}
	if n.sim.cfg.Deployment == UCCX {
		writeAPIError(w, http.StatusBadRequest, "Bad Request", "Devices API is for Unified CCE only", "")
		return
	}
	devs := n.sim.cfg.Devices[ext]
	if len(devs) == 0 {
		writeAPIError(w, http.StatusNotFound, "Not Found", "No devices for this extension", ext)
		return
	}
	var out wireDevices
	for _, d := range devs {
		out.Devices = append(out.Devices, wireDevice{DeviceID: d.ID, DeviceType: d.Type, DeviceTypeName: d.TypeName})
	}
	writeXML(w, out, "Devices")
}

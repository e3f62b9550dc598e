package ui

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	"github.com/agentlink/agentlink/core"
)

// status is the one-word summary the tray icon and the state bar colour show.
type status int

const (
	statusOffline status = iota
	statusReady
	statusNotReady
	statusRinging
	statusTalking
	statusWrapUp
	statusHeld // every call of the agent's is on hold: the customer is waiting
	statusLast = statusHeld
)

func (s status) String() string {
	return [...]string{"offline", "ready", "notready", "ringing", "talking", "wrapup", "held"}[s]
}

// statusOf picks the icon: a ringing or live call wins over the agent state,
// since that is what the agent must act on. While Finesse is out of service
// the agent state shown is stale, so the icon says offline.
func statusOf(m model) status {
	if !m.Agent.LoggedIn() || m.System.Status == core.OutOfService {
		return statusOffline
	}
	for _, d := range m.Dialogs {
		if d.AgentState == core.PartAlerting {
			return statusRinging
		}
	}
	held := false
	for _, d := range m.Dialogs {
		switch d.AgentState {
		case core.PartActive:
			return statusTalking
		case core.PartHeld:
			held = true
		}
	}
	if held {
		return statusHeld
	}
	switch m.Agent.State {
	case core.StateReady:
		return statusReady
	case core.StateTalking:
		return statusTalking
	case core.StateHold:
		return statusHeld
	case core.StateReserved, core.StateReservedOutbound, core.StateReservedOutboundPreview:
		return statusRinging
	case core.StateWork, core.StateWorkReady:
		return statusWrapUp
	}
	return statusNotReady
}

// statusColor is the state bar colour for s; the tray icons use the same.
func statusColor(s status) color.NRGBA {
	switch s {
	case statusReady:
		return color.NRGBA{R: 0x2e, G: 0x9e, B: 0x44, A: 0xff}
	case statusNotReady:
		return color.NRGBA{R: 0xd3, G: 0x3a, B: 0x2f, A: 0xff}
	case statusRinging:
		return color.NRGBA{R: 0xf0, G: 0x8c, B: 0x00, A: 0xff}
	case statusTalking:
		return color.NRGBA{R: 0x1e, G: 0x6f, B: 0xd9, A: 0xff}
	case statusWrapUp:
		return color.NRGBA{R: 0x8e, G: 0x44, B: 0xad, A: 0xff}
	case statusHeld:
		return color.NRGBA{R: 0x00, G: 0x89, B: 0x7b, A: 0xff}
	}
	return color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
}

var stateWords = map[core.AgentState]string{
	core.StateLogout:                  "Logged out",
	core.StateLogin:                   "Signing in",
	core.StateNotReady:                "Not Ready",
	core.StateReady:                   "Ready",
	core.StateReserved:                "Reserved",
	core.StateReservedOutbound:        "Reserved (outbound)",
	core.StateReservedOutboundPreview: "Reserved (preview)",
	core.StateTalking:                 "Talking",
	core.StateHold:                    "On hold",
	core.StateWork:                    "Wrap-up",
	core.StateWorkReady:               "Wrap-up, then Ready",
	core.StateUnknown:                 "Unknown",
}

// stateWord names an agent state in words.
func stateWord(s core.AgentState) string {
	if w, ok := stateWords[s]; ok {
		return w
	}
	if s == "" {
		return "Logged out"
	}
	return string(s)
}

// stateLine is the state bar's main text, with the reason when there is one.
func stateLine(a core.Agent) string {
	w := stateWord(a.State)
	if a.ReasonLabel != "" && a.State != core.StateReady {
		return w + " – " + a.ReasonLabel
	}
	return w
}

// pendingLine says which state Finesse will move the agent to after the call.
func pendingLine(a core.Agent) string {
	if a.PendingState == "" || a.PendingState == a.State {
		return ""
	}
	return "Next: " + stateWord(a.PendingState)
}

// timerText formats the time since t as m:ss or h:mm:ss; "" for a zero t.
func timerText(since, now time.Time) string {
	if since.IsZero() {
		return ""
	}
	d := now.Sub(since)
	if d < 0 {
		d = 0
	}
	sec := int(d / time.Second)
	if sec >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}

// otherParty is the number the call card names: whoever is not the agent.
func otherParty(d core.Dialog, ext string) string {
	switch {
	case d.From != "" && d.From != ext:
		return d.From
	case d.To != "" && d.To != ext:
		return d.To
	case d.DialedNumber != "":
		return d.DialedNumber
	}
	return "Unknown caller"
}

// mainVariable is the call variable a notification and the card headline
// show: the first non-empty one (Finesse sends callVariable1 first).
func mainVariable(d core.Dialog) (core.CallVariable, bool) {
	for _, v := range d.Variables {
		if strings.TrimSpace(v.Value) != "" {
			return v, true
		}
	}
	return core.CallVariable{}, false
}

var partWords = map[core.ParticipantState]string{
	core.PartAlerting:   "Ringing",
	core.PartActive:     "Connected",
	core.PartHeld:       "On hold",
	core.PartInitiating: "Dialing",
	core.PartInitiated:  "Calling",
	core.PartFailed:     "Failed",
	core.PartDropped:    "Ended",
	core.PartWrapUp:     "Wrap-up",
	core.PartAccepted:   "Accepted",
}

// callStateLine says what the call is doing for the agent.
func callStateLine(d core.Dialog) string {
	w, ok := partWords[d.AgentState]
	if !ok {
		w = strings.ToLower(string(d.State))
	}
	if d.CallType == "CONSULT" {
		w += " (consult)"
	}
	return w
}

// callButton is one call card button: the action it needs and its label.
type callButton struct {
	Action core.Action
	Label  string
}

// callButtons is the fixed order of call card buttons; each is enabled only
// when Finesse lists its action for the agent (Dialog.Actions).
var callButtons = []callButton{
	{core.ActionAnswer, "Answer"},
	{core.ActionHold, "Hold"},
	{core.ActionRetrieve, "Retrieve"},
	{core.ActionDrop, "End"},
	{core.ActionConsultCall, "Consult"},
	{core.ActionTransfer, "Transfer"},
	{core.ActionConference, "Conference"},
	{core.ActionTransferSST, "Direct transfer"},
	{core.ActionSendDTMF, "Keypad"},
}

// enabledButtons lists the labels of the buttons enabled for d.
func enabledButtons(d core.Dialog) []string {
	var out []string
	for _, b := range callButtons {
		if d.Allows(b.Action) {
			out = append(out, b.Label)
		}
	}
	return out
}

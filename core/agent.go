package core

import "time"

// AgentState is a Finesse user state (reference §4.2).
type AgentState string

// Agent states as Finesse names them. LOGIN is only ever requested.
const (
	StateLogout                  AgentState = "LOGOUT"
	StateLogin                   AgentState = "LOGIN"
	StateNotReady                AgentState = "NOT_READY"
	StateReady                   AgentState = "READY"
	StateReserved                AgentState = "RESERVED"
	StateReservedOutbound        AgentState = "RESERVED_OUTBOUND"
	StateReservedOutboundPreview AgentState = "RESERVED_OUTBOUND_PREVIEW"
	StateTalking                 AgentState = "TALKING"
	StateHold                    AgentState = "HOLD"
	StateWork                    AgentState = "WORK"
	StateWorkReady               AgentState = "WORK_READY"
	StateUnknown                 AgentState = "UNKNOWN"
)

// ForcedLogoutReason is the system reason code Finesse uses when it logs out
// an agent whose desktop presence went away (reference §7.3).
const ForcedLogoutReason = "255"

// Agent is the signed-in (or not) agent as Finesse last reported it.
type Agent struct {
	ID           string
	FirstName    string
	LastName     string
	State        AgentState
	ReasonCodeID string // "" or "-1" when none
	ReasonLabel  string // label of ReasonCodeID when Finesse sent it
	PendingState AgentState
	Extension    string // empty when signed out
	Since        time.Time
	// WrapUpOnIncoming is REQUIRED, REQUIRED_WITH_WRAP_UP_DATA, OPTIONAL or
	// NOT_ALLOWED.
	WrapUpOnIncoming string
	// MobileMode and MobileDialNumber are set for a mobile agent (UCCE);
	// ActiveDeviceID names the device in use on a multiline extension,
	// where Finesse reports it.
	MobileMode, MobileDialNumber, ActiveDeviceID string
}

// LoggedIn reports whether the agent is signed in to Finesse.
func (a Agent) LoggedIn() bool {
	return a.State != "" && a.State != StateLogout && a.State != StateUnknown
}

// InWrapUp reports whether the agent is in a wrap-up state.
func (a Agent) InWrapUp() bool {
	return a.State == StateWork || a.State == StateWorkReady
}

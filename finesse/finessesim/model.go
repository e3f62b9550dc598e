package finessesim

import (
	"slices"
	"time"
)

// Agent and participant states (reference §3.2, §4.2).
const (
	stLogout    = "LOGOUT"
	stNotReady  = "NOT_READY"
	stReady     = "READY"
	stReserved  = "RESERVED"
	stTalking   = "TALKING"
	stHold      = "HOLD"
	stWork      = "WORK"
	stWorkReady = "WORK_READY"
	stLogin     = "LOGIN"

	psInitiating = "INITIATING"
	psInitiated  = "INITIATED"
	psAlerting   = "ALERTING"
	psActive     = "ACTIVE"
	psHeld       = "HELD"
	psDropped    = "DROPPED"
	psFailed     = "FAILED"
	psWrapUp     = "WRAP_UP"
)

// System reason codes that the lists do not show (reference §2.5, §7.3).
const (
	reasonNone          = "-1"
	reasonForcedLogout  = "255"
	reasonOutboundCall  = "50006"
	reasonRingNoAnswer  = "32767"
	agentDeviceAddrType = "AGENT_DEVICE"
)

// agent is one simulated agent. Guarded by Sim.mu.
type agent struct {
	cfg          AgentConfig
	state        string
	reasonCodeID string
	extension    string // signed-in extension; "" when logged out
	stateChange  time.Time
	pending      string
	pendingRC    string
	preCall      string // READY or NOT_READY before the first call started
	preCallRC    string
	wrapEligible bool     // answered an inbound routed call since the last post-call
	dialogs      []string // ids in this agent's Dialogs collection, in POST order

	failures    int // consecutive wrong passwords
	lockedUntil time.Time

	present     bool // any available XMPP presence on any node
	presenceGen int  // invalidates pending forced-logout timers
	rnaGen      int  // invalidates pending ring-no-answer timers
	wrapGen     int  // invalidates pending wrap-up timers

	maintenanceNotices int // NOT_READY 50045 notices received (maintenance.go)

	media map[string]*mediaState // by mrd id (media.go)

	mobileMode, mobileDial, activeDevice string // the sign-in's (mobile.go)
}

func (a *agent) loggedIn() bool { return a.state != stLogout }

func (a *agent) hasDialog(id string) bool { return slices.Contains(a.dialogs, id) }

func (a *agent) removeDialog(id string) {
	a.dialogs = slices.DeleteFunc(a.dialogs, func(s string) bool { return s == id })
}

// participant is one party of a dialog. agentID is "" for external parties.
type participant struct {
	addr, agentID string
	state, cause  string
	start, change time.Time
}

// dialog is one voice call. Guarded by Sim.mu.
type dialog struct {
	id, assocID, secondaryID string
	state                    string
	from, to                 string
	callType, dnis, dialed   string
	queueNumber, queueName   string
	wrapUpReason             string
	vars                     []Var
	dtmf                     string
	parts                    []*participant
	routed                   bool // routed inbound call (RESERVED, wrap-up eligible)
	recording                bool // START_RECORDING accepted (recording.go)
}

func (d *dialog) agentParty(agentID string) *participant {
	for _, p := range d.parts {
		if p.agentID == agentID && p.state != psDropped {
			return p
		}
	}
	for _, p := range d.parts {
		if p.agentID == agentID {
			return p
		}
	}
	return nil
}

// live counts participants that are still on the call.
func (d *dialog) live() int {
	n := 0
	for _, p := range d.parts {
		if p.state != psDropped && p.state != psFailed && p.state != psWrapUp {
			n++
		}
	}
	return n
}

func (s *Sim) now() time.Time { return s.cfg.Now().UTC() }

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

func (s *Sim) setPartyLocked(p *participant, state, cause string) {
	p.state, p.cause, p.change = state, cause, s.now()
}

// setStateLocked changes an agent's state and queues a User PUT.
func (s *Sim) setStateLocked(a *agent, state, reason string, st *step) {
	if state != a.state {
		a.stateChange = s.now()
	}
	a.state, a.reasonCodeID = state, reason
	if state == stLogout {
		a.extension = ""
		a.mobileMode, a.mobileDial, a.activeDevice = "", "", ""
	}
	st.user(a)
	if state == stLogout {
		s.mediaLogoutLocked(a, st) // Finesse signs out of every MRD too
	}
}

package finessesim

import (
	"log/slog"
	"time"
)

// NodeID names one of the two Finesse nodes: "A" (primary) or "B" (secondary).
type NodeID string

// The two nodes of the simulated deployment.
const (
	NodeA NodeID = "A"
	NodeB NodeID = "B"
)

// EventOrder selects the order of User and Dialog notifications produced by
// one step of the call model. The reference (§6.5, §10.13) says the order is
// unspecified, so clients must not depend on it; tests can flip it.
type EventOrder int

const (
	// OrderReference emits events in the order the reference lists them
	// (§8.6: User RESERVED before the Dialogs POST; Dialog PUT ACTIVE before
	// User TALKING; dialog DELETE before the post-call User PUT).
	OrderReference EventOrder = iota
	// UserFirst emits the User event of a step before its Dialog events.
	UserFirst
	// DialogFirst emits the Dialog events of a step before its User event.
	DialogFirst
	// Random picks UserFirst or DialogFirst per step, seeded by Config.Seed.
	Random
)

// Deployment types.
const (
	UCCE = "UCCE"
	UCCX = "UCCX"
)

// NodePorts are the listen ports of one node. Zero means a random free port.
type NodePorts struct{ REST, XMPPTLS, XMPPStartTLS int }

// AgentConfig describes one simulated agent.
type AgentConfig struct {
	ID, Password, FirstName, LastName, Extension string
	// WrapUpOnIncoming is REQUIRED, REQUIRED_WITH_WRAP_UP_DATA, OPTIONAL or
	// NOT_ALLOWED ("" = NOT_ALLOWED).
	WrapUpOnIncoming string
	TeamID           string // "" = "10"
	// MobileAgent allows a mobile agent sign-in; without it one answers
	// 400 Mode Not Allowed (mobile.go).
	MobileAgent bool
}

// Config configures [Start]. The zero value is usable.
type Config struct {
	Host         string    // default "127.0.0.1"; both nodes listen here (different ports)
	NodeA, NodeB NodePorts // zero ports = random free port
	ControlAddr  string    // control API listen address; "" = 127.0.0.1:0
	PlainHTTP    bool      // REST over plain HTTP instead of HTTPS
	CADir        string    // where ca.pem is written; "" = a temp dir removed on Close
	Agents       []AgentConfig
	Deployment   string // "UCCE" (default) or "UCCX"
	Seed         int64  // seeds every random choice (event order, answer delays)

	// ForcedLogoutGrace is how long an agent may stay signed in without any
	// available XMPP presence before the forced logout (reason 255). Default 60s.
	ForcedLogoutGrace time.Duration
	LockoutAfter      int           // consecutive wrong passwords; default 5
	LockoutFor        time.Duration // default 5m
	// RingNoAnswer withdraws an unanswered routed call after this long and
	// sets the agent NOT_READY with reason 32767 (reference §8.9 [?]). 0 = off.
	RingNoAnswer time.Duration
	// WrapUpTimer moves WORK -> NOT_READY and WORK_READY -> READY. 0 = no
	// timer: wrap-up lasts until the agent leaves it.
	WrapUpTimer time.Duration
	EventOrder  EventOrder
	// RequireReasonCode makes NOT_READY and LOGOUT fail with 400 Parameter
	// Missing without a reasonCodeId (reference §8.5: switchable).
	RequireReasonCode bool
	// OpenSystemInfo answers GET SystemInfo without credentials. Whether a
	// real Finesse does is unverified (reference §10.14); by default the
	// simulator asks for them, like every other resource. Credentials that
	// are sent are still checked.
	OpenSystemInfo bool
	// KeepDialogInWrapUp keeps a finished incoming call in the agent's Dialogs
	// collection during wrap-up, with the agent participant in WRAP_UP and
	// actions [UPDATE_CALL_DATA]; the DELETE comes when wrap-up ends. false
	// (default) DELETEs at call end. Reference §8.7/§10.9 marks this [?].
	KeepDialogInWrapUp bool
	// ConsultCallType is the callType of a consult dialog, as both agents
	// see it; "" means CONSULT. Which callType the consulted agent's dialog
	// carries is not verified (reference §3.3): a consult through a route
	// point may reach the consulted agent as a routed call (e.g.
	// PREROUTE_ACD_IN), which AgentLink must still not log.
	ConsultCallType string
	// WrapUpAfterTransferIn puts an agent a routed call was transferred or
	// conferenced to into wrap-up when that call ends, as after a routed
	// call they answered (unverified; off: they go back to their state
	// before, as the consult they answered was not routed).
	WrapUpAfterTransferIn bool
	// RNAReady makes ring-no-answer return the agent to READY instead of
	// NOT_READY (reference §8.9 "or READY, per configuration").
	RNAReady bool
	// ExternalAnswerDelay is the base delay before an external number answers
	// a MAKE_CALL or consult; a seeded jitter of up to the same amount is
	// added. Default 100ms.
	ExternalAnswerDelay time.Duration
	// PingInterval is how often the XMPP server pings each client (XEP-0199).
	// Default 10s (Finesse's value).
	PingInterval time.Duration
	// MRDs are the non-voice Media Routing Domains (UCCE) every agent
	// belongs to; none by default (media.go).
	MRDs []MRDConfig
	// Devices are the phone devices on each extension (multiline), listed
	// by GET Devices?extension= and accepted as LOGIN's activeDeviceId;
	// none by default (mobile.go).
	Devices map[string][]DeviceConfig
	// ListRecordingAction lists START_RECORDING among an ACTIVE agent's
	// actions on UCCX (recording.go); whether Finesse does is unverified.
	ListRecordingAction bool
	// NoWebSocket starts both nodes without XMPP over WebSocket at /ws
	// (a Finesse before 12.6); Sim.SetWebSocket switches it at run time.
	NoWebSocket bool
	// VPNLess also starts, per node, a reverse proxy like Cisco's VPN-less
	// one (proxy.go): REST and /ws on one HTTPS port, under ProxyPrefix.
	VPNLess     bool
	ProxyPrefix string // e.g. "/finesse-a"; "" serves the paths as they are
	// PhoneBooks configures the phone books and their Range paging
	// (phonebook_range.go).
	PhoneBooks PhoneBookConfig
	// Queues configures queue statistics and team messages (queue_board.go).
	Queues QueueConfig
	// Layouts are the call variables layouts served (layout.go); nil means
	// DefaultLayouts. NoLayoutList answers the deprecated list
	// (User/{id}/MediaPropertiesLayouts) with 404, as a release without it.
	Layouts      []Layout
	NoLayoutList bool
	// TeamLayouts configures TeamResource/{team}/MediaPropertiesLayouts
	// (layout_team.go).
	TeamLayouts TeamLayoutConfig
	// Now is the clock for timestamps; default time.Now.
	Now    func() time.Time
	Logger *slog.Logger
	// SSO sets systemAuthMode and the emulated Cisco IdS (ids.go).
	SSO SSOConfig
}

// DefaultAgents returns three agents: 1001/secret1/5001 (wrap-up OPTIONAL),
// 1002/secret2/5002 and 1003/secret3/5003 (no wrap-up), all in team 10.
func DefaultAgents() []AgentConfig {
	return []AgentConfig{
		{ID: "1001", Password: "secret1", FirstName: "Alice", LastName: "Anders", Extension: "5001", WrapUpOnIncoming: "OPTIONAL", TeamID: "10"},
		{ID: "1002", Password: "secret2", FirstName: "Bob", LastName: "Brown", Extension: "5002", WrapUpOnIncoming: "NOT_ALLOWED", TeamID: "10"},
		{ID: "1003", Password: "secret3", FirstName: "Carla", LastName: "Cruz", Extension: "5003", WrapUpOnIncoming: "NOT_ALLOWED", TeamID: "10"},
	}
}

func (c Config) withDefaults() Config {
	if c.Host == "" {
		c.Host = "127.0.0.1"
	}
	if c.ControlAddr == "" {
		c.ControlAddr = "127.0.0.1:0"
	}
	if len(c.Agents) == 0 {
		c.Agents = DefaultAgents()
	}
	if c.Deployment == "" {
		c.Deployment = UCCE
	}
	if c.ForcedLogoutGrace == 0 {
		c.ForcedLogoutGrace = 60 * time.Second
	}
	if c.LockoutAfter == 0 {
		c.LockoutAfter = 5
	}
	if c.LockoutFor == 0 {
		c.LockoutFor = 5 * time.Minute
	}
	if c.ExternalAnswerDelay == 0 {
		c.ExternalAnswerDelay = 100 * time.Millisecond
	}
	if c.PingInterval == 0 {
		c.PingInterval = 10 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.SSO = c.SSO.withDefaults()
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	for i := range c.Agents {
		if c.Agents[i].TeamID == "" {
			c.Agents[i].TeamID = "10"
		}
		if c.Agents[i].WrapUpOnIncoming == "" {
			c.Agents[i].WrapUpOnIncoming = "NOT_ALLOWED"
		}
	}
	return c
}

// Fault makes a node's REST interface misbehave.
type Fault struct {
	Status  int           // answer every request with this status (e.g. 503); 0 = none
	Latency time.Duration // delay before every answer
	// Count limits the fault to the next Count requests, after which the
	// node answers normally again (a short 503 burst); 0 = until cleared.
	Count int
}

// Var is one call variable.
type Var struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// CallSpec describes an injected inbound routed call.
type CallSpec struct {
	AgentID   string // route to this agent (must be READY); or
	Queue     string // route to the longest-READY agent ("" with AgentID set)
	ANI, DNIS string
	CallType  string // default PREROUTE_ACD_IN (UCCE) / ACD_IN (UCCX)
	Variables []Var
}

// AgentInfo is a snapshot of one agent (also the control API's JSON).
type AgentInfo struct {
	ID           string   `json:"id"`
	Extension    string   `json:"extension"`
	State        string   `json:"state"`
	PendingState string   `json:"pendingState"`
	ReasonCodeID string   `json:"reasonCodeId"`
	Present      bool     `json:"present"` // any available XMPP presence
	Dialogs      []string `json:"dialogs"`
	// MaintenanceNotices counts the NOT_READY 50045 notices a client sent
	// after moving off a node in maintenance (Sim.SetMaintenance).
	MaintenanceNotices int `json:"maintenanceNotices"`
}

// DialogInfo is a snapshot of one dialog (also the control API's JSON).
type DialogInfo struct {
	ID           string            `json:"id"`
	State        string            `json:"state"`
	From         string            `json:"from"`
	To           string            `json:"to"`
	CallType     string            `json:"callType"`
	SecondaryID  string            `json:"secondaryId"`
	WrapUpReason string            `json:"wrapUpReason"`
	DTMF         string            `json:"dtmf"` // digits sent with SEND_DTMF
	Participants []ParticipantInfo `json:"participants"`
	Variables    []Var             `json:"variables"`
}

// ParticipantInfo is a snapshot of one dialog participant.
type ParticipantInfo struct {
	Address string `json:"address"`
	AgentID string `json:"agentId"` // "" for external parties
	State   string `json:"state"`
}

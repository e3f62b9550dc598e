package localbridge

import "encoding/json"

// Wire types of protocol v1 (docs/bridge-protocol.md). They are the only
// types with JSON tags; convert.go maps core types onto them.

// ProtocolVersion is the bridge protocol version Hello reports.
const ProtocolVersion = 1

// wireRequest is a client command.
type wireRequest struct {
	ID   string          `json:"id"`
	Cmd  string          `json:"cmd"`
	Args json.RawMessage `json:"args,omitempty"`
}

// wireResponse answers one request.
type wireResponse struct {
	ID     string     `json:"id"`
	OK     bool       `json:"ok"`
	Result any        `json:"result,omitempty"`
	Error  *wireError `json:"error,omitempty"`
}

// wireError is the error of a failed request.
type wireError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Finesse *wireFinesseError `json:"finesse,omitempty"`
	// Delivery says whether a failed command reached Finesse:
	// "not_delivered" (nothing happened: safe to retry) or "unconfirmed"
	// (it may have: a CommandOutcome event with RequestID follows).
	Delivery  string `json:"delivery,omitempty"`
	RequestID string `json:"requestId,omitempty"`
}

// wireCommandOutcome settles an unconfirmed command (CommandOutcome).
type wireCommandOutcome struct {
	RequestID string            `json:"requestId"`
	Command   string            `json:"command"`
	DialogID  string            `json:"dialogId,omitempty"`
	Outcome   string            `json:"outcome"` // applied, not_applied, unknown
	Finesse   *wireFinesseError `json:"finesse,omitempty"`
}

// wireEvent is a numbered event.
type wireEvent struct {
	Event string `json:"event"`
	Seq   uint64 `json:"seq"`
	Data  any    `json:"data"`
}

type wireSystem struct {
	Status        string `json:"status"`
	Node          string `json:"node,omitempty"`
	Host          string `json:"host,omitempty"`
	XMPPConnected bool   `json:"xmppConnected"`
	Reason        string `json:"reason,omitempty"`
}

type wireAgent struct {
	AgentID          string `json:"agentId"`
	FirstName        string `json:"firstName,omitempty"`
	LastName         string `json:"lastName,omitempty"`
	State            string `json:"state"`
	ReasonCodeID     string `json:"reasonCodeId,omitempty"`
	ReasonLabel      string `json:"reasonLabel,omitempty"`
	PendingState     string `json:"pendingState,omitempty"`
	Extension        string `json:"extension,omitempty"`
	Since            string `json:"since,omitempty"`
	WrapUpOnIncoming string `json:"wrapUpOnIncoming,omitempty"`
	LoggedIn         bool   `json:"loggedIn"`
	// Mobile agent and multiline device, when Finesse reports them.
	MobileMode       string `json:"mobileAgentMode,omitempty"`
	MobileDialNumber string `json:"mobileDialNumber,omitempty"`
	ActiveDeviceID   string `json:"activeDeviceId,omitempty"`
}

type wireParticipant struct {
	Address     string   `json:"address"`
	AddressType string   `json:"addressType,omitempty"`
	State       string   `json:"state"`
	StateCause  string   `json:"stateCause,omitempty"`
	Actions     []string `json:"actions"`
	Since       string   `json:"since,omitempty"`
}

type wireDialog struct {
	ID           string            `json:"id"`
	AssociatedID string            `json:"associatedId,omitempty"`
	SecondaryID  string            `json:"secondaryId,omitempty"`
	State        string            `json:"state"`
	CallType     string            `json:"callType,omitempty"`
	From         string            `json:"from"`
	To           string            `json:"to"`
	DNIS         string            `json:"dnis,omitempty"`
	DialedNumber string            `json:"dialedNumber,omitempty"`
	QueueName    string            `json:"queueName,omitempty"`
	WrapUpReason string            `json:"wrapUpReason,omitempty"`
	AgentState   string            `json:"agentState,omitempty"`
	StartedAt    string            `json:"startedAt,omitempty"`  // when AgentLink first saw the call
	AnsweredAt   string            `json:"answeredAt,omitempty"` // when the agent's leg first went ACTIVE
	Variables    map[string]string `json:"variables"`
	Participants []wireParticipant `json:"participants"`
	Actions      []string          `json:"actions"`
	// OriginalID and Consult: core's reading of the call for a CRM (see
	// core/origin.go and docs/bridge-protocol.md "Call origin").
	OriginalID string `json:"originalId,omitempty"`
	Consult    bool   `json:"consult"` // always sent: tells an adapter AgentLink decided the origin
}

type wireSummary struct {
	ID           string            `json:"id"`
	From         string            `json:"from"`
	To           string            `json:"to"`
	CallType     string            `json:"callType,omitempty"`
	StartedAt    string            `json:"startedAt,omitempty"`
	AnsweredAt   string            `json:"answeredAt,omitempty"`
	EndedAt      string            `json:"endedAt,omitempty"`
	WrapUpReason string            `json:"wrapUpReason,omitempty"`
	Variables    map[string]string `json:"variables"`
	// EndedWhileAway: the call ended while AgentLink was not running;
	// endedAt is when it noticed.
	EndedWhileAway bool `json:"endedWhileAway,omitempty"`
	// The call's origin, the same in DialogEnded and in every CallLog
	// offer: the original call on a call transferred in, this agent's own
	// leg of it, and whether the call is a consult or conference leg.
	OriginalID  string `json:"originalId,omitempty"`
	SecondaryID string `json:"secondaryId,omitempty"`
	Consult     bool   `json:"consult"`
}

type wireFinesseError struct {
	Status    int    `json:"status,omitempty"`
	Type      string `json:"type,omitempty"`
	Message   string `json:"message,omitempty"`
	Data      string `json:"data,omitempty"`
	RequestID string `json:"requestId,omitempty"`
	DialogID  string `json:"dialogId,omitempty"`
}

type wireReasonCode struct {
	ID       string `json:"id"`
	Category string `json:"category"`
	Code     string `json:"code,omitempty"`
	Label    string `json:"label"`
}

type wireWrapUpReason struct {
	ID    string `json:"id,omitempty"`
	Label string `json:"label"`
}

type wireContact struct {
	PhoneBook   string `json:"phoneBook,omitempty"`
	FirstName   string `json:"firstName,omitempty"`
	LastName    string `json:"lastName,omitempty"`
	Number      string `json:"number"`
	Description string `json:"description,omitempty"`
	BookType    string `json:"bookType,omitempty"` // GLOBAL or TEAM
}

// wireSnapshot is the state a Connect returns.
type wireSnapshot struct {
	Seq           uint64                      `json:"seq"`
	System        wireSystem                  `json:"system"`
	Agent         wireAgent                   `json:"agent"`
	Dialogs       []wireDialog                `json:"dialogs"`
	Media         []wireMedia                 `json:"media,omitempty"` // non-voice MRDs (media.go)
	ReasonCodes   map[string][]wireReasonCode `json:"reasonCodes,omitempty"`
	WrapUpReasons []wireWrapUpReason          `json:"wrapUpReasons,omitempty"`
	Queues        []wireQueue                 `json:"queues,omitempty"`       // queue.go
	TeamMessages  []wireTeamMessage           `json:"teamMessages,omitempty"` // queue.go
}

type helloResult struct {
	Protocol       int      `json:"protocol"`
	Version        string   `json:"version"`
	Capabilities   []string `json:"capabilities"`
	SecurePassword bool     `json:"securePassword"`
	ClientID       string   `json:"clientId"`
	Scopes         []Scope  `json:"scopes"` // what this client may do (scopes.go)
	// Pairing is set for browser origins other than the bridge's own (proof.go).
	Pairing *pairingInfo `json:"pairing,omitempty"`
}

type connectResult struct {
	Resumed  bool          `json:"resumed"`
	Seq      uint64        `json:"seq"`
	Epoch    string        `json:"epoch"` // send it back with since; a new app run has another
	Snapshot *wireSnapshot `json:"snapshot,omitempty"`
}

package core

import "context"

// CommandKind names a command the agent can give.
type CommandKind string

// Commands. Each maps to one Finesse REST request (reference §2).
const (
	CmdLogin              CommandKind = "Login"
	CmdLogout             CommandKind = "Logout"
	CmdReady              CommandKind = "Ready"
	CmdNotReady           CommandKind = "NotReady"
	CmdMakeCall           CommandKind = "MakeCall"
	CmdAnswer             CommandKind = "Answer"
	CmdHold               CommandKind = "Hold"
	CmdRetrieve           CommandKind = "Retrieve"
	CmdRelease            CommandKind = "Release"
	CmdConsult            CommandKind = "Consult"
	CmdTransfer           CommandKind = "Transfer"
	CmdConference         CommandKind = "Conference"
	CmdSingleStepTransfer CommandKind = "SingleStepTransfer"
	CmdSendDTMF           CommandKind = "SendDTMF"
	CmdUpdateCallData     CommandKind = "UpdateCallData"
	CmdWrapUp             CommandKind = "WrapUp"
)

// Command is one request to Finesse. Only the fields its Kind needs are set.
type Command struct {
	Kind      CommandKind
	RequestID string // set by the session; sent as the requestId header

	AgentID      string // Login
	Password     string // Login; never logged
	SSO          bool   // Login: use the port's single sign-on session instead of a password
	Extension    string // Login; dialog actions use the agent's extension
	MobileMode   string // Login: "" or MobileCallByCall / MobileNailedConnection (phone.go)
	DialNumber   string // Login: the mobile agent's phone, with MobileMode
	DeviceID     string // Login: the extension's device to use (multiline); "" = Finesse's choice
	ReasonCodeID string // Logout, NotReady
	DialogID     string // dialog actions
	Number       string // MakeCall, Consult, SingleStepTransfer
	Digits       string // SendDTMF
	Variables    []CallVariable
	WrapUpReason string // WrapUp (a label)
}

// Port is what the session needs of a Finesse connection. finesse.Link
// implements it; tests use a fake.
type Port interface {
	// Send issues cmd. It returns nil once Finesse accepted it (HTTP 202);
	// the outcome arrives later through [Sink.Apply]. A synchronous refusal
	// is returned as a *FinesseError; transport failures wrap ErrUnreachable,
	// ErrUntrustedCertificate or ErrOutOfService.
	//
	// A Login command also gives the port the agent's credentials: the port
	// connects its notification channel (XMPP) before it PUTs LOGIN, so that
	// no event is missed.
	Send(ctx context.Context, cmd Command) error

	// FetchAgent and FetchDialogs GET the current state from Finesse.
	FetchAgent(ctx context.Context) (Agent, error)
	FetchDialogs(ctx context.Context) ([]Dialog, error)

	// Lists. They change rarely and produce no notifications.
	ReasonCodes(ctx context.Context, category ReasonCategory) ([]ReasonCode, error)
	WrapUpReasons(ctx context.Context) ([]WrapUpReason, error)
	PhoneBook(ctx context.Context) ([]Contact, error)
}

// UpdateKind says what an [Update] carries.
type UpdateKind int

// Update kinds.
const (
	// UpdateAgent carries the whole agent (User PUT).
	UpdateAgent UpdateKind = iota + 1
	// UpdateDialog carries a whole dialog that was added or changed
	// (Dialogs POST or Dialog PUT).
	UpdateDialog
	// UpdateDialogRemoved says DialogID is gone (Dialogs DELETE); Dialog
	// holds its final form when Finesse sent one.
	UpdateDialogRemoved
	// UpdateSystem carries the link status (SystemInfo, XMPP up or down,
	// failover).
	UpdateSystem
	// UpdateError carries an asynchronous Finesse error (apiErrors).
	UpdateError
	// UpdateResync carries the full state read by GET after a reconnect or
	// failover: it replaces the session's model. Dialogs no longer listed
	// have ended.
	UpdateResync
	// UpdateMedia carries the agent's whole non-voice MRD list (Media) as
	// the port last read or was notified of it.
	UpdateMedia
)

// Update is one change reported by the port.
type Update struct {
	Kind      UpdateKind
	RequestID string // the requestId Finesse echoed; "" for unsolicited events

	Agent    *Agent   // UpdateAgent, UpdateResync
	Dialog   *Dialog  // UpdateDialog, UpdateDialogRemoved (may be nil)
	DialogID string   // UpdateDialogRemoved, UpdateError (from the source uri)
	Dialogs  []Dialog // UpdateResync
	System   *System  // UpdateSystem
	Err      *FinesseError
	Media    []Media // UpdateMedia
}

// Sink receives updates from a port. [Session] implements it. Apply is called
// from one goroutine at a time and must not block.
type Sink interface {
	Apply(u Update)
}

package core

import "time"

// DialogState is the state of a whole dialog (reference §3.2). A held call
// is still ACTIVE at dialog level; HELD is a participant state.
type DialogState string

// Dialog states.
const (
	DialogInitiating DialogState = "INITIATING"
	DialogInitiated  DialogState = "INITIATED"
	DialogAlerting   DialogState = "ALERTING"
	DialogActive     DialogState = "ACTIVE"
	DialogFailed     DialogState = "FAILED"
	DialogDropped    DialogState = "DROPPED"
	DialogAccepted   DialogState = "ACCEPTED"
)

// ParticipantState is the state of one party of a dialog.
type ParticipantState string

// Participant states.
const (
	PartInitiating ParticipantState = "INITIATING"
	PartInitiated  ParticipantState = "INITIATED"
	PartAlerting   ParticipantState = "ALERTING"
	PartActive     ParticipantState = "ACTIVE"
	PartHeld       ParticipantState = "HELD"
	PartFailed     ParticipantState = "FAILED"
	PartDropped    ParticipantState = "DROPPED"
	PartWrapUp     ParticipantState = "WRAP_UP"
	PartAccepted   ParticipantState = "ACCEPTED"
)

// Action is a requestedAction Finesse allows a participant now.
type Action string

// Dialog actions.
const (
	ActionAnswer         Action = "ANSWER"
	ActionHold           Action = "HOLD"
	ActionRetrieve       Action = "RETRIEVE"
	ActionDrop           Action = "DROP"
	ActionConsultCall    Action = "CONSULT_CALL"
	ActionTransfer       Action = "TRANSFER"
	ActionConference     Action = "CONFERENCE"
	ActionTransferSST    Action = "TRANSFER_SST"
	ActionSendDTMF       Action = "SEND_DTMF"
	ActionUpdateCallData Action = "UPDATE_CALL_DATA"
)

// CallVariable is one call variable or ECC variable (user.name) of a dialog.
type CallVariable struct {
	Name  string
	Value string
}

// Participant is one party of a dialog.
type Participant struct {
	Address     string // extension or external number
	AddressType string // AGENT_DEVICE for agent phones
	State       ParticipantState
	StateCause  string // BUSY, BAD_DESTINATION, ... mostly with FAILED
	Actions     []Action
	Since       time.Time
}

// Dialog is one call as Finesse reports it.
type Dialog struct {
	ID           string
	AssociatedID string // consult <-> original
	SecondaryID  string // after transfer/conference: the dialog dropped into this one
	State        DialogState
	CallType     string // open set: ACD_IN, PREROUTE_ACD_IN, OUT, AGENT_INSIDE, CONSULT, ...
	From         string
	To           string
	DNIS         string
	DialedNumber string
	QueueName    string
	WrapUpReason string
	Variables    []CallVariable
	Participants []Participant
	// Actions is what this agent may do on the dialog now: the actions of
	// the participant whose address is the agent's extension. The session
	// fills it in; buttons follow it rather than a state machine of ours.
	Actions []Action
	// AgentState is the state of the agent's own participant, filled in by
	// the session like Actions.
	AgentState ParticipantState
	// FirstSeen and Answered are the session's own clock on the call, set
	// on the dialogs it publishes: when it first saw the dialog, and when
	// the agent's leg first went ACTIVE (zero until then). A call's total
	// time counts from them, so it survives hold, a failover and a
	// toolbar's reload, unlike a participant's Since. Finesse does not
	// send them; dialogEqual ignores them.
	FirstSeen, Answered time.Time
	// OriginalID and Consult are the session's reading of the call for a
	// CRM (origin.go), set on the dialogs it publishes like FirstSeen:
	// OriginalID is the original call's dialog id on a call transferred or
	// conferenced in ("" otherwise); Consult marks a consult or conference
	// leg the agent joined for a colleague, never logged as a customer call.
	OriginalID string
	Consult    bool
}

// Participant returns the participant with the given address.
func (d Dialog) Participant(address string) (Participant, bool) {
	for _, p := range d.Participants {
		if p.Address == address {
			return p, true
		}
	}
	return Participant{}, false
}

// Allows reports whether the agent may take action a on the dialog now.
func (d Dialog) Allows(a Action) bool {
	for _, x := range d.Actions {
		if x == a {
			return true
		}
	}
	return false
}

// Variable returns the value of the named call variable.
func (d Dialog) Variable(name string) (string, bool) {
	for _, v := range d.Variables {
		if v.Name == name {
			return v.Value, true
		}
	}
	return "", false
}

// CallSummary is what a CRM logs when a call ends.
type CallSummary struct {
	DialogID     string
	CallType     string
	From         string
	To           string
	Started      time.Time
	Answered     time.Time // zero if the agent never answered
	Ended        time.Time
	WrapUpReason string
	Variables    []CallVariable
	// Away: the call ended while AgentLink was not running (an earlier run
	// knew it live, Finesse no longer lists it); Ended is when it noticed.
	Away bool
	// OriginalID is the original call's dialog id on a call transferred or
	// conferenced in to this agent ("" otherwise). It equals DialogID when
	// Finesse handed the agent the original dialog (the usual case), and
	// SecondaryID then names the agent's own consult leg that was dropped
	// into it: a CRM logs this agent's part under SecondaryID's reference
	// and refers to OriginalID's (origin.go).
	OriginalID  string
	SecondaryID string
	// Consult: a consult or conference leg the agent joined for a
	// colleague. The outbox never offers it for logging.
	Consult bool
}

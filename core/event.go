package core

import "time"

// EventKind says what an [Event] carries.
type EventKind int

// Event kinds.
const (
	EventSystem      EventKind = iota + 1 // System changed
	EventAgent                            // Agent changed
	EventDialog                           // a dialog was added or changed
	EventDialogEnded                      // a dialog ended; Ended summarises it
	EventError                            // an asynchronous Finesse error
	// EventWrapUp: a wrap-up reason was chosen for a call that had already
	// ended and that Finesse no longer lists; Ended is the call's summary
	// with the reason.
	EventWrapUp
	// EventCommandOutcome: a command that failed with an
	// *UnconfirmedError turned out applied, not applied or unknown;
	// Outcome says which (unconfirmed.go).
	EventCommandOutcome
	// EventMedia: the agent's non-voice MRD states changed; Media is the
	// whole list.
	EventMedia
	// EventQueues: the agent's queue statistics changed; Queues is the
	// whole list (queue.go).
	EventQueues
	// EventTeamMessage: a supervisor's team message arrived or was
	// withdrawn (queue.go).
	EventTeamMessage
)

func (k EventKind) String() string {
	switch k {
	case EventSystem:
		return "System"
	case EventAgent:
		return "AgentState"
	case EventDialog:
		return "Dialog"
	case EventDialogEnded:
		return "DialogEnded"
	case EventError:
		return "Error"
	case EventWrapUp:
		return "WrapUp"
	case EventCommandOutcome:
		return "CommandOutcome"
	case EventMedia:
		return "MediaState"
	case EventQueues:
		return "Queues"
	case EventTeamMessage:
		return "TeamMessage"
	}
	return "Unknown"
}

// Event is one numbered change. Exactly one of the pointer fields is set,
// matching Kind. Seq numbers start at 1 and have no gaps.
type Event struct {
	Seq    uint64
	Kind   EventKind
	At     time.Time
	System *System
	Agent  *Agent
	Dialog *Dialog      // EventDialog, and the final dialog for EventDialogEnded
	Ended  *CallSummary // EventDialogEnded and EventWrapUp
	Err    *FinesseError
	// Outcome settles an unconfirmed command (EventCommandOutcome).
	Outcome *CommandOutcome
	Media   []Media // EventMedia
	// Queues is every queue of the agent (EventQueues).
	Queues []Queue
	// TeamMessage is the message (EventTeamMessage).
	TeamMessage *TeamMessage
}

// Snapshot is the whole state at sequence number Seq.
type Snapshot struct {
	Seq uint64
	// Epoch names this session's event stream. Seqs start again at 1 in a
	// new session (a restarted app), so a Since is only meaningful with the
	// Epoch it was read in: see WatchOptions.Epoch.
	Epoch   string
	System  System
	Agent   Agent
	Dialogs []Dialog
	Media   []Media // non-voice MRDs; empty where there are none (UCCX)
	// Queues and TeamMessages are the queue statistics and the team
	// messages still up (queue.go).
	Queues       []Queue
	TeamMessages []TeamMessage
}

// WatchOptions configure [Session.Watch].
type WatchOptions struct {
	// Since, when non-zero, asks to resume after that sequence number: the
	// watcher first replays the events after it. If the ring no longer holds
	// them the watcher starts from a fresh snapshot and Resumed is false.
	Since uint64
	// Epoch is the Snapshot.Epoch that Since was read in. Since is only
	// resumed when it equals the session's own epoch: a seq from another
	// session (an earlier run of the app) would otherwise "resume" into
	// unrelated events.
	Epoch string
	// Buffer is how many events may wait for the watcher before it is cut
	// off. Zero means the session default.
	Buffer int
}

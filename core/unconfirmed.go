package core

import (
	"errors"
	"fmt"
	"time"
)

// Whether a failed command reached Finesse (issue 15, item 4). A command
// that never reached Finesse did nothing and is safe to send again
// ([ErrNotDelivered]). One that reached it, or may have, but whose outcome
// did not come back (a 202 with no notification before the timeout, or a
// connection lost after the request was written) fails with an
// [*UnconfirmedError]; the session keeps watching for its outcome and
// publishes it as an [EventCommandOutcome] once an update shows it
// applied, an asynchronous error refuses it, or a resync long enough
// after it shows it did not happen. A CRM can thus tell whether a retry
// would dial twice.

// ErrNotDelivered says the request never reached Finesse (no connection, the
// TLS handshake failed, it was refused before being written). Ports wrap
// it together with the transport sentinel.
var ErrNotDelivered = errors.New("the request did not reach Finesse: nothing was done")

// ErrUnconfirmed is what an [*UnconfirmedError] is.
var ErrUnconfirmed = errors.New("the request may have reached Finesse; its outcome follows as a CommandOutcome event")

// UnconfirmedError is a command whose outcome is not known yet. Its
// RequestID names the [EventCommandOutcome] that will settle it.
type UnconfirmedError struct {
	RequestID string
	Kind      CommandKind
	Err       error // ErrCommandTimeout, or the transport error after the request was sent
}

func (e *UnconfirmedError) Error() string {
	return fmt.Sprintf("%s: %v (request %s: its outcome follows)", e.Kind, e.Err, e.RequestID)
}

func (e *UnconfirmedError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrUnconfirmed) true.
func (e *UnconfirmedError) Is(target error) bool { return target == ErrUnconfirmed }

// Outcome is how an unconfirmed command turned out.
type Outcome int

// Outcomes.
const (
	OutcomeApplied    Outcome = iota + 1 // Finesse did it
	OutcomeNotApplied                    // Finesse refused it, or a later full state shows it did not happen
	OutcomeUnknown                       // nothing settled it within UnconfirmedWindow
)

func (o Outcome) String() string {
	switch o {
	case OutcomeApplied:
		return "applied"
	case OutcomeNotApplied:
		return "not_applied"
	case OutcomeUnknown:
		return "unknown"
	}
	return "invalid"
}

// CommandOutcome settles an unconfirmed command.
type CommandOutcome struct {
	RequestID string
	Kind      CommandKind
	DialogID  string
	Outcome   Outcome
	Err       *FinesseError // the asynchronous error that refused it, if one did
}

// UnconfirmedWindow is how long the session watches for an unconfirmed
// command's outcome before it reports OutcomeUnknown.
const UnconfirmedWindow = 2 * time.Minute

// unconfirmedCmd is a command waiting to be reconciled.
type unconfirmedCmd struct {
	p    *pending
	sent time.Time
}

// trackUnconfirmed starts watching for p's outcome and returns the error
// its caller gets.
func (s *Session) trackUnconfirmed(p *pending, sent time.Time, err error) error {
	s.mu.Lock()
	s.unconfirmed[p.id] = &unconfirmedCmd{p: p, sent: sent}
	s.mu.Unlock()
	return &UnconfirmedError{RequestID: p.id, Kind: p.kind, Err: err}
}

// reconcileLocked publishes the outcome of the unconfirmed commands that
// update c settles: confirmed by request id or by the state asked for,
// refused by an asynchronous error, or absent from a resync that came at
// least a command timeout after they were sent (Finesse would have
// applied them by then). Those older than UnconfirmedWindow are reported
// unknown.
func (s *Session) reconcileLocked(requestID string, c *change) {
	now := s.now()
	for id, u := range s.unconfirmed {
		p := u.p
		out := CommandOutcome{RequestID: id, Kind: p.kind, DialogID: p.dialogID}
		switch fe := c.asyncError; {
		case fe != nil && (fe.RequestID == id || fe.RequestID == "" && p.dialogID != "" && fe.DialogID == p.dialogID):
			e := *fe
			out.Outcome, out.Err = OutcomeNotApplied, &e
		case fe == nil && (requestID == id || (requestID == "" || stateConfirmed[p.kind]) && s.observedLocked(p, c)):
			out.Outcome = OutcomeApplied
		case c.resync && now.Sub(u.sent) >= s.timeout && !s.stateHoldsLocked(p):
			out.Outcome = OutcomeNotApplied
		case c.resync && s.stateHoldsLocked(p):
			out.Outcome = OutcomeApplied
		case now.Sub(u.sent) >= UnconfirmedWindow:
			out.Outcome = OutcomeUnknown
		default:
			continue
		}
		delete(s.unconfirmed, id)
		s.log.Info("unconfirmed command settled", "kind", p.kind, "request", id, "outcome", out.Outcome)
		s.publishLocked(Event{Kind: EventCommandOutcome, Outcome: &out})
	}
}

// stateHoldsLocked reports whether the model now shows what p asked for,
// for the commands whose effect is a lasting state (a resync carries no
// history, so only a state can show them applied).
func (s *Session) stateHoldsLocked(p *pending) bool {
	switch p.kind {
	case CmdLogin, CmdLogout, CmdReady, CmdNotReady:
		return s.agentReachedLocked(p)
	case CmdAnswer, CmdRetrieve, CmdHold:
		want := map[CommandKind]ParticipantState{CmdAnswer: PartActive, CmdRetrieve: PartActive, CmdHold: PartHeld}[p.kind]
		e, _ := s.findLocked(p.dialogID)
		return e != nil && e.d.AgentState == want
	case CmdRelease:
		e, _ := s.findLocked(p.dialogID)
		return e == nil || e.d.AgentState == PartDropped
	}
	return false
}

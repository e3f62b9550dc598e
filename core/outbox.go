package core

import (
	"errors"
	"slices"
	"time"
)

// Outbox keeps ended calls durably until a CRM adapter confirmed it logged
// them, so that a call is logged exactly once whatever happens to the app,
// the browser or the CRM page (issue 11). Package callstore implements it
// on an embedded transactional store; cmd/agentlink wires it in
// [Config.Outbox]. A nil Outbox keeps today's behaviour (events only).
//
// The session calls it under its lock, before it publishes the event the
// record belongs to: a watcher that saw DialogEnded or WrapUp can rely on
// the record being on disk, so a crash right after the event loses nothing.
// That is the one place the session lock is held across I/O (one small
// transaction). An error is logged and the event published anyway: the
// store keeps what it could not write in memory and offers it all the same.
type Outbox interface {
	// Live keeps a call that started (or was answered), so that one that
	// ends while the app is not running is still reported after a restart.
	Live(sum CallSummary) error
	// Ended commits the record of a call that ended. pending is true while
	// a wrap-up reason may still come: the record is not offered until the
	// reason is known or the wrap-up is over.
	Ended(sum CallSummary, pending bool) error
	// WrapUp records reason on the call's record and makes it ready.
	WrapUp(dialogID, reason string) error
	// Settle makes every pending record ready: the agent's wrap-up is over
	// (or never came).
	Settle() error
	// Recovered returns what an earlier run left: calls that were live when
	// it stopped, and ended calls still waiting for their wrap-up reason.
	Recovered() (live, pending []CallSummary)
}

// CallRecord is one call in the outbox, as the bridge offers it and the
// monitor and softphone list it.
type CallRecord struct {
	// ID names the record: the dialog id, except for an older unlogged
	// call whose dialog id Finesse reused ("<dialog id>#<start ms>").
	ID      string
	Summary CallSummary
	// Pending: ended, waiting for the wrap-up reason (not offered yet).
	Pending bool
	// Away: the call ended while AgentLink was not running; Summary.Ended
	// is when the app noticed.
	Away bool
	// Volatile: the store could not write it (disk full, read-only): it is
	// kept in memory only and lost if the app stops.
	Volatile bool
}

// ErrNoSuchCall is returned by an acknowledgement for a call the outbox
// does not hold (never recorded, or dropped after its retention).
var ErrNoSuchCall = errors.New("no such call in the outbox")

// busyOrWrapping reports whether the agent may still choose a wrap-up
// reason for a call that just ended: on a call, about to be, or in wrap-up.
func busyOrWrapping(st AgentState) bool {
	switch st {
	case StateTalking, StateHold, StateReserved, StateReservedOutbound, StateReservedOutboundPreview,
		StateWork, StateWorkReady:
		return true
	}
	return false
}

// outboxLocked reports an outbox failure; the caller publishes anyway.
func (s *Session) outboxErrLocked(what string, err error) {
	if err != nil {
		s.log.Error("call outbox: "+what+" failed; the record is kept in memory only", "err", err)
	}
}

// recoverOutbox loads what an earlier run left: calls still live then are
// checked against the first resync (awayEndedLocked), and ended calls
// still waiting for a wrap-up reason can be given one.
func (s *Session) recoverOutbox() {
	if s.outbox == nil {
		return
	}
	live, pending := s.outbox.Recovered()
	s.away = live
	for _, p := range pending {
		s.rememberEndedLocked(p)
	}
}

// awayEndedLocked runs on a resync: a call the earlier run knew as live and
// Finesse no longer lists ended while the app was away (issue 15 item 3).
// It is published like any ended call, marked by an end time of now. A
// call still listed keeps the start and answer times the earlier run saw.
func (s *Session) awayEndedLocked(listed map[string]bool, c *change) {
	away := s.away
	s.away = nil
	now := s.now()
	for _, sum := range away {
		if e, _ := s.findLocked(sum.DialogID); e != nil || listed[sum.DialogID] {
			s.carried = append(s.carried, sum)
			continue
		}
		sum.Ended, sum.Away = now, true
		pending := sum.WrapUpReason == "" && busyOrWrapping(s.agent.State)
		s.outboxErrLocked("ended while away", s.outbox.Ended(sum, pending))
		s.rememberEndedLocked(sum)
		final := Dialog{ID: sum.DialogID, SecondaryID: sum.SecondaryID, CallType: sum.CallType, From: sum.From, To: sum.To,
			WrapUpReason: sum.WrapUpReason, Variables: cloneVars(sum.Variables), OriginalID: sum.OriginalID, Consult: sum.Consult}
		sum.Variables = cloneVars(sum.Variables)
		c.removed = append(c.removed, sum.DialogID)
		s.log.Info("call ended while AgentLink was not running", "dialog", sum.DialogID)
		s.publishLocked(Event{Kind: EventDialogEnded, Dialog: &final, Ended: &sum})
	}
}

// carriedTimesLocked gives a dialog seen again after a restart the start
// and answer times and the origin the earlier run recorded.
func (s *Session) carriedTimesLocked(e *dialogEntry) {
	i := slices.IndexFunc(s.carried, func(c CallSummary) bool { return c.DialogID == e.d.ID })
	if i < 0 {
		return
	}
	c := s.carried[i]
	s.carried = slices.Delete(s.carried, i, i+1)
	if !c.Started.IsZero() {
		e.started = c.Started
	}
	if !c.Answered.IsZero() && (e.answered.IsZero() || c.Answered.Before(e.answered)) {
		e.answered = c.Answered
	}
	// The origin as the earlier run decided it, from the dialog as it was
	// first seen (a conferenced call's callType changed since).
	e.leg = c.Consult || IsLegCallType(c.CallType) // an older record has no Consult
	if c.OriginalID != "" {
		e.originalID = c.OriginalID
	}
}

// liveLocked records a call that started or was just answered.
func (s *Session) liveLocked(e *dialogEntry) {
	if s.outbox == nil {
		return
	}
	s.outboxErrLocked("keeping a live call", s.outbox.Live(e.summary(e.d, time.Time{})))
}

package core

import (
	"fmt"
	"slices"
)

// endedKeep is how many ended calls the session remembers for a wrap-up
// reason chosen after Finesse removed the dialog (a transfer ends two).
const endedKeep = 4

// rememberEndedLocked keeps sum for a wrap-up reason chosen later.
func (s *Session) rememberEndedLocked(sum CallSummary) {
	s.ended = append(s.ended, sum)
	if len(s.ended) > endedKeep {
		s.ended = slices.Delete(s.ended, 0, len(s.ended)-endedKeep)
	}
}

// wrapUpEndedLocked handles a wrap-up reason for a call whose dialog is gone.
// Some Finesse deployments (and the simulator by default) DELETE the dialog
// when the call ends although the agent is still in WORK/WORK_READY; there
// is then no Dialog resource to PUT the reason to. The reason is recorded
// on the call's summary instead and published as EventWrapUp, so that the
// CRM logs it with the call. handled is false when the command is not for
// such a call (the caller reports ErrNoSuchDialog as before).
func (s *Session) wrapUpEndedLocked(cmd Command) (handled bool, err error) {
	if !s.agent.InWrapUp() || len(s.ended) == 0 {
		return false, nil
	}
	i := s.endedIndexLocked(cmd.DialogID)
	if i < 0 {
		return false, nil
	}
	s.ended[i].WrapUpReason = cmd.WrapUpReason
	sum := s.ended[i]
	if s.outbox != nil {
		s.outboxErrLocked("recording a wrap-up reason", s.outbox.WrapUp(sum.DialogID, sum.WrapUpReason))
	}
	sum.Variables = cloneVars(sum.Variables)
	s.publishLocked(Event{Kind: EventWrapUp, Ended: &sum})
	s.log.Info("wrap-up reason recorded with the ended call (Finesse no longer lists it)",
		"dialog", sum.DialogID, "reason", sum.WrapUpReason)
	return true, nil
}

// endedIndexLocked finds the ended call a wrap-up reason is for: the one
// named, or else the most recent that was not a consult leg (after a
// transfer the customer's call is the one to wrap up), or else the most
// recent.
func (s *Session) endedIndexLocked(id string) int {
	if id != "" {
		return slices.IndexFunc(s.ended, func(c CallSummary) bool { return c.DialogID == id })
	}
	for i := len(s.ended) - 1; i >= 0; i-- {
		if !s.ended[i].Consult {
			return i
		}
	}
	return len(s.ended) - 1
}

// errWrapUpNoCall is the answer when there is no call to wrap up at all.
func errWrapUpNoCall(cmd Command) error {
	return fmt.Errorf("%s: %w: no call is in progress or in wrap-up", cmd.Kind, ErrNoSuchDialog)
}

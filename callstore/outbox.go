package callstore

import (
	"github.com/agentlink/agentlink/core"
)

// The core.Outbox side: what the session writes, under its lock, before it
// publishes the matching event.

// Live keeps a call in progress (or updates its answer time).
func (s *Store) Live(sum core.CallSummary) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.updateLocked(func(b bucket) error {
		r, err := s.slotLocked(b, sum)
		if err != nil {
			return err
		}
		if r.State != "" && r.State != stateLive {
			return errStop // already ended: nothing to keep live
		}
		nr := fromSummary(sum)
		nr.State, nr.Updated = stateLive, s.now()
		return b.put(nr)
	})
}

// Ended commits the record of a call that ended: pending while its wrap-up
// reason may still come, ready (offered) otherwise. A call already
// acknowledged stays so. A consult or conference leg is kept as a leg and
// never offered; the session commits a call again as a leg when a call
// transferred in shows it was one.
func (s *Store) Ended(sum core.CallSummary, pending bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.now().Sub(s.lastPurge) > purgeEvery {
		s.purgeLocked()
	}
	err := s.updateLocked(func(b bucket) error {
		r, err := s.slotLocked(b, sum)
		if err != nil {
			return err
		}
		if r.State == stateAcked {
			return errStop
		}
		nr := fromSummary(sum)
		nr.State, nr.Updated = stateReady, s.now()
		switch {
		case sum.Consult:
			nr.State = stateLeg
		case pending:
			nr.State = statePending
		}
		return b.put(nr)
	})
	s.changed()
	return err
}

// slotLocked returns the record stored under the call's dialog id if it is
// this call (the zero record otherwise). An older unlogged call under the
// same id, which Finesse reused, moves aside to keep it.
func (s *Store) slotLocked(b bucket, sum core.CallSummary) (record, error) {
	r, ok, err := b.get(sum.DialogID)
	if err != nil || !ok {
		return record{}, err
	}
	if r.sameCall(sum.Started) {
		return r, nil
	}
	if r.State == statePending || r.State == stateReady {
		moved := r
		moved.ID = r.asideID()
		if err := b.put(moved); err != nil {
			return record{}, err
		}
	}
	return record{}, nil
}

// WrapUp records the reason on the call's record and makes it ready.
func (s *Store) WrapUp(dialogID, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.updateLocked(func(b bucket) error {
		r, ok, err := b.get(dialogID)
		if err != nil || !ok || r.State != statePending && r.State != stateReady {
			return orStop(err)
		}
		r.WrapUpReason, r.State, r.Updated = reason, stateReady, s.now()
		return b.put(r)
	})
	s.changed()
	return err
}

// Settle makes every pending record ready. It writes only when some are
// pending: it runs on every change of the agent's state.
func (s *Store) Settle() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var pending []record
	if err := s.viewLocked(func(r record) error {
		if r.State == statePending {
			pending = append(pending, r)
		}
		return nil
	}); err != nil || len(pending) == 0 {
		return err
	}
	err := s.updateLocked(func(b bucket) error {
		for _, r := range pending {
			r.State, r.Updated = stateReady, s.now()
			if err := b.put(r); err != nil {
				return err
			}
		}
		return nil
	})
	s.changed()
	return err
}

// Recovered returns the live and pending calls an earlier run left.
func (s *Store) Recovered() (live, pending []core.CallSummary) {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.viewLocked(func(r record) error {
		switch r.State {
		case stateLive:
			live = append(live, r.summary())
		case statePending:
			pending = append(pending, r.summary())
		}
		return nil
	})
	if err != nil {
		s.log.Error("call outbox: cannot read what the last run left", "err", err)
	}
	return live, pending
}

func orStop(err error) error {
	if err != nil {
		return err
	}
	return errStop
}

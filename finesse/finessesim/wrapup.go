package finessesim

// wrapUpEnabled reports whether a setting asks for wrap-up after incoming calls.
func wrapUpEnabled(mode string) bool {
	return mode == "REQUIRED" || mode == "REQUIRED_WITH_WRAP_UP_DATA" || mode == "OPTIONAL"
}

// postCallLocked moves an agent whose last live call ended to the post-call
// state (reference §4.3, §8.7, §8.8): a pending LOGOUT; wrap-up (WORK_READY,
// or WORK when NOT_READY was requested) after an answered routed call; a
// pending NOT_READY/READY; otherwise the state from before the call.
func (s *Sim) postCallLocked(a *agent, st *step) {
	pend, pendRC := a.pending, a.pendingRC
	wrap := a.wrapEligible && wrapUpEnabled(a.cfg.WrapUpOnIncoming)
	a.pending, a.pendingRC, a.wrapEligible = "", "", false
	switch {
	case pend == stLogout:
		s.setStateLocked(a, stLogout, pendRC, st)
	case wrap:
		s.startWrapLocked(a, pend, pendRC, st)
	case pend == stNotReady:
		s.setStateLocked(a, stNotReady, pendRC, st)
	case pend == stReady:
		s.setStateLocked(a, stReady, reasonNone, st)
	case a.preCall == stReady:
		s.setStateLocked(a, stReady, reasonNone, st)
	default:
		rc := a.preCallRC
		if rc == "" {
			rc = reasonNone
		}
		s.setStateLocked(a, stNotReady, rc, st)
	}
}

// startWrapLocked enters wrap-up and arms Config.WrapUpTimer.
func (s *Sim) startWrapLocked(a *agent, pend, pendRC string, st *step) {
	state, next, nextRC := stWorkReady, stReady, reasonNone
	if pend == stNotReady {
		state, next, nextRC = stWork, stNotReady, pendRC
	}
	if s.cfg.Deployment == UCCX {
		state = stWork // UCCX has no WORK_READY
	}
	if nextRC == "" {
		nextRC = reasonNone
	}
	s.setStateLocked(a, state, nextRC, st)
	a.wrapGen++
	if s.cfg.WrapUpTimer <= 0 {
		return
	}
	gen := a.wrapGen
	s.afterLocked(s.cfg.WrapUpTimer, func() {
		if a.wrapGen != gen || !inWrapUp(a.state) {
			return
		}
		tst := s.newStep("", false)
		s.endWrapLocked(a, tst)
		s.setStateLocked(a, next, nextRC, tst)
		s.flushLocked(tst)
	})
}

// endWrapLocked cancels the wrap-up timer and DELETEs dialogs kept in the
// collection during wrap-up (Config.KeepDialogInWrapUp).
func (s *Sim) endWrapLocked(a *agent, st *step) {
	a.wrapGen++
	for _, id := range append([]string(nil), a.dialogs...) {
		d := s.dialogs[id]
		if p := d.agentParty(a.cfg.ID); p != nil && p.state == psWrapUp {
			s.setPartyLocked(p, psDropped, "")
			st.dialogsEvent(d, a, "DELETE")
			a.removeDialog(id)
			s.gcDialogLocked(d)
		}
	}
}

// gcDialogLocked forgets a finished dialog nobody holds any more; GET then
// answers 404 (reference §8.12).
func (s *Sim) gcDialogLocked(d *dialog) {
	for _, a := range s.agents {
		if a.hasDialog(d.id) {
			return
		}
	}
	delete(s.dialogs, d.id)
}

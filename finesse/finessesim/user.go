package finessesim

// errInvalidState is the reference's 400 Invalid State body (§2.2, §8.5).
func errInvalidState() error {
	return badRequest("Invalid State", "Invalid State specified for user", "state")
}

func inCall(state string) bool {
	return state == stReserved || state == stTalking || state == stHold
}

func inWrapUp(state string) bool { return state == stWork || state == stWorkReady }

// userRequest applies a User PUT (reference §2.2, §4.3, §8.5, §8.8).
func (s *Sim) userRequest(id string, req reqUser, rid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.agents[id]
	st := s.newStep(rid, true)
	var err error
	switch req.State {
	case "":
		err = badRequest("Parameter Missing", "state is required", "state")
	case stLogin:
		err = s.loginLocked(a, req, st)
	case stReady:
		err = s.readyLocked(a, st)
	case stNotReady:
		err = s.notReadyLocked(a, req.ReasonCodeID, st)
	case stLogout:
		err = s.logoutLocked(a, req.ReasonCodeID, st)
	default:
		// RESERVED, TALKING, HOLD, WORK, WORK_READY are entered by the system only.
		err = badRequest("Invalid Input", "Invalid State specified for user", "state")
	}
	if err != nil {
		return err
	}
	s.flushLocked(st)
	return nil
}

func (s *Sim) loginLocked(a *agent, req reqUser, st *step) error {
	switch {
	case req.Extension == "":
		return badRequest("Parameter Missing", "extension is required", "extension")
	case req.Extension != a.cfg.Extension:
		// The simulator's only valid device for an agent is its configured extension.
		return badRequest("Invalid Input", "Invalid extension specified", "extension")
	}
	if err := s.phoneLoginLocked(a, req); err != nil {
		return err
	}
	if a.loggedIn() {
		// Signing in again re-authenticates and keeps the current state.
		st.user(a)
		return nil
	}
	a.extension = req.Extension
	a.pending = ""
	s.setStateLocked(a, stNotReady, reasonNone, st)
	return nil
}

func (s *Sim) readyLocked(a *agent, st *step) error {
	switch {
	case !a.loggedIn():
		return errInvalidState()
	case inCall(a.state):
		a.pending, a.pendingRC = stReady, reasonNone
		st.user(a)
		return nil
	case inWrapUp(a.state):
		s.endWrapLocked(a, st)
	}
	s.setStateLocked(a, stReady, reasonNone, st)
	return nil
}

// checkReason validates a reasonCodeId for a category; "" becomes -1 unless
// Config.RequireReasonCode demands one.
func (s *Sim) checkReason(category, id string) (string, error) {
	if id == "" || id == reasonNone {
		if s.cfg.RequireReasonCode {
			return "", badRequest("Parameter Missing", "reasonCodeId is required", "reasonCodeId")
		}
		return reasonNone, nil
	}
	if _, ok := reasonCode(category, id); !ok {
		return "", badRequest("Invalid Input", "Invalid reasonCodeId specified", "reasonCodeId")
	}
	return id, nil
}

func (s *Sim) notReadyLocked(a *agent, reason string, st *step) error {
	if !a.loggedIn() {
		return errInvalidState()
	}
	if reason == MaintenanceNoticeReason {
		a.maintenanceNotices++ // a notice, not a state change (maintenance.go)
		return nil
	}
	rc, err := s.checkReason("NOT_READY", reason)
	if err != nil {
		return err
	}
	switch {
	case inCall(a.state):
		a.pending, a.pendingRC = stNotReady, rc
		st.user(a)
		return nil
	case inWrapUp(a.state):
		s.endWrapLocked(a, st)
	}
	// NOT_READY -> NOT_READY with a new code is a valid change (§8.5).
	s.setStateLocked(a, stNotReady, rc, st)
	return nil
}

func (s *Sim) logoutLocked(a *agent, reason string, st *step) error {
	if !a.loggedIn() {
		return errInvalidState()
	}
	rc, err := s.checkReason("LOGOUT", reason)
	if err != nil {
		return err
	}
	if inCall(a.state) {
		a.pending, a.pendingRC = stLogout, rc
		st.user(a)
		return nil
	}
	// UCCE: LOGOUT only from NOT_READY. UCCX also allows READY (and wrap-up).
	if a.state != stNotReady && (s.cfg.Deployment == UCCE || a.state != stReady && !inWrapUp(a.state)) {
		return errInvalidState()
	}
	if inWrapUp(a.state) {
		s.endWrapLocked(a, st)
	}
	a.pending = ""
	s.setStateLocked(a, stLogout, rc, st)
	return nil
}

// beginCallLocked remembers the state to return to after the first call.
func (s *Sim) beginCallLocked(a *agent) {
	if len(a.dialogs) == 0 && (a.state == stReady || a.state == stNotReady) {
		a.preCall, a.preCallRC = a.state, a.reasonCodeID
	}
}

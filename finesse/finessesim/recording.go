package finessesim

import "slices"

// START_RECORDING (reference §2.4: UCCX only [doc]; Cisco's "Dialog—Start
// Recording"). What a real Finesse does after it is not verified: the
// simulator answers 202, notes the request on the dialog (Sim.Recording)
// and sends no notification; a participant that is not ACTIVE gets the
// asynchronous CF_INVALID_OBJECT_STATE error like any action it is not
// offered. UCCE answers 501, as before. Config.ListRecordingAction also
// lists START_RECORDING among an ACTIVE agent's actions (unverified either
// way).

const actStartRecording = "START_RECORDING"

// recordingLocked handles a START_RECORDING request on UCCX; handled is
// false for anything else.
func (s *Sim) recordingLocked(a *agent, d *dialog, req reqDialog, rid string) (handled bool, err error) {
	if req.RequestedAction != actStartRecording || s.cfg.Deployment != UCCX {
		return false, nil
	}
	switch {
	case req.TargetMediaAddress == "":
		return true, badRequest("Parameter Missing", "targetMediaAddress is required", "targetMediaAddress")
	case req.TargetMediaAddress != a.extension:
		return true, badRequest("Invalid Input", "targetMediaAddress must be the user's extension", "targetMediaAddress")
	}
	if p := d.agentParty(a.cfg.ID); p == nil || p.state != psActive {
		st := s.newStep(rid, false)
		st.apiError(a, d.id, "Generic Error", "CF_INVALID_OBJECT_STATE", "22")
		s.flushLocked(st)
		return true, nil
	}
	d.recording = true
	return true, nil
}

// withRecordingAction adds START_RECORDING to an ACTIVE agent's actions on
// UCCX when Config.ListRecordingAction is set.
func (s *Sim) withRecordingAction(acts []string) []string {
	if s.cfg.Deployment != UCCX || !s.cfg.ListRecordingAction || slices.Contains(acts, actStartRecording) {
		return acts
	}
	return append(acts, actStartRecording)
}

// Recording reports whether START_RECORDING was accepted on the dialog.
func (s *Sim) Recording(dialogID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.dialogs[dialogID]
	return d != nil && d.recording
}

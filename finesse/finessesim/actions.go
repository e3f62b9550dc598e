package finessesim

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// knownActions are the requestedAction values the simulator implements.
var knownActions = []string{"ANSWER", "HOLD", "RETRIEVE", "DROP", "TRANSFER_SST", "CONSULT_CALL",
	"TRANSFER", "CONFERENCE", "SEND_DTMF", "UPDATE_CALL_DATA"}

// dialogRequest applies a Dialog PUT (reference §2.4). Validation failures
// are synchronous 4xx; an action the participant is not offered right now is
// accepted (202) and fails asynchronously with Generic Error (§8.10).
func (s *Sim) dialogRequest(user, did string, req reqDialog, rid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.visibleDialogLocked(user, did)
	if err != nil {
		return err
	}
	a := s.agents[user]
	if handled, err := s.recordingLocked(a, d, req, rid); handled {
		return err // recording.go (UCCX)
	}
	if err := s.validateDialogReq(a, req); err != nil {
		return err
	}
	st := s.newStep(rid, false)
	p := d.agentParty(user)
	if p == nil || !slices.Contains(s.actionsLocked(d, p), req.RequestedAction) {
		st.apiError(a, d.id, "Generic Error", "CF_INVALID_OBJECT_STATE", "22")
		s.flushLocked(st)
		return nil
	}
	s.applyActionLocked(a, d, p, req, st)
	s.flushLocked(st)
	return nil
}

func (s *Sim) validateDialogReq(a *agent, req reqDialog) error {
	act := req.RequestedAction
	switch {
	case act == "":
		return badRequest("Parameter Missing", "requestedAction is required", "requestedAction")
	case slices.Contains([]string{"ACCEPT", "CLOSE", "REJECT", "START_RECORDING", "PARTICIPANT_DROP",
		"RECLASSIFY", "UPDATE_SCHEDULED_CALLBACK", "CANCEL_SCHEDULED_CALLBACK"}, act):
		return &apiErr{Status: http.StatusNotImplemented, Type: "Not Implemented",
			Message: "Action not supported by the simulator", Data: act}
	case !slices.Contains(knownActions, act):
		return badRequest("Invalid Input", "Invalid requestedAction specified", "requestedAction")
	case act == "UPDATE_CALL_DATA":
		if req.MediaProperties == nil {
			return badRequest("Parameter Missing", "mediaProperties is required", "mediaProperties")
		}
		return nil // needs no targetMediaAddress
	case req.TargetMediaAddress == "":
		return badRequest("Parameter Missing", "targetMediaAddress is required", "targetMediaAddress")
	case req.TargetMediaAddress != a.extension:
		return badRequest("Invalid Input", "targetMediaAddress must be the user's extension", "targetMediaAddress")
	case (act == "CONSULT_CALL" || act == "TRANSFER_SST") && req.ToAddress == "":
		return badRequest("Parameter Missing", "toAddress is required", "toAddress")
	case (act == "CONSULT_CALL" || act == "TRANSFER_SST") && req.ToAddress == a.extension:
		return badRequest("Invalid Destination", "Invalid destination specified", "toAddress")
	}
	return nil
}

func (s *Sim) applyActionLocked(a *agent, d *dialog, p *participant, req reqDialog, st *step) {
	switch req.RequestedAction {
	case "ANSWER":
		s.answerLocked(d, p, st)
	case "HOLD", "RETRIEVE":
		state := psHeld
		if req.RequestedAction == "RETRIEVE" {
			state = psActive
		}
		s.setPartyLocked(p, state, "")
		st.dialogToAll(d)
		s.syncAgentLocked(a, st)
	case "DROP":
		s.dropPartyLocked(d, p, st)
	case "SEND_DTMF":
		s.sendDTMFLocked(a, d, req, st)
	case "UPDATE_CALL_DATA":
		s.updateCallDataLocked(a, d, req.MediaProperties, st)
	case "CONSULT_CALL":
		s.consultLocked(a, d, p, req.ToAddress, st)
	case "TRANSFER":
		s.completeConsultLocked(a, d, false, st)
	case "CONFERENCE":
		s.completeConsultLocked(a, d, true, st)
	case "TRANSFER_SST":
		s.singleStepLocked(a, d, p, req.ToAddress, st)
	}
}

// sendDTMFLocked records the digits; UCCX accepts only 0-9*# (§2.4). A
// successful DTMF changes nothing visible, so no event is published.
func (s *Sim) sendDTMFLocked(a *agent, d *dialog, req reqDialog, st *step) {
	digits := ""
	for _, ap := range req.ActionParams {
		if ap.Name == "dtmfString" {
			digits = ap.Value
		}
	}
	valid := digits != ""
	if s.cfg.Deployment == UCCX {
		valid = valid && strings.Trim(digits, "0123456789*#") == ""
	}
	if !valid {
		st.apiError(a, d.id, "Generic Error", "CF_VALUE_OUT_OF_RANGE", "dtmfString")
		return
	}
	d.dtmf += digits
}

// updateCallDataLocked applies UPDATE_CALL_DATA (§3.4): callVariable1-10 of
// at most 40 bytes, user.* ECC variables (2000 bytes in total), and the
// wrap-up reason (a label of at most 39 bytes). Errors are asynchronous
// Invalid Input and change nothing.
func (s *Sim) updateCallDataLocked(a *agent, d *dialog, mp *reqMediaProps, st *step) {
	ecc := 0
	for _, v := range mp.CallVariables {
		if msg := checkVar(v); msg != "" {
			st.apiError(a, d.id, "Invalid Input", msg, v.Name)
			return
		}
		if strings.HasPrefix(v.Name, "user.") {
			ecc += len(v.Name) + len(v.Value)
		}
	}
	if ecc > 2000 {
		st.apiError(a, d.id, "Invalid Input", "ECC variables exceed 2000 bytes", "callvariables")
		return
	}
	if mp.WrapUpReason != nil && len(*mp.WrapUpReason) > 39 {
		st.apiError(a, d.id, "Invalid Input", "wrapUpReason exceeds 39 bytes", "wrapUpReason")
		return
	}
	for _, v := range mp.CallVariables {
		i := slices.IndexFunc(d.vars, func(x Var) bool { return x.Name == v.Name })
		if i < 0 {
			d.vars = append(d.vars, Var(v))
		} else {
			d.vars[i].Value = v.Value
		}
	}
	if mp.WrapUpReason != nil {
		d.wrapUpReason = *mp.WrapUpReason
	}
	st.dialogToAll(d)
}

func checkVar(v wireVar) string {
	if n, ok := strings.CutPrefix(v.Name, "callVariable"); ok {
		i, err := strconv.Atoi(n)
		if err != nil || i < 1 || i > 10 {
			return "Invalid call variable name"
		}
		if len(v.Value) > 40 {
			return "Call variable value exceeds 40 bytes"
		}
		return ""
	}
	if strings.HasPrefix(v.Name, "user.") && len(v.Name) > len("user.") {
		return ""
	}
	return "Invalid call variable name"
}

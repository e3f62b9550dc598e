package finessesim

import (
	"cmp"
	"strings"
	"time"
)

// Magic destination numbers (documented in doc.go):
//   - any number containing "BUSY" (e.g. "555-BUSY") fails with stateCause BUSY;
//   - any number starting with "0000" fails with stateCause BAD_DESTINATION;
//   - a signed-in agent's extension rings that agent, who must ANSWER;
//   - anything else is an external party that answers after
//     Config.ExternalAnswerDelay plus a seeded jitter.
func (s *Sim) classifyLocked(to string) (kind string, target *agent) {
	switch {
	case strings.Contains(strings.ToUpper(to), "BUSY"):
		return "BUSY", nil
	case strings.HasPrefix(to, "0000"):
		return "BAD_DESTINATION", nil
	}
	for _, id := range s.order {
		if a := s.agents[id]; a.loggedIn() && a.extension == to {
			return "agent", a
		}
	}
	return "external", nil
}

// makeCall applies a Dialogs POST MAKE_CALL (reference §2.3, §8.11).
func (s *Sim) makeCall(id string, req reqDialog, rid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.agents[id]
	if err := s.validateMakeCall(a, req); err != nil {
		return err
	}
	if a.state == stReady {
		// UCCE 12.5: calling from READY moves the agent to NOT_READY 50006.
		st := s.newStep(rid, true)
		s.setStateLocked(a, stNotReady, reasonOutboundCall, st)
		s.flushLocked(st)
	}
	kind, _ := s.classifyLocked(req.ToAddress)
	d := s.newDialogLocked()
	d.from, d.to, d.dialed, d.callType, d.state = a.extension, req.ToAddress, req.ToAddress, "OUT", psInitiating
	if kind == "agent" {
		d.callType = "AGENT_INSIDE"
	}
	if req.MediaProperties != nil {
		for _, v := range req.MediaProperties.CallVariables {
			d.vars = append(d.vars, Var(v))
		}
	}
	d.parts = []*participant{s.newPartyLocked(a.extension, id, psInitiating)}
	st := s.newStep(rid, false)
	s.beginCallLocked(a)
	a.dialogs = append(a.dialogs, d.id)
	st.dialogsEvent(d, a, "POST")
	s.syncAgentLocked(a, st)
	s.flushLocked(st)
	s.dialLocked(a, d, req.ToAddress, rid)
	return nil
}

func (s *Sim) validateMakeCall(a *agent, req reqDialog) error {
	switch {
	case req.RequestedAction == "":
		return badRequest("Parameter Missing", "requestedAction is required", "requestedAction")
	case req.RequestedAction != "MAKE_CALL":
		return badRequest("Invalid Input", "Invalid requestedAction specified", "requestedAction")
	case req.FromAddress == "":
		return badRequest("Parameter Missing", "fromAddress is required", "fromAddress")
	case req.ToAddress == "":
		return badRequest("Parameter Missing", "toAddress is required", "toAddress")
	case req.FromAddress == req.ToAddress:
		return badRequest("Invalid Destination", "Invalid destination specified", "toAddress")
	case req.FromAddress != a.extension:
		return badRequest("Invalid Input", "fromAddress must be the user's extension", "fromAddress")
	case s.cfg.Deployment == UCCX && req.MediaProperties != nil:
		return badRequest("Invalid Input", "mediaProperties not allowed", "mediaProperties")
	case a.state == stNotReady, a.state == stReady && s.cfg.Deployment == UCCE:
		return nil
	}
	return errInvalidState()
}

// dialLocked moves a freshly POSTed outgoing dialog through INITIATED and
// then FAILED, or ALERTING (POSTed to a target agent), as separate steps.
func (s *Sim) dialLocked(a *agent, d *dialog, to, rid string) {
	p := d.agentParty(a.cfg.ID)
	st := s.newStep(rid, false)
	s.setPartyLocked(p, psInitiated, "")
	d.state = psInitiated
	st.dialogPut(d, a)
	s.flushLocked(st)

	st = s.newStep(rid, false)
	kind, target := s.classifyLocked(to)
	switch kind {
	case "BUSY", "BAD_DESTINATION":
		s.setPartyLocked(p, psFailed, kind)
		d.state = psFailed
		st.dialogPut(d, a)
	case "agent":
		d.parts = append(d.parts, s.newPartyLocked(to, target.cfg.ID, psAlerting))
		d.state = psAlerting
		st.dialogToAll(d)
		s.beginCallLocked(target)
		target.dialogs = append(target.dialogs, d.id)
		st.dialogsEvent(d, target, "POST")
	default:
		far := s.newPartyLocked(to, "", psAlerting)
		d.parts = append(d.parts, far)
		d.state = psAlerting
		st.dialogToAll(d)
		s.externalAnswerLocked(d, far)
	}
	s.flushLocked(st)
}

// externalAnswerLocked answers for an external party after a seeded delay.
func (s *Sim) externalAnswerLocked(d *dialog, far *participant) {
	base := s.cfg.ExternalAnswerDelay
	delay := base + time.Duration(s.rng.Int64N(int64(base)+1))
	s.afterLocked(delay, func() {
		if s.dialogs[d.id] != d || far.state != psAlerting {
			return
		}
		st := s.newStep("", false)
		s.answerLocked(d, far, st)
		s.flushLocked(st)
	})
}

// consultLocked holds the active call and dials a consult call (§3.6).
func (s *Sim) consultLocked(a *agent, orig *dialog, p *participant, to string, st *step) {
	s.setPartyLocked(p, psHeld, "")
	st.dialogToAll(orig)
	c := s.newDialogLocked()
	c.from, c.to, c.dialed, c.callType, c.state = a.extension, to, to, cmp.Or(s.cfg.ConsultCallType, "CONSULT"), psInitiating
	c.assocID, orig.assocID = orig.id, c.id
	c.vars = append([]Var(nil), orig.vars...)
	c.parts = []*participant{s.newPartyLocked(a.extension, a.cfg.ID, psInitiating)}
	a.dialogs = append(a.dialogs, c.id)
	st.dialogsEvent(c, a, "POST")
	s.syncAgentLocked(a, st)
	s.flushLocked(st)
	s.dialLocked(a, c, to, st.rid)
}

// completeConsultLocked finishes a consult with TRANSFER or CONFERENCE, PUT
// on the held original (§3.6, §8.10). The original survives with
// secondaryId = the consult dialog's id. On transfer the requesting agent
// gets DELETEs for both dialogs; the consulted agent gets a DELETE of the
// consult dialog and a POST of the original.
func (s *Sim) completeConsultLocked(a *agent, orig *dialog, conference bool, st *step) {
	c := s.activeConsultLocked(orig, a.cfg.ID)
	joined := s.mergeConsultLocked(a, orig, c)
	own := orig.agentParty(a.cfg.ID)
	if conference {
		s.setPartyLocked(own, psActive, "")
		orig.callType = "CONFERENCE"
	} else {
		s.setPartyLocked(own, psDropped, "")
	}
	st.dialogsEvent(c, a, "DELETE")
	a.removeDialog(c.id)
	for _, b := range joined {
		st.dialogsEvent(c, b, "DELETE")
		b.removeDialog(c.id)
	}
	if conference {
		st.dialogToAll(orig)
	} else {
		s.leaveDialogLocked(a, orig, st)
		st.dialogToAll(orig)
	}
	for _, b := range joined {
		b.wrapEligible = b.wrapEligible || orig.routed && s.cfg.WrapUpAfterTransferIn
		b.dialogs = append(b.dialogs, orig.id)
		st.dialogsEvent(orig, b, "POST")
		s.syncAgentLocked(b, st)
	}
	s.syncAgentLocked(a, st)
	s.gcDialogLocked(c)
	s.gcDialogLocked(orig)
}

// singleStepLocked redirects the call to another number (TRANSFER_SST): the
// agent leaves (DELETE); a target agent gets the dialog POSTed ALERTING.
func (s *Sim) singleStepLocked(a *agent, d *dialog, p *participant, to string, st *step) {
	kind, target := s.classifyLocked(to)
	if kind == "BUSY" || kind == "BAD_DESTINATION" {
		st.apiError(a, d.id, "Generic Error", "CF_INVALID_DESTINATION", to)
		return
	}
	s.setPartyLocked(p, psDropped, "")
	if target != nil {
		d.parts = append(d.parts, s.newPartyLocked(to, target.cfg.ID, psAlerting))
		d.state = psAlerting
	} else {
		d.parts = append(d.parts, s.newPartyLocked(to, "", psActive))
	}
	st.dialogToAll(d)
	s.leaveDialogLocked(a, d, st)
	if target != nil {
		s.beginCallLocked(target)
		target.dialogs = append(target.dialogs, d.id)
		st.dialogsEvent(d, target, "POST")
	}
	s.gcDialogLocked(d)
}

// mergeConsultLocked moves the consulted parties into the original dialog
// as ACTIVE, drops the consult dialog, and returns the agents who joined.
func (s *Sim) mergeConsultLocked(a *agent, orig, c *dialog) []*agent {
	orig.secondaryID, orig.assocID = c.id, ""
	var joined []*agent
	for _, q := range c.parts {
		if q.agentID == a.cfg.ID || q.state == psDropped {
			continue
		}
		orig.parts = append(orig.parts, s.newPartyLocked(q.addr, q.agentID, psActive))
		if q.agentID != "" {
			joined = append(joined, s.agents[q.agentID])
		}
	}
	for _, q := range c.parts {
		s.setPartyLocked(q, psDropped, "")
	}
	c.state = psDropped
	return joined
}

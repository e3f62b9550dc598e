package finessesim

import (
	"fmt"
	"strconv"
)

// newDialogLocked allocates a dialog with the next numeric id.
func (s *Sim) newDialogLocked() *dialog {
	s.nextDialog++
	d := &dialog{id: strconv.FormatInt(s.nextDialog, 10)}
	s.dialogs[d.id] = d
	return d
}

func (s *Sim) newPartyLocked(addr, agentID, state string) *participant {
	now := s.now()
	return &participant{addr: addr, agentID: agentID, state: state, start: now, change: now}
}

// InjectCall delivers an inbound routed call (reference §8.6): User PUT
// RESERVED, then a Dialogs POST with the dialog ALERTING. It routes to
// c.AgentID, which must be READY, or else to the longest-READY agent.
func (s *Sim) InjectCall(c CallSpec) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.pickAgentLocked(c.AgentID)
	if err != nil {
		return "", err
	}
	qid, qname, err := findQueue(c.Queue)
	if err != nil {
		return "", err
	}
	d := s.newDialogLocked()
	d.from, d.to = orDefault(c.ANI, "4085550100"), orDefault(c.DNIS, "8000")
	d.dnis, d.dialed, d.queueNumber, d.queueName = d.to, d.to, qid, qname
	d.callType, d.routed, d.state = c.CallType, true, psAlerting
	if d.callType == "" {
		d.callType = map[string]string{UCCE: "PREROUTE_ACD_IN", UCCX: "ACD_IN"}[s.cfg.Deployment]
	}
	d.vars = append([]Var(nil), c.Variables...)
	d.parts = []*participant{s.newPartyLocked(a.extension, a.cfg.ID, psAlerting), s.newPartyLocked(d.from, "", psInitiated)}
	st := s.newStep("", true)
	s.beginCallLocked(a)
	s.setStateLocked(a, stReserved, a.reasonCodeID, st)
	a.dialogs = append(a.dialogs, d.id)
	st.dialogsEvent(d, a, "POST")
	s.flushLocked(st)
	s.armRingNoAnswerLocked(a, d)
	return d.id, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func findQueue(q string) (id, name string, err error) {
	if q == "" {
		return queues[0].ID, queues[0].Name, nil
	}
	for _, x := range queues {
		if x.ID == q || x.Name == q {
			return x.ID, x.Name, nil
		}
	}
	return "", "", fmt.Errorf("finessesim: unknown queue %q", q)
}

// pickAgentLocked returns the named READY agent, or the agent READY longest.
func (s *Sim) pickAgentLocked(id string) (*agent, error) {
	if id != "" {
		a := s.agents[id]
		if a == nil {
			return nil, fmt.Errorf("%w: %q", ErrUnknownAgent, id)
		}
		if a.state != stReady {
			return nil, fmt.Errorf("%w: %s is %s", ErrAgentNotReady, id, a.state)
		}
		return a, nil
	}
	var best *agent
	for _, aid := range s.order {
		a := s.agents[aid]
		if a.state == stReady && (best == nil || a.stateChange.Before(best.stateChange)) {
			best = a
		}
	}
	if best == nil {
		return nil, ErrNoReadyAgent
	}
	return best, nil
}

// armRingNoAnswerLocked withdraws the call if it is still ringing after
// Config.RingNoAnswer (reference §8.9 [?]).
func (s *Sim) armRingNoAnswerLocked(a *agent, d *dialog) {
	if s.cfg.RingNoAnswer <= 0 {
		return
	}
	a.rnaGen++
	gen := a.rnaGen
	s.afterLocked(s.cfg.RingNoAnswer, func() {
		p := d.agentParty(a.cfg.ID)
		if a.rnaGen != gen || s.dialogs[d.id] != d || p == nil || p.state != psAlerting {
			return
		}
		st := s.newStep("", false)
		for _, q := range d.parts {
			s.setPartyLocked(q, psDropped, "")
		}
		d.state = psDropped
		st.dialogsEvent(d, a, "DELETE")
		a.removeDialog(d.id)
		s.gcDialogLocked(d)
		a.pending, a.wrapEligible = "", false
		if s.cfg.RNAReady {
			s.setStateLocked(a, stReady, reasonNone, st)
		} else {
			s.setStateLocked(a, stNotReady, reasonRingNoAnswer, st)
		}
		s.flushLocked(st)
	})
}

// HangUp makes the far end of a dialog hang up (reference §3.6).
func (s *Sim) HangUp(dialogID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.dialogs[dialogID]
	if d == nil {
		return fmt.Errorf("%w: %q", ErrUnknownDialog, dialogID)
	}
	var far *participant
	for _, p := range d.parts {
		if p.state == psDropped || p.state == psWrapUp {
			continue
		}
		if far == nil || p.agentID == "" && far.agentID != "" {
			far = p
		}
	}
	if far == nil {
		return fmt.Errorf("%w: %q has no live party", ErrUnknownDialog, dialogID)
	}
	st := s.newStep("", false)
	s.dropPartyLocked(d, far, st)
	s.flushLocked(st)
	return nil
}

// answerLocked connects a ringing participant: everyone still setting up
// becomes ACTIVE, and so does the dialog.
func (s *Sim) answerLocked(d *dialog, p *participant, st *step) {
	for _, q := range d.parts {
		if q == p || q.state == psAlerting || q.state == psInitiated || q.state == psInitiating {
			s.setPartyLocked(q, psActive, "")
		}
	}
	d.state = psActive
	if p.agentID != "" {
		a := s.agents[p.agentID]
		a.rnaGen++
		if d.routed {
			a.wrapEligible = true
		}
	}
	st.dialogToAll(d)
	s.republishAssociatedLocked(d, st)
	s.syncAgentsLocked(d, st)
}

// republishAssociatedLocked sends a Dialog PUT for the call associated with
// consult dialog d: the held original's actions depend on d (TRANSFER and
// CONFERENCE appear once the consult is ACTIVE and go when it ends), and
// Finesse publishes a dialog whenever its actions change (reference §6.3).
func (s *Sim) republishAssociatedLocked(d *dialog, st *step) {
	if d.assocID == "" {
		return
	}
	if orig := s.dialogs[d.assocID]; orig != nil && orig.state != psDropped {
		st.dialogToAll(orig)
	}
}

// syncAgentsLocked re-derives the User state of every agent on d.
func (s *Sim) syncAgentsLocked(d *dialog, st *step) {
	for _, p := range d.parts {
		if p.agentID != "" {
			s.syncAgentLocked(s.agents[p.agentID], st)
		}
	}
}

// syncAgentLocked derives an agent's User state from its calls: TALKING if
// any leg is active or dialing, HOLD (UCCE) if all are held, RESERVED while
// a routed call rings. UCCX agents on non-routed calls keep their state.
func (s *Sim) syncAgentLocked(a *agent, st *step) {
	legs := map[string]bool{}
	for _, id := range a.dialogs {
		legs[s.legLocked(a, s.dialogs[id])] = true
	}
	want := ""
	switch {
	case legs[stTalking]:
		want = stTalking
	case legs[stHold] && s.cfg.Deployment == UCCE:
		want = stHold
	case legs[stHold]:
		want = stTalking
	case legs[stReserved]:
		want = stReserved
	}
	if want != "" && want != a.state {
		s.setStateLocked(a, want, a.reasonCodeID, st)
	}
}

// legLocked classifies the agent's leg of d as the User state it implies
// (TALKING, HOLD, RESERVED) or "" when it implies none.
func (s *Sim) legLocked(a *agent, d *dialog) string {
	p := d.agentParty(a.cfg.ID)
	if p == nil || s.cfg.Deployment == UCCX && !d.routed {
		return ""
	}
	switch p.state {
	case psActive, psInitiating, psInitiated, psFailed:
		return stTalking
	case psHeld:
		return stHold
	case psAlerting:
		if d.routed {
			return stReserved
		}
	}
	return ""
}

// dropPartyLocked takes one party off a call (reference §3.6): a PUT with
// it DROPPED; if fewer than two parties remain, the rest drop, the dialog
// goes DROPPED (PUT) and every agent gets the DELETE and its post-call state.
func (s *Sim) dropPartyLocked(d *dialog, p *participant, st *step) {
	s.setPartyLocked(p, psDropped, "")
	st.dialogToAll(d)
	if d.live() >= 2 {
		if p.agentID != "" {
			s.leaveDialogLocked(s.agents[p.agentID], d, st)
		}
		s.gcDialogLocked(d)
		return
	}
	for _, q := range d.parts {
		if q.state != psDropped && q.state != psWrapUp {
			s.setPartyLocked(q, psDropped, "")
		}
	}
	d.state = psDropped
	st.dialogToAll(d)
	s.republishAssociatedLocked(d, st)
	for _, id := range s.order {
		if a := s.agents[id]; a.hasDialog(d.id) {
			s.leaveDialogLocked(a, d, st)
		}
	}
	s.gcDialogLocked(d)
}

// leaveDialogLocked removes a finished dialog from an agent's collection
// (DELETE), or keeps it with the agent in WRAP_UP (Config.KeepDialogInWrapUp),
// and applies the post-call state once the agent has no live call left.
func (s *Sim) leaveDialogLocked(a *agent, d *dialog, st *step) {
	keep := s.cfg.KeepDialogInWrapUp && d.routed && a.wrapEligible && wrapUpEnabled(a.cfg.WrapUpOnIncoming)
	if p := d.agentParty(a.cfg.ID); keep && p != nil {
		s.setPartyLocked(p, psWrapUp, "")
		st.dialogPut(d, a)
	} else {
		st.dialogsEvent(d, a, "DELETE")
		a.removeDialog(d.id)
	}
	if !s.hasLiveCallLocked(a) && inCall(a.state) {
		s.postCallLocked(a, st)
	} else {
		s.syncAgentLocked(a, st)
	}
}

// hasLiveCallLocked reports whether the agent is still on any call leg.
func (s *Sim) hasLiveCallLocked(a *agent) bool {
	for _, id := range a.dialogs {
		p := s.dialogs[id].agentParty(a.cfg.ID)
		if p != nil && p.state != psDropped && p.state != psWrapUp {
			return true
		}
	}
	return false
}

package finessesim

import "fmt"

// SetInService switches a node between IN_SERVICE and OUT_OF_SERVICE
// (reference §7.3, §8.2, §8.13). Out of service: a SystemInfo PUT is
// published on the node, REST answers 503 SERVER_OUT_OF_SERVICE (SystemInfo
// excepted) and no other events reach the node's sessions. Back in service:
// a SystemInfo PUT, then the current User state of every signed-in agent and
// a Dialog PUT for each of its dialogs are republished to that node.
func (s *Sim) SetInService(id NodeID, in bool) error {
	n, err := s.node(id)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if n.inService == in {
		return nil
	}
	n.inService = in
	si := encodeRoot(s.wireSystemInfoLocked(n), "systemInfo")
	s.deliverLocked(event{nodeID: n.id, pubsubNode: "/finesse/api/SystemInfo",
		doc: updateDoc(si, "PUT", "", "/finesse/api/SystemInfo")})
	if !in {
		return nil
	}
	for _, aid := range s.order {
		a := s.agents[aid]
		if !a.loggedIn() {
			continue
		}
		st := s.newStep("", true)
		st.user(a)
		for _, did := range a.dialogs {
			st.dialogPut(s.dialogs[did], a)
		}
		for _, ev := range append(st.users, st.dialogs...) {
			if ev.subNode == "" {
				s.deliverToNodeLocked(ev, n)
			}
		}
	}
	return nil
}

// deliverToNodeLocked delivers an agent event to one node's sessions only.
func (s *Sim) deliverToNodeLocked(ev event, n *Node) {
	s.seq++
	m := outMsg{pubsubNode: ev.pubsubNode, doc: ev.doc, id: s.seq}
	for x := range s.sessions {
		if x.node == n && x.agentID == ev.agentID {
			x.enqueue(m)
		}
	}
	if s.onPublish != nil {
		s.onPublish(ev.pubsubNode, s.now())
	}
}

// KillNode closes a node's listeners and connections (REST and XMPP), so it
// looks like a dead server. The call model lives on.
func (s *Sim) KillNode(id NodeID) error {
	n, err := s.node(id)
	if err != nil {
		return err
	}
	n.stop()
	return nil
}

// RestoreNode listens again on the same ports.
func (s *Sim) RestoreNode(id NodeID) error {
	n, err := s.node(id)
	if err != nil {
		return err
	}
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return fmt.Errorf("finessesim: restore node %s: simulator closed", id)
	}
	if err := n.listen(); err != nil {
		return fmt.Errorf("finessesim: restore node %s: %w", id, err)
	}
	return nil
}

// DropXMPP cuts every XMPP session on a node; the listeners stay open.
func (s *Sim) DropXMPP(id NodeID) error {
	n, err := s.node(id)
	if err != nil {
		return err
	}
	s.mu.Lock()
	var victims []*xsession
	for x := range s.sessions {
		if x.node == n {
			victims = append(victims, x)
		}
	}
	s.mu.Unlock()
	for _, x := range victims {
		x.kill()
	}
	return nil
}

// SetRESTFault makes a node's REST answer with a status and/or latency.
func (s *Sim) SetRESTFault(id NodeID, f Fault) error {
	n, err := s.node(id)
	if err != nil {
		return err
	}
	n.mu.Lock()
	n.fault = f
	n.mu.Unlock()
	return nil
}

// Agent returns a snapshot of one agent.
func (s *Sim) Agent(id string) (AgentInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.agents[id]
	if a == nil {
		return AgentInfo{}, false
	}
	return agentInfo(a), true
}

// Agents returns snapshots of every agent in configuration order.
func (s *Sim) Agents() []AgentInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]AgentInfo, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, agentInfo(s.agents[id]))
	}
	return out
}

func agentInfo(a *agent) AgentInfo {
	return AgentInfo{ID: a.cfg.ID, Extension: a.extension, State: a.state, PendingState: a.pending,
		ReasonCodeID: a.reasonCodeID, Present: a.present, Dialogs: append([]string{}, a.dialogs...),
		MaintenanceNotices: a.maintenanceNotices}
}

// Dialogs returns snapshots of every live dialog, ordered by id.
func (s *Sim) Dialogs() []DialogInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]DialogInfo, 0, len(s.dialogs))
	for _, d := range s.dialogs {
		di := DialogInfo{ID: d.id, State: d.state, From: d.from, To: d.to, CallType: d.callType,
			SecondaryID: d.secondaryID, WrapUpReason: d.wrapUpReason, DTMF: d.dtmf,
			Variables: append([]Var{}, d.vars...)}
		for _, p := range d.parts {
			di.Participants = append(di.Participants, ParticipantInfo{Address: p.addr, AgentID: p.agentID, State: p.state})
		}
		out = append(out, di)
	}
	sortDialogs(out)
	return out
}

// SetFinessePresence flips the presence of the node's "finesse" XMPP user
// (finesse@<domain>/finesse). Clients treat a node whose finesse user is
// unavailable as unusable (reference §7.1–7.2, §8.3). Each session receives
// that presence after its own initial presence, and on every change.
func (s *Sim) SetFinessePresence(id NodeID, available bool) error {
	n, err := s.node(id)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if n.finesseDown == !available {
		return nil
	}
	n.finesseDown = !available
	for x := range s.sessions {
		if x.node == n && x.sentPresent {
			x.enqueue(outMsg{stanza: s.finessePresenceLocked(x)})
		}
	}
	return nil
}

func (s *Sim) finessePresenceLocked(x *xsession) presenceOut {
	p := presenceOut{From: "finesse@" + x.node.domain + "/finesse", To: x.full.String()}
	if x.node.finesseDown {
		p.Type = "unavailable"
	}
	return p
}

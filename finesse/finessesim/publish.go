package finessesim

import "time"

// event is one notification before it is addressed to sessions.
type event struct {
	agentID    string // target agent; "" for a node's SystemInfo event
	subNode    string // if set: target every session subscribed to this node
	nodeID     NodeID // target node for SystemInfo events
	pubsubNode string
	doc        string // the Update document (escaped on the wire)
}

// step collects the notifications of one step of the call model so that the
// relative order of User and Dialog events can follow Config.EventOrder.
type step struct {
	s         *Sim
	rid       string // requestId of the causing request ("" = unsolicited)
	userFirst bool   // the reference order for this step
	users     []event
	dialogs   []event
}

func (s *Sim) newStep(rid string, userFirst bool) *step {
	return &step{s: s, rid: rid, userFirst: userFirst}
}

func userNode(id string) string    { return "/finesse/api/User/" + id }
func dialogsNode(id string) string { return "/finesse/api/User/" + id + "/Dialogs" }
func dialogURI(id string) string   { return "/finesse/api/Dialog/" + id }

// user queues a User PUT with a's current state.
func (st *step) user(a *agent) {
	id := a.cfg.ID
	doc := updateDoc(encodeRoot(st.s.wireUserLocked(a), "user"), "PUT", st.rid, userNode(id))
	st.users = append(st.users, event{agentID: id, pubsubNode: userNode(id), doc: doc})
	team := teamUsersNode(a.cfg.TeamID)
	doc = updateDoc(encodeRoot(st.s.wireTeamUserLocked(a), "user"), "PUT", "", userNode(id))
	st.users = append(st.users, event{subNode: team, pubsubNode: team, doc: doc})
}

// dialogPut queues a Dialog PUT of d to agent a.
func (st *step) dialogPut(d *dialog, a *agent) {
	id := a.cfg.ID
	doc := updateDoc(encodeRoot(st.s.wireDialogLocked(d), "dialog"), "PUT", st.rid, dialogURI(d.id))
	st.dialogs = append(st.dialogs, event{agentID: id, pubsubNode: dialogsNode(id), doc: doc})
}

// dialogsEvent queues a Dialogs collection POST or DELETE of d to agent a.
func (st *step) dialogsEvent(d *dialog, a *agent, verb string) {
	id := a.cfg.ID
	data := encodeRoot(wireDialogs{Dialogs: []wireDialog{st.s.wireDialogLocked(d)}}, "dialogs")
	doc := updateDoc(data, verb, st.rid, dialogsNode(id))
	st.dialogs = append(st.dialogs, event{agentID: id, pubsubNode: dialogsNode(id), doc: doc})
}

// apiError queues an asynchronous CTI error (reference §5) for agent a.
func (st *step) apiError(a *agent, dialogID, typ, msg, data string) {
	id := a.cfg.ID
	body := encodeRoot(wireAsyncErrors{Errors: []wireAsyncError{{ErrorData: data, ErrorMessage: msg, ErrorType: typ}}}, "apiErrors")
	doc := updateDoc(body, "PUT", st.rid, dialogURI(dialogID))
	st.dialogs = append(st.dialogs, event{agentID: id, pubsubNode: dialogsNode(id), doc: doc})
}

// dialogToAll queues a Dialog PUT of d to every agent whose collection holds it.
func (st *step) dialogToAll(d *dialog) {
	for _, id := range st.s.order {
		if a := st.s.agents[id]; a.hasDialog(d.id) {
			st.dialogPut(d, a)
		}
	}
}

// flushLocked delivers the step's events in the configured order.
func (s *Sim) flushLocked(st *step) {
	userFirst := st.userFirst
	switch s.cfg.EventOrder {
	case UserFirst:
		userFirst = true
	case DialogFirst:
		userFirst = false
	case Random:
		userFirst = s.rng.IntN(2) == 0
	}
	first, second := st.dialogs, st.users
	if userFirst {
		first, second = st.users, st.dialogs
	}
	for _, ev := range first {
		s.deliverLocked(ev)
	}
	for _, ev := range second {
		s.deliverLocked(ev)
	}
	st.users, st.dialogs = nil, nil
}

// deliverLocked hands one event to every matching session on in-service
// nodes. SystemInfo events go to their node even when it is out of service.
func (s *Sim) deliverLocked(ev event) {
	s.seq++
	m := outMsg{pubsubNode: ev.pubsubNode, doc: ev.doc, id: s.seq}
	if ev.subNode != "" {
		s.deliverSubscribedLocked(ev, m)
		return
	}
	for x := range s.sessions {
		if ev.agentID == "" {
			if x.node.id == ev.nodeID {
				x.enqueue(m)
			}
			continue
		}
		if x.agentID == ev.agentID && x.node.inService {
			x.enqueue(m)
		}
	}
	if s.onPublish != nil {
		s.onPublish(ev.pubsubNode, time.Now())
	}
}

func (s *Sim) addSession(x *xsession) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// A second session with the same full JID replaces the first, as in
	// Openfire's resource conflict handling.
	for old := range s.sessions {
		if old.full.Equal(x.full) {
			old.kill()
		}
	}
	s.sessions[x] = struct{}{}
}

func (s *Sim) removeSession(x *xsession) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, x)
	if a := s.agents[x.agentID]; a != nil {
		s.updatePresenceLocked(a)
	}
}

func (s *Sim) setPresence(x *xsession, available bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[x]; !ok {
		return
	}
	x.available = available
	if available && !x.sentPresent {
		x.sentPresent = true
		x.enqueue(outMsg{stanza: s.finessePresenceLocked(x)})
	}
	if a := s.agents[x.agentID]; a != nil {
		s.updatePresenceLocked(a)
	}
}

// updatePresenceLocked recomputes whether a has an available presence and
// arms or cancels the forced-logout timer (reference §7.3: 60 s after the
// presence goes away while signed in, logout with reason 255).
func (s *Sim) updatePresenceLocked(a *agent) {
	present := false
	for x := range s.sessions {
		if x.agentID == a.cfg.ID && x.available {
			present = true
		}
	}
	if present == a.present {
		return
	}
	a.present = present
	a.presenceGen++
	if present || !a.loggedIn() {
		return
	}
	gen := a.presenceGen
	s.afterLocked(s.cfg.ForcedLogoutGrace, func() {
		if a.presenceGen != gen || a.present || !a.loggedIn() {
			return
		}
		s.forcedLogoutLocked(a)
	})
}

// forcedLogoutLocked signs the agent out with reason 255. During a call the
// logout becomes pending and happens when the call ends.
func (s *Sim) forcedLogoutLocked(a *agent) {
	st := s.newStep("", true)
	if len(a.dialogs) > 0 {
		a.pending, a.pendingRC = stLogout, reasonForcedLogout
		st.user(a)
	} else {
		a.pending = ""
		s.setStateLocked(a, stLogout, reasonForcedLogout, st)
	}
	s.log.Info("forced logout", "agent", a.cfg.ID)
	s.flushLocked(st)
}

// deliverSubscribedLocked delivers an event of an explicitly subscribed node;
// the OnPublish hook sees it only if someone is subscribed.
func (s *Sim) deliverSubscribedLocked(ev event, m outMsg) {
	sent := false
	for x := range s.sessions {
		if x.subs[ev.subNode] && x.node.inService {
			x.enqueue(m)
			sent = true
		}
	}
	if sent && s.onPublish != nil {
		s.onPublish(ev.pubsubNode, time.Now())
	}
}

package core

import "slices"

// change records what one Update did to the model, so that pending
// commands can recognise their outcome in it.
type change struct {
	resync     bool
	agentSeen  bool          // the update carried the agent
	added      []string      // dialogs that appeared
	changed    []string      // dialogs that changed (added ones excluded)
	touched    []string      // dialogs still present an update was received for (in a resync: changed only)
	removed    []string      // dialogs that ended
	asyncError *FinesseError // the update was an asynchronous error
}

// Apply applies an update from the port to the model and publishes what
// changed. It implements [Sink]. It never blocks: it holds the session lock
// only for in-memory work and sends to watchers without waiting.
//
// Malformed updates (a missing payload, an empty dialog id) are logged and
// dropped; they change nothing.
func (s *Session) Apply(u Update) {
	if why := malformed(u); why != "" {
		s.log.Warn("update dropped", "kind", u.Kind, "reason", why)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := change{resync: u.Kind == UpdateResync}
	switch u.Kind {
	case UpdateAgent:
		s.applyAgentLocked(*u.Agent, &c)
	case UpdateDialog:
		s.upsertDialogLocked(cloneDialog(*u.Dialog), &c)
	case UpdateDialogRemoved:
		s.removeDialogLocked(u, &c)
	case UpdateSystem:
		s.applySystemLocked(*u.System)
	case UpdateError:
		s.applyErrorLocked(u, &c)
	case UpdateResync:
		s.resyncLocked(u, &c)
	case UpdateMedia:
		s.applyMediaLocked(u.Media)
	}
	s.settleLocked(u.RequestID, &c)
	s.reconcileLocked(u.RequestID, &c)
}

// malformed says what is wrong with u, or "" if nothing is. An error update
// without its error is dropped too: its request id must not read as success.
func malformed(u Update) string {
	switch {
	case u.Kind < UpdateAgent || u.Kind > UpdateMedia:
		return "unknown kind"
	case u.Kind == UpdateAgent && u.Agent == nil:
		return "no agent"
	case u.Kind == UpdateDialog && (u.Dialog == nil || u.Dialog.ID == ""):
		return "no dialog id"
	case u.Kind == UpdateSystem && u.System == nil:
		return "no system"
	case u.Kind == UpdateError && u.Err == nil:
		return "no error"
	}
	return ""
}

func (s *Session) applySystemLocked(sys System) {
	if s.sys == sys {
		return
	}
	s.sys = sys
	s.publishLocked(Event{Kind: EventSystem, System: &sys})
}

func (s *Session) applyAgentLocked(a Agent, c *change) {
	c.agentSeen = true
	old, oldExt := s.agent, s.extensionLocked()
	if agentEqual(old, a) {
		return
	}
	s.agent = a
	if s.outbox != nil && a.State != old.State && !busyOrWrapping(a.State) {
		// The wrap-up is over, or never came: records waiting for a
		// reason are offered without one.
		s.outboxErrLocked("settling wrap-up", s.outbox.Settle())
	}
	if old.LoggedIn() && !a.LoggedIn() {
		s.lists.invalidate()
	}
	s.publishLocked(Event{Kind: EventAgent, Agent: &a})
	if old.LoggedIn() && !a.LoggedIn() {
		s.signedOutLocked() // queue.go
	}
	if s.extensionLocked() != oldExt {
		s.refreshDialogsLocked(c)
	}
}

// refreshDialogsLocked recomputes every dialog's agent view after the
// agent's extension changed.
func (s *Session) refreshDialogsLocked(c *change) {
	// A scratch change in resync mode records only the dialogs whose view
	// really changed: an agent update must not read as a dialog update.
	scratch := change{resync: true}
	for _, e := range s.dialogs {
		s.upsertDialogLocked(e.d, &scratch)
	}
	c.changed = append(c.changed, scratch.changed...)
	c.touched = append(c.touched, scratch.touched...)
}

func (s *Session) findLocked(id string) (*dialogEntry, int) {
	for i, e := range s.dialogs {
		if e.d.ID == id {
			return e, i
		}
	}
	return nil, -1
}

func (s *Session) upsertDialogLocked(d Dialog, c *change) {
	fillAgentView(&d, s.extensionLocked())
	now := s.now()
	e, _ := s.findLocked(d.ID)
	if e == nil {
		e = &dialogEntry{d: d, started: now}
		e.classifyNew()
		e.observe(now)
		s.carriedTimesLocked(e)
		s.markLegEndedLocked(e)
		s.dialogs = append(s.dialogs, e)
		s.liveLocked(e)
		c.added = append(c.added, d.ID)
		c.touched = append(c.touched, d.ID)
		pub := e.public()
		s.publishLocked(Event{Kind: EventDialog, Dialog: &pub})
		return
	}
	if dialogEqual(e.d, d) {
		if !c.resync {
			c.touched = append(c.touched, d.ID)
		}
		return
	}
	prev := e.d
	e.d = d
	e.classifyUpdate(prev)
	wasAnswered := !e.answered.IsZero()
	e.observe(now)
	if !wasAnswered && !e.answered.IsZero() {
		s.liveLocked(e)
	}
	c.changed = append(c.changed, d.ID)
	c.touched = append(c.touched, d.ID)
	pub := e.public()
	s.publishLocked(Event{Kind: EventDialog, Dialog: &pub})
}

func (s *Session) removeDialogLocked(u Update, c *change) {
	id := u.DialogID
	if id == "" && u.Dialog != nil {
		id = u.Dialog.ID
	}
	e, _ := s.findLocked(id)
	if e == nil {
		s.log.Debug("removal of unknown dialog ignored", "dialog", id)
		return
	}
	final := e.d
	if u.Dialog != nil && u.Dialog.ID == id {
		final = cloneDialog(*u.Dialog)
		fillAgentView(&final, s.extensionLocked())
	}
	s.endDialogLocked(e, final, c)
}

// endDialogLocked drops e from the model and publishes its summary.
func (s *Session) endDialogLocked(e *dialogEntry, final Dialog, c *change) {
	now := s.now()
	if final.AgentState == PartActive && e.answered.IsZero() {
		e.answered = now
	}
	s.dialogs = slices.DeleteFunc(s.dialogs, func(x *dialogEntry) bool { return x == e })
	sum := e.summary(final, now)
	sum.Consult = sum.Consult || s.droppedIntoLocked(sum.DialogID)
	if s.outbox != nil {
		pending := sum.WrapUpReason == "" && busyOrWrapping(s.agent.State)
		s.outboxErrLocked("recording an ended call", s.outbox.Ended(sum, pending))
	}
	s.rememberEndedLocked(sum)
	s.recordRecentLocked(sum)
	sum.Variables = cloneVars(sum.Variables)
	c.removed = append(c.removed, final.ID)
	s.publishLocked(Event{Kind: EventDialogEnded, Dialog: &final, Ended: &sum})
}

func (s *Session) applyErrorLocked(u Update, c *change) {
	fe := *u.Err
	if fe.RequestID == "" {
		fe.RequestID = u.RequestID
	}
	if fe.DialogID == "" {
		fe.DialogID = u.DialogID
	}
	c.asyncError = &fe
	s.publishLocked(Event{Kind: EventError, Err: &fe})
}

// resyncLocked replaces the model with the state read after a reconnect,
// publishing only the differences: dialogs no longer listed end with a
// summary, new or changed ones are published once, identical ones not at
// all.
func (s *Session) resyncLocked(u Update, c *change) {
	s.lists.invalidate()
	if u.System != nil {
		s.applySystemLocked(*u.System)
	}
	if u.Agent != nil {
		s.applyAgentLocked(*u.Agent, c)
	}
	listed := make(map[string]bool, len(u.Dialogs))
	for _, d := range u.Dialogs {
		listed[d.ID] = true
	}
	for _, e := range slices.Clone(s.dialogs) {
		if !listed[e.d.ID] {
			s.endDialogLocked(e, e.d, c)
		}
	}
	if s.away != nil && s.agent.LoggedIn() {
		s.awayEndedLocked(listed, c)
	}
	for _, d := range u.Dialogs {
		if d.ID == "" {
			s.log.Warn("resync dialog dropped", "reason", "no dialog id")
			continue
		}
		s.upsertDialogLocked(cloneDialog(d), c)
	}
}

package core

import (
	"slices"
	"time"
)

// Queue is one of the agent's queues (skill groups or CSQs) with its live
// statistics (reference §2.8). A count Finesse does not report (UCCX, or a
// queue nobody is assigned to) is -1.
type Queue struct {
	ID   string
	Name string
	// CallsWaiting is callsInQueue.
	CallsWaiting int
	// OldestSince is startTimeOfLongestCallInQueue: when the call that
	// has waited longest entered the queue; zero when none waits.
	OldestSince    time.Time
	AgentsReady    int
	AgentsNotReady int
	AgentsTalking  int // inbound, outbound and internal together
	AgentsLoggedOn int
}

// LongestWait is how long the oldest waiting call has waited at now, or 0.
func (q Queue) LongestWait(now time.Time) time.Duration {
	if q.OldestSince.IsZero() || q.CallsWaiting <= 0 || now.Before(q.OldestSince) {
		return 0
	}
	return now.Sub(q.OldestSince)
}

// TeamMessage is a supervisor's broadcast to the agent's team (Finesse
// 11.6+ TeamMessage).
type TeamMessage struct {
	ID      string
	From    string // the sender's name, or login id when Finesse gave no name
	Content string
	At      time.Time     // createdAt
	For     time.Duration // how long it stays up (duration); 0 = until deleted
	Deleted bool          // the supervisor withdrew it
}

// Expired reports whether m is no longer to be shown at now.
func (m TeamMessage) Expired(now time.Time) bool {
	return m.Deleted || (m.For > 0 && !m.At.IsZero() && now.After(m.At.Add(m.For)))
}

// QueueSink receives queue statistics and team messages from a port.
// [Session] implements it; a port whose sink does not simply skips them.
// Its methods never block.
type QueueSink interface {
	// SetQueues replaces the agent's whole queue list (after a GET).
	SetQueues(qs []Queue)
	// ApplyQueue changes or adds one queue (a Queue notification).
	ApplyQueue(q Queue)
	// RemoveQueue drops a queue the agent no longer serves.
	RemoveQueue(id string)
	// ApplyTeamMessage adds, replaces (by ID) or withdraws a team message.
	ApplyTeamMessage(m TeamMessage)
}

var _ QueueSink = (*Session)(nil)

// board is the session's queue and team-message state; the session's mu
// guards it.
type board struct {
	queues   []Queue
	messages []TeamMessage
}

// SetQueues implements [QueueSink].
func (s *Session) SetQueues(qs []Queue) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if slices.Equal(s.board.queues, qs) {
		return
	}
	s.board.queues = slices.Clone(qs)
	s.publishQueuesLocked()
}

// ApplyQueue implements [QueueSink].
func (s *Session) ApplyQueue(q Queue) {
	if q.ID == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.board.queues, func(o Queue) bool { return o.ID == q.ID })
	switch {
	case i < 0:
		s.board.queues = append(s.board.queues, q)
	case s.board.queues[i] == q:
		return
	default:
		if q.Name == "" {
			q.Name = s.board.queues[i].Name
		}
		s.board.queues[i] = q
	}
	s.publishQueuesLocked()
}

// RemoveQueue implements [QueueSink].
func (s *Session) RemoveQueue(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.board.queues)
	s.board.queues = slices.DeleteFunc(s.board.queues, func(q Queue) bool { return q.ID == id })
	if len(s.board.queues) != n {
		s.publishQueuesLocked()
	}
}

func (s *Session) publishQueuesLocked() {
	s.publishLocked(Event{Kind: EventQueues, Queues: slices.Clone(s.board.queues)})
}

// maxTeamMessages bounds the messages kept: a supervisor broadcasting in a
// loop must not grow the session without end.
const maxTeamMessages = 20

// ApplyTeamMessage implements [QueueSink].
func (s *Session) ApplyTeamMessage(m TeamMessage) {
	if m.ID == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	ms := slices.DeleteFunc(s.board.messages, func(o TeamMessage) bool { return o.ID == m.ID || o.Expired(now) })
	if !m.Deleted {
		ms = append(ms, m)
	}
	if len(ms) > maxTeamMessages {
		ms = ms[len(ms)-maxTeamMessages:]
	}
	s.board.messages = ms
	s.publishLocked(Event{Kind: EventTeamMessage, TeamMessage: &m})
}

// Queues returns the agent's queues as last reported.
func (s *Session) Queues() []Queue {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.board.queues)
}

// TeamMessages returns the team messages still to be shown, oldest first.
func (s *Session) TeamMessages() []TeamMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var out []TeamMessage
	for _, m := range s.board.messages {
		if !m.Expired(now) {
			out = append(out, m)
		}
	}
	return out
}

func (s *Session) boardSnapshotLocked(snap *Snapshot) {
	snap.Queues = slices.Clone(s.board.queues)
	now := s.now()
	for _, m := range s.board.messages {
		if !m.Expired(now) {
			snap.TeamMessages = append(snap.TeamMessages, m)
		}
	}
}

// signedOutLocked forgets the queues, team messages and recent numbers of
// the agent who signed out: the next agent at this desk sees none of them.
func (s *Session) signedOutLocked() {
	s.recent = nil
	s.board.messages = nil
	if len(s.board.queues) > 0 {
		s.board.queues = nil
		s.publishQueuesLocked()
	}
}

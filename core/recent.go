package core

import (
	"slices"
	"sync"
	"time"
)

// Direction says which way a recent call went, as the agent sees it.
type Direction string

// Directions of a recent call.
const (
	CallIn     Direction = "in"     // answered by the agent
	CallOut    Direction = "out"    // placed by the agent (consults too)
	CallMissed Direction = "missed" // rang the agent and was never answered
)

// RecentCall is one ended call in the agent's list of the day's calls.
type RecentCall struct {
	DialogID  string
	Direction Direction
	Number    string // the other party: the number to redial
	CallType  string
	Started   time.Time
	Answered  time.Time // zero when never answered
	Ended     time.Time
	Variables []CallVariable // the call's last call data (the customer's name is shown from it)
}

// CallLog is where the session records ended calls for the Recent calls
// list. The session calls Record while holding its lock, so Record must
// not block: an implementation backed by a durable store queues the write.
// Recent returns the calls that ended at or after since, newest first.
type CallLog interface {
	Record(c RecentCall)
	Recent(since time.Time) []RecentCall
}

// DefaultRecentKeep is how many calls a [MemoryCallLog] keeps by default.
const DefaultRecentKeep = 200

// MemoryCallLog is a CallLog in memory, bounded to the newest Keep calls.
// It is the default; calls are lost when AgentLink stops.
type MemoryCallLog struct {
	Keep  int // default DefaultRecentKeep
	mu    sync.Mutex
	calls []RecentCall // oldest first
}

// Record implements [CallLog].
func (m *MemoryCallLog) Record(c RecentCall) {
	keep := m.Keep
	if keep <= 0 {
		keep = DefaultRecentKeep
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, c)
	if len(m.calls) > keep {
		m.calls = slices.Delete(m.calls, 0, len(m.calls)-keep)
	}
}

// Recent implements [CallLog].
func (m *MemoryCallLog) Recent(since time.Time) []RecentCall {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []RecentCall
	for i := len(m.calls) - 1; i >= 0; i-- {
		if !m.calls[i].Ended.Before(since) {
			out = append(out, m.calls[i])
		}
	}
	return out
}

// RecentFromSummary turns an ended call's summary into a recent call, seen
// from the agent at extension ext.
func RecentFromSummary(sum CallSummary, ext string) RecentCall {
	rc := RecentCall{
		DialogID: sum.DialogID, CallType: sum.CallType,
		Started: sum.Started, Answered: sum.Answered, Ended: sum.Ended,
		Direction: CallIn, Number: sum.From, Variables: cloneVars(sum.Variables),
	}
	if ext != "" && sum.From == ext {
		rc.Direction, rc.Number = CallOut, sum.To
	} else if sum.Answered.IsZero() {
		rc.Direction = CallMissed
	}
	return rc
}

// RecentCalls lists the calls that ended today (local time), newest first.
func (s *Session) RecentCalls() []RecentCall {
	now := s.now()
	y, m, d := now.Date()
	return s.calls.Recent(time.Date(y, m, d, 0, 0, 0, 0, now.Location()))
}

// recordRecentLocked adds an ended call to the call log.
func (s *Session) recordRecentLocked(sum CallSummary) {
	s.calls.Record(RecentFromSummary(sum, s.extensionLocked()))
}

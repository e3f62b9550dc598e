package localbridge

import (
	"time"

	"github.com/agentlink/agentlink/core"
)

// Queue statistics and supervisor team messages on the wire
// (docs/bridge-protocol.md, events Queues and TeamMessage).

type wireQueue struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	CallsWaiting   int    `json:"callsWaiting"`             // -1: Finesse does not report it (UCCX)
	OldestSince    string `json:"oldestSince,omitempty"`    // when the longest-waiting call entered the queue
	LongestWaitSec int    `json:"longestWaitSec,omitempty"` // its wait when the event was made
	AgentsReady    int    `json:"agentsReady"`
	AgentsNotReady int    `json:"agentsNotReady"`
	AgentsTalking  int    `json:"agentsTalking"`
	AgentsLoggedOn int    `json:"agentsLoggedOn"`
}

type wireQueues struct {
	Queues []wireQueue `json:"queues"`
}

type wireTeamMessage struct {
	ID        string `json:"id"`
	From      string `json:"from,omitempty"`
	Content   string `json:"content,omitempty"`
	At        string `json:"at,omitempty"`
	ExpiresAt string `json:"expiresAt,omitempty"` // absent: until withdrawn
	Deleted   bool   `json:"deleted,omitempty"`   // the supervisor withdrew it
}

func toWireQueues(qs []core.Queue, now time.Time) []wireQueue {
	out := make([]wireQueue, len(qs))
	for i, q := range qs {
		out[i] = wireQueue{ID: q.ID, Name: q.Name, CallsWaiting: q.CallsWaiting, OldestSince: wireTime(q.OldestSince),
			LongestWaitSec: int(q.LongestWait(now) / time.Second), AgentsReady: q.AgentsReady,
			AgentsNotReady: q.AgentsNotReady, AgentsTalking: q.AgentsTalking, AgentsLoggedOn: q.AgentsLoggedOn}
	}
	return out
}

func toWireTeamMessage(m core.TeamMessage) wireTeamMessage {
	w := wireTeamMessage{ID: m.ID, From: m.From, Content: m.Content, At: wireTime(m.At), Deleted: m.Deleted}
	if m.For > 0 && !m.At.IsZero() {
		w.ExpiresAt = wireTime(m.At.Add(m.For))
	}
	return w
}

func toWireTeamMessages(ms []core.TeamMessage) []wireTeamMessage {
	if len(ms) == 0 {
		return nil
	}
	out := make([]wireTeamMessage, len(ms))
	for i, m := range ms {
		out[i] = toWireTeamMessage(m)
	}
	return out
}

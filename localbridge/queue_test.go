package localbridge

import (
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
)

// TestQueueAndTeamMessageEvents: queue statistics and team messages reach
// toolbars as Queues and TeamMessage events, and a later Connect's
// snapshot carries them.
func TestQueueAndTeamMessageEvents(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.connect(t)
	c.handshake(nil)
	oldest := time.Now().Add(-70 * time.Second)
	h.sess.SetQueues([]core.Queue{{ID: "7001", Name: "Sales", CallsWaiting: 2, OldestSince: oldest, AgentsReady: 1}})
	qs := decode[wireQueues](t, c.waitEvent("Queues").Data)
	if len(qs.Queues) != 1 {
		t.Fatalf("Queues event = %+v, want one queue", qs)
	}
	q := qs.Queues[0]
	if q.Name != "Sales" || q.CallsWaiting != 2 || q.LongestWaitSec < 69 || q.OldestSince == "" || q.AgentsReady != 1 {
		t.Errorf("queue = %+v, want Sales, 2 waiting for about 70 s", q)
	}
	at := time.Now()
	h.sess.ApplyTeamMessage(core.TeamMessage{ID: "m1", From: "Sam Super", Content: "Storm", At: at, For: time.Minute})
	m := decode[wireTeamMessage](t, c.waitEvent("TeamMessage").Data)
	if m.ID != "m1" || m.From != "Sam Super" || m.Content != "Storm" || m.ExpiresAt != wireTime(at.Add(time.Minute)) {
		t.Errorf("TeamMessage event = %+v", m)
	}
	c2 := h.connect(t)
	c2.handshake(nil)
	st := decode[wireSnapshot](t, c2.mustOK("GetState", nil).Result)
	if len(st.Queues) != 1 || st.Queues[0].ID != "7001" || len(st.TeamMessages) != 1 || st.TeamMessages[0].Content != "Storm" {
		t.Errorf("GetState queues %+v, team messages %+v; want Sales and Storm", st.Queues, st.TeamMessages)
	}
}

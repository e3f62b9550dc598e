package core_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

func TestQueuesPublishAndSnapshot(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	w := f.s.Watch(core.WatchOptions{})
	defer w.Close()
	since := f.clock.Now().Add(-90 * time.Second)
	sales := core.Queue{ID: "7001", Name: "Sales", CallsWaiting: 2, OldestSince: since}
	f.s.SetQueues([]core.Queue{sales, {ID: "7002", Name: "Support"}})
	ev := next(t, w)
	if ev.Kind != core.EventQueues || len(ev.Queues) != 2 {
		t.Fatalf("event = %v with %d queues, want Queues with 2", ev.Kind, len(ev.Queues))
	}
	if got := ev.Queues[0].LongestWait(f.clock.Now()); got != 90*time.Second {
		t.Errorf("LongestWait = %v, want 90s", got)
	}
	// A notification changes one queue; its name survives when the
	// notification leaves it out.
	f.s.ApplyQueue(core.Queue{ID: "7002", CallsWaiting: 5})
	ev = next(t, w)
	if ev.Queues[1].Name != "Support" || ev.Queues[1].CallsWaiting != 5 {
		t.Errorf("after ApplyQueue: %+v, want Support with 5 waiting", ev.Queues[1])
	}
	f.s.ApplyQueue(ev.Queues[1]) // unchanged: no event
	f.s.RemoveQueue("7001")
	ev = next(t, w)
	if len(ev.Queues) != 1 || ev.Queues[0].ID != "7002" {
		t.Errorf("after RemoveQueue: %+v, want only 7002", ev.Queues)
	}
	if got := f.s.Snapshot().Queues; len(got) != 1 {
		t.Errorf("Snapshot().Queues = %+v, want one queue", got)
	}
	if evs := drain(w); len(evs) != 0 {
		t.Errorf("extra events %v", kinds(evs))
	}
}

func TestTeamMessagesExpireAndWithdraw(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	w := f.s.Watch(core.WatchOptions{})
	defer w.Close()
	now := f.clock.Now()
	m1 := core.TeamMessage{ID: "a", From: "Sam Super", Content: "Storm: expect volume", At: now, For: time.Minute}
	m2 := core.TeamMessage{ID: "b", Content: "Lunch moved", At: now}
	f.s.ApplyTeamMessage(m1)
	f.s.ApplyTeamMessage(m2)
	if ev := next(t, w); ev.Kind != core.EventTeamMessage || ev.TeamMessage.Content != m1.Content {
		t.Fatalf("event = %v %+v, want TeamMessage a", ev.Kind, ev.TeamMessage)
	}
	next(t, w)
	if got := f.s.Snapshot().TeamMessages; len(got) != 2 {
		t.Fatalf("Snapshot().TeamMessages = %d, want 2", len(got))
	}
	f.clock.Advance(2 * time.Minute) // m1's duration is over
	if diff := cmp.Diff([]core.TeamMessage{m2}, f.s.TeamMessages()); diff != "" {
		t.Errorf("TeamMessages() after expiry (-want +got):\n%s", diff)
	}
	f.s.ApplyTeamMessage(core.TeamMessage{ID: "b", Deleted: true})
	if ev := next(t, w); !ev.TeamMessage.Deleted {
		t.Errorf("withdrawal event = %+v, want Deleted", ev.TeamMessage)
	}
	if got := f.s.TeamMessages(); len(got) != 0 {
		t.Errorf("TeamMessages() after withdrawal = %+v, want none", got)
	}
}

// TestSignOutForgetsBoard: the next agent at the desk sees neither the
// queues, the messages nor the numbers of the one who signed out.
func TestSignOutForgetsBoard(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.login()
	f.s.SetQueues([]core.Queue{{ID: "7001", Name: "Sales"}})
	f.s.ApplyTeamMessage(core.TeamMessage{ID: "m", Content: "x", At: f.clock.Now()})
	w := f.s.Watch(core.WatchOptions{})
	defer w.Close()
	f.s.Apply(coretest.AgentUpdate(coretest.Agent(agentID, ext, core.StateLogout)))
	next(t, w) // the agent
	if ev := next(t, w); ev.Kind != core.EventQueues || len(ev.Queues) != 0 {
		t.Errorf("after sign-out: %v %+v, want an empty Queues event", ev.Kind, ev.Queues)
	}
	if snap := f.s.Snapshot(); len(snap.Queues) != 0 || len(snap.TeamMessages) != 0 {
		t.Errorf("snapshot after sign-out: %+v %+v", snap.Queues, snap.TeamMessages)
	}
}

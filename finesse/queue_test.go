package finesse

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// boardSink is a recSink that is also a core.QueueSink.
type boardSink struct {
	*recSink
	mu      sync.Mutex // guards the fields below
	queues  map[string]core.Queue
	msgs    []core.TeamMessage
	changed chan struct{} // closed and replaced on every change
}

func newBoardSink() *boardSink {
	return &boardSink{recSink: newRecSink(), queues: map[string]core.Queue{}, changed: make(chan struct{})}
}

func (b *boardSink) touchLocked() { close(b.changed); b.changed = make(chan struct{}) }

func (b *boardSink) SetQueues(qs []core.Queue) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.queues = map[string]core.Queue{}
	for _, q := range qs {
		b.queues[q.ID] = q
	}
	b.touchLocked()
}

func (b *boardSink) ApplyQueue(q core.Queue) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.queues[q.ID] = q
	b.touchLocked()
}

func (b *boardSink) RemoveQueue(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.queues, id)
	b.touchLocked()
}

func (b *boardSink) ApplyTeamMessage(m core.TeamMessage) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.msgs = append(b.msgs, m)
	b.touchLocked()
}

func (b *boardSink) waitBoard(t *testing.T, what string, cond func(qs map[string]core.Queue, ms []core.TeamMessage) bool) {
	t.Helper()
	deadline := time.NewTimer(waitEvent)
	defer deadline.Stop()
	for {
		b.mu.Lock()
		ok, ch := cond(b.queues, b.msgs), b.changed
		b.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestSimQueuesAndTeamMessages: the link reads the agent's queues and the
// team's messages after sign-in, subscribes to their nodes, and applies
// the simulator's Queue PUTs and TeamMessage POST/DELETE.
func TestSimQueuesAndTeamMessages(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 72})
	// A message posted before sign-in comes from the GET.
	if _, err := sim.PostTeamMessage("10", "Sam Super", "Storm warning", 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	l, err := NewLink(linkConfig(sim, DirectTLS, t))
	if err != nil {
		t.Fatal(err)
	}
	sink := newBoardSink()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = l.Run(ctx, sink) }()
	t.Cleanup(func() { cancel(); <-done })
	e := &simEnv{sim: sim, link: l, sink: sink.recSink}
	e.login(t)
	sink.waitBoard(t, "two queues and the early message", func(qs map[string]core.Queue, ms []core.TeamMessage) bool {
		return len(qs) == 2 && qs["7001"].Name == "Sales" && len(ms) == 1 && ms[0].From == "Sam Super" && ms[0].For == 5*time.Minute
	})
	// The subscriptions are made after the GETs; retry the change until
	// the notification arrives instead of guessing when they are in.
	oldest := time.Now().Add(-95 * time.Second).Truncate(time.Second)
	waitPublished(t, sink, func() error { return sim.SetQueueWaiting("7001", 3, oldest) },
		func(qs map[string]core.Queue, _ []core.TeamMessage) bool {
			q := qs["7001"]
			return q.CallsWaiting == 3 && q.OldestSince.Equal(oldest) && q.Name == "Sales"
		})
	var id string
	waitPublished(t, sink, func() error {
		var err error
		id, err = sim.PostTeamMessage("10", "Sam Super", "Back to normal", 0)
		return err
	}, func(_ map[string]core.Queue, ms []core.TeamMessage) bool {
		return ms[len(ms)-1].Content == "Back to normal"
	})
	if err := sim.DeleteTeamMessage(id); err != nil {
		t.Fatal(err)
	}
	sink.waitBoard(t, "the withdrawal", func(_ map[string]core.Queue, ms []core.TeamMessage) bool {
		last := ms[len(ms)-1]
		return last.ID == id && last.Deleted
	})
}

// waitPublished repeats change until cond holds on the sink.
func waitPublished(t *testing.T, b *boardSink, change func() error, cond func(map[string]core.Queue, []core.TeamMessage) bool) {
	t.Helper()
	deadline := time.Now().Add(waitEvent)
	for {
		if err := change(); err != nil {
			t.Fatal(err)
		}
		b.mu.Lock()
		ch := b.changed
		ok := cond(b.queues, b.msgs)
		b.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
			b.mu.Lock()
			ok = cond(b.queues, b.msgs)
			b.mu.Unlock()
			if ok {
				return
			}
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting for the notification")
		}
	}
}

package finesse

import (
	"context"
	"strings"
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

// TestApplyBoardPayloads decodes the documented payload shapes: a Queue
// PUT (lower- or upper-case root), a Queue DELETE, the User/Queues POST
// and DELETE, and team messages on the documented and another node, with
// createdAt in seconds or milliseconds.
func TestApplyBoardPayloads(t *testing.T) {
	t.Parallel()
	b := newBoardSink()
	s := &supervisor{l: &Link{cfg: Config{Logger: testLogger(t)}}, sink: b}
	item := func(node, update string) pubsubItem {
		esc := strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(update)
		return pubsubItem{node: node, inner: []byte(`<notification xmlns="http://jabber.org/protocol/pubsub">` + esc + `</notification>`)}
	}
	const q = `<uri>/finesse/api/Queue/7001</uri><name>Sales</name><statistics><callsInQueue>3</callsInQueue>` +
		`<startTimeOfLongestCallInQueue>2012-02-15T17:58:21Z</startTimeOfLongestCallInQueue><agentsReady>1</agentsReady>` +
		`<agentsTalkingInbound>3</agentsTalkingInbound><agentsTalkingOutbound>4</agentsTalkingOutbound>` +
		`<agentsTalkingInternal>5</agentsTalkingInternal></statistics>`
	for _, it := range []pubsubItem{
		item("/finesse/api/Queue/7001", `<Update><event>PUT</event><source>/finesse/api/Queue/7001</source><data><Queue>`+q+`</Queue></data></Update>`),
		item("/finesse/api/User/1001/Queues", `<Update><event>POST</event><source>/finesse/api/User/1001/Queues</source><data><queues><Queue><uri>/finesse/api/Queue/7002</uri><name>Support</name><statistics><callsInQueue>-1</callsInQueue></statistics></Queue></queues></data></Update>`),
		item("/finesse/api/Team/10/TeamMessages", `<Update><event>POST</event><source>/finesse/api/TeamMessage/a</source><data><teamMessage><id>a</id><createdBy><id>9</id><firstName>Sam</firstName><lastName>Super</lastName></createdBy><createdAt>1537418173</createdAt><duration>100</duration><content>Hi</content></teamMessage></data></Update>`),
		item("/finesse/api/TeamMessage", `<Update><event>POST</event><data><TeamMessage><uri>/finesse/api/TeamMessage/b</uri><createdBy><id>9</id></createdBy><createdAt>1537418173000</createdAt><content>Bye</content></TeamMessage></data></Update>`),
	} {
		if !s.deliverBoard(it) {
			t.Fatalf("item on %s not taken", it.node)
		}
	}
	if s.deliverBoard(item("/finesse/api/User/1001", `<Update/>`)) {
		t.Error("a User item was taken as a queue item")
	}
	b.mu.Lock()
	sales, support, msgs := b.queues["7001"], b.queues["7002"], append([]core.TeamMessage(nil), b.msgs...)
	b.mu.Unlock()
	if sales.CallsWaiting != 3 || sales.AgentsTalking != 12 || sales.AgentsReady != 1 || sales.AgentsNotReady != -1 ||
		!sales.OldestSince.Equal(time.Date(2012, 2, 15, 17, 58, 21, 0, time.UTC)) {
		t.Errorf("Sales = %+v", sales)
	}
	if support.Name != "Support" || support.CallsWaiting != -1 {
		t.Errorf("Support = %+v", support)
	}
	at := time.Unix(1537418173, 0)
	if len(msgs) != 2 || msgs[0].From != "Sam Super" || !msgs[0].At.Equal(at) || msgs[0].For != 100*time.Second ||
		msgs[1].ID != "b" || msgs[1].From != "9" || !msgs[1].At.Equal(at) {
		t.Errorf("messages = %+v", msgs)
	}
	s.deliverBoard(item("/finesse/api/Queue/7001", `<Update><event>DELETE</event><source>/finesse/api/Queue/7001</source><data><Queue><uri>/finesse/api/Queue/7001</uri></Queue></data></Update>`))
	s.deliverBoard(item("/finesse/api/User/1001/Queues", `<Update><event>DELETE</event><data><queues><Queue><uri>/finesse/api/Queue/7002</uri></Queue></queues></data></Update>`))
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.queues) != 0 {
		t.Errorf("queues after DELETEs = %+v, want none", b.queues)
	}
}

package callstore_test

import (
	"errors"
	"log/slog"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/agentlink/agentlink/callstore"
	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func open(t *testing.T, path string, c *clock, retention time.Duration) *callstore.Store {
	t.Helper()
	s, err := callstore.Open(path, callstore.Options{Retention: retention, Logger: slog.New(slog.DiscardHandler), Now: c.now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func sum(id string, started time.Time, reason string) core.CallSummary {
	return core.CallSummary{DialogID: id, CallType: "ACD_IN", From: "5550123", To: "5001", Started: started,
		Ended: started.Add(time.Minute), WrapUpReason: reason, Variables: []core.CallVariable{{Name: "callVariable1", Value: "acct-7"}}}
}

func ids(rs []core.CallRecord) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

// TestStoreLifecycle: live calls are not offered; an ended call is, with
// its reason and variables, until acknowledged; a pending one only once its
// reason comes or wrap-up settles; everything survives closing the file
// (what a kill -9 leaves: each change is its own committed transaction).
func TestStoreLifecycle(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	path := filepath.Join(t.TempDir(), "calls.db")
	s := open(t, path, c, 0)
	t0 := c.now()
	must(t, s.Live(sum("1", t0, "")))
	if got := s.Unlogged(); len(got) != 0 {
		t.Fatalf("a live call is offered: %v", ids(got))
	}
	must(t, s.Ended(sum("1", t0, "Sale"), false))
	must(t, s.Ended(sum("2", t0.Add(time.Second), ""), true))
	got := s.Unlogged()
	if len(got) != 2 || got[0].ID != "1" || got[0].Pending || !got[1].Pending {
		t.Fatalf("Unlogged = %+v, want 1 ready and 2 pending", got)
	}
	if got[0].Summary.WrapUpReason != "Sale" || got[0].Summary.Variables[0].Value != "acct-7" || got[0].Volatile {
		t.Errorf("record 1 = %+v", got[0])
	}
	must(t, s.WrapUp("2", "No sale"))
	if got := s.Unlogged(); got[1].Pending || got[1].Summary.WrapUpReason != "No sale" {
		t.Errorf("after WrapUp: %+v", got[1])
	}
	must(t, s.Ended(sum("3", t0.Add(2*time.Second), ""), true))
	must(t, s.Settle())
	if got := s.Unlogged(); len(got) != 3 || got[2].Pending {
		t.Errorf("after Settle: %+v", got)
	}
	must(t, s.Live(sum("4", t0.Add(3*time.Second), "")))
	must(t, s.Close())

	s = open(t, path, c, 0)
	defer s.Close()
	if got := ids(s.Unlogged()); len(got) != 3 {
		t.Fatalf("after reopening: %v, want 1 2 3", got)
	}
	live, pending := s.Recovered()
	if len(live) != 1 || live[0].DialogID != "4" || len(pending) != 0 {
		t.Errorf("Recovered = %v, %v; want live 4", live, pending)
	}
}

// TestStoreAckIdempotent: the first Ack wins, a repeat says already, an
// unknown id is ErrNoSuchCall, an acknowledged call is never offered
// again, not after a restart and not when it ends "again".
func TestStoreAckIdempotent(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	path := filepath.Join(t.TempDir(), "calls.db")
	s := open(t, path, c, 0)
	t0 := c.now()
	must(t, s.Ended(sum("1", t0, "Sale"), false))
	if already, err := s.Ack("1", "CRM-1"); err != nil || already {
		t.Fatalf("first Ack = %v, %v", already, err)
	}
	if already, err := s.Ack("1", "CRM-other"); err != nil || !already {
		t.Fatalf("second Ack = %v, %v; want already", already, err)
	}
	if _, err := s.Ack("nope", "x"); !errors.Is(err, core.ErrNoSuchCall) {
		t.Errorf("Ack of an unknown call = %v, want ErrNoSuchCall", err)
	}
	must(t, s.Ended(sum("1", t0, "Sale"), false))
	if got := s.Unlogged(); len(got) != 0 {
		t.Errorf("an acknowledged call is offered again: %v", ids(got))
	}
	must(t, s.Close())
	s = open(t, path, c, 0)
	defer s.Close()
	if got := s.Unlogged(); len(got) != 0 {
		t.Errorf("after reopening, an acknowledged call is offered: %v", ids(got))
	}
	if already, err := s.Ack("1", "CRM-again"); err != nil || !already {
		t.Errorf("Ack after reopening = %v, %v; want already", already, err)
	}
}

// TestStoreRetention drops records older than the retention, logged or
// not, at open and while running; younger ones stay.
func TestStoreRetention(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	path := filepath.Join(t.TempDir(), "calls.db")
	day := 24 * time.Hour
	s := open(t, path, c, 2*day)
	t0 := c.now()
	must(t, s.Ended(sum("old", t0, "Sale"), false))
	must(t, s.Ended(sum("acked", t0, "Sale"), false))
	if _, err := s.Ack("acked", "R"); err != nil {
		t.Fatal(err)
	}
	c.add(day)
	must(t, s.Ended(sum("young", c.now(), ""), false))
	c.add(day + time.Hour)
	if n := s.Purge(); n != 2 {
		t.Errorf("Purge dropped %d, want 2 (old and acked)", n)
	}
	if got := ids(s.Unlogged()); len(got) != 1 || got[0] != "young" {
		t.Errorf("after Purge: %v, want young", got)
	}
	must(t, s.Close())
	c.add(day)
	s = open(t, path, c, 2*day)
	defer s.Close()
	if got := s.Unlogged(); len(got) != 0 {
		t.Errorf("Open kept %v past the retention", ids(got))
	}
}

// TestStoreReusedDialogID keeps an unlogged call whose dialog id Finesse
// hands to a later call.
func TestStoreReusedDialogID(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	s := open(t, filepath.Join(t.TempDir(), "calls.db"), c, 0)
	defer s.Close()
	t0 := c.now()
	must(t, s.Ended(sum("7", t0, "Sale"), false))
	must(t, s.Live(sum("7", t0.Add(time.Hour), "")))
	got := s.Unlogged()
	if len(got) != 1 || got[0].ID == "7" || got[0].Summary.DialogID != "7" {
		t.Fatalf("Unlogged = %+v, want the first call moved aside", got)
	}
	must(t, s.Ended(sum("7", t0.Add(time.Hour), "No sale"), false))
	if got := s.Unlogged(); len(got) != 2 {
		t.Errorf("Unlogged = %v, want both calls", ids(got))
	}
}

// TestMemoryStore: the store the app falls back to when the file cannot
// be opened keeps and offers calls, marked volatile.
func TestMemoryStore(t *testing.T) {
	mem := callstore.Memory(callstore.Options{Logger: slog.New(slog.DiscardHandler)})
	must(t, mem.Ended(sum("2", time.Now(), ""), false))
	if got := mem.Unlogged(); len(got) != 1 || !got[0].Volatile {
		t.Errorf("memory store: %+v", got)
	}
	if already, err := mem.Ack("2", "R"); err != nil || already || len(mem.Unlogged()) != 0 {
		t.Errorf("Ack in memory = %v, %v", already, err)
	}
}

// spy is the real store seen by the session, looking at the watcher each
// time the session commits an ended call or a reason.
type spy struct {
	*callstore.Store
	w      *core.Watcher
	events []core.Event // drained from w
	early  []string     // calls whose event was out before their commit
}

func (s *spy) drain() {
	for {
		select {
		case ev := <-s.w.Events():
			s.events = append(s.events, ev)
		default:
			return
		}
	}
}

func (s *spy) publishedFor(kind core.EventKind, id string) bool {
	for _, ev := range s.events {
		if ev.Kind == kind && ev.Ended != nil && ev.Ended.DialogID == id {
			return true
		}
	}
	return false
}

func (s *spy) Ended(sum core.CallSummary, pending bool) error {
	s.drain()
	if s.publishedFor(core.EventDialogEnded, sum.DialogID) {
		s.early = append(s.early, sum.DialogID)
	}
	return s.Store.Ended(sum, pending)
}

func (s *spy) WrapUp(id, reason string) error {
	s.drain()
	if s.publishedFor(core.EventWrapUp, id) {
		s.early = append(s.early, id+" (wrap-up)")
	}
	return s.Store.WrapUp(id, reason)
}

// TestCommitBeforePublish runs a real session on the store: each call's
// record is committed before a watcher can see its DialogEnded (and a late
// reason before its WrapUp), so a crash right after the event cannot lose
// it. Calls alternate between a reason chosen during the call and one
// chosen in wrap-up after Finesse removed the call.
func TestCommitBeforePublish(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	store := open(t, filepath.Join(t.TempDir(), "calls.db"), c, 0)
	defer store.Close()
	fin := coretest.NewFinesse("1001")
	sp := &spy{Store: store}
	sess := core.NewSession(core.Config{Port: fin.Port(), Logger: slog.New(slog.DiscardHandler), Outbox: sp})
	fin.Attach(sess)
	sp.w = sess.Watch(core.WatchOptions{Buffer: 4096})
	defer sp.w.Close()
	if err := sess.Login(t.Context(), core.LoginRequest{AgentID: "1001", Password: "pw", Extension: "5001"}); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		id := fin.Incoming("5550123")
		if err := sess.Answer(t.Context(), id); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if err := sess.SetWrapUp(t.Context(), id, "Sale"); err != nil {
				t.Fatal(err)
			}
		}
		fin.Hangup(id)
		sp.drain()
		if !sp.publishedFor(core.EventDialogEnded, id) || !unlogged(store, id) {
			t.Fatalf("call %s: DialogEnded published %v, record kept %v", id, sp.publishedFor(core.EventDialogEnded, id), unlogged(store, id))
		}
	}
	if len(sp.early) > 0 {
		t.Errorf("published before their record was committed: %v", sp.early)
	}
	got := store.Unlogged()
	for i, r := range got {
		if want := map[bool]string{true: "Sale", false: ""}[i%2 == 0]; r.Summary.WrapUpReason != want || r.Pending {
			t.Errorf("record %d = reason %q pending %v, want %q ready", i, r.Summary.WrapUpReason, r.Pending, want)
		}
	}
}

func unlogged(s *callstore.Store, id string) bool {
	for _, r := range s.Unlogged() {
		if r.ID == id {
			return true
		}
	}
	return false
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkEnded is the cost the session pays under its lock for each
// ended call: one fsynced bbolt transaction.
func BenchmarkEnded(b *testing.B) {
	s, err := callstore.Open(filepath.Join(b.TempDir(), "calls.db"), callstore.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	t0 := time.Now()
	for i := 0; b.Loop(); i++ {
		if err := s.Ended(sum(strconv.Itoa(i), t0, "Sale"), false); err != nil {
			b.Fatal(err)
		}
	}
}

package core_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// agentWithReason returns an agent update that differs for every n.
func agentWithReason(n int) core.Update {
	a := coretest.Agent(agentID, ext, core.StateNotReady)
	a.ReasonCodeID = fmt.Sprint(n)
	return coretest.AgentUpdate(a)
}

// TestWatchConcurrent starts watchers while many goroutines apply updates.
// Each watcher's snapshot must be exactly the state after its Seq, and its
// events must continue from there with no gap and no repeat.
func TestWatchConcurrent(t *testing.T) {
	t.Parallel()
	const writers, perWriter, watchers = 8, 100, 20
	const total = writers * perWriter
	f := newFixture(t, func(c *core.Config) { c.WatchBuffer = total + 1 })
	ref := f.s.Watch(core.WatchOptions{})
	defer ref.Close()

	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			for i := range perWriter {
				f.s.Apply(agentWithReason(g*perWriter + i + 1))
			}
		})
	}
	ws := make([]*core.Watcher, watchers)
	for i := range ws {
		ws[i] = f.s.Watch(core.WatchOptions{})
	}
	wg.Wait()

	byseq := make(map[uint64]core.Event)
	for range total {
		ev := next(t, ref)
		byseq[ev.Seq] = ev
	}
	for i, w := range ws {
		snap := w.Snapshot()
		if snap.Seq > 0 && snap.Agent.ReasonCodeID != byseq[snap.Seq].Agent.ReasonCodeID {
			t.Errorf("watcher %d: snapshot at %d has reason %q, event %d set %q", i, snap.Seq,
				snap.Agent.ReasonCodeID, snap.Seq, byseq[snap.Seq].Agent.ReasonCodeID)
		}
		for want := snap.Seq + 1; want <= total; want++ {
			if ev := next(t, w); ev.Seq != want {
				t.Fatalf("watcher %d: got Seq %d, want %d", i, ev.Seq, want)
			}
		}
		w.Close()
	}
	if extra := drain(ref); len(extra) != 0 {
		t.Errorf("reference watcher got %d extra events", len(extra))
	}
}

func TestSlowWatcherCutOff(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	slow := f.s.Watch(core.WatchOptions{Buffer: 2})
	fast := f.s.Watch(core.WatchOptions{Buffer: 1})
	defer fast.Close()
	for i := range 10 {
		f.s.Apply(agentWithReason(i + 1)) // must never block on slow
		if ev := next(t, fast); ev.Seq != uint64(i+1) {
			t.Fatalf("fast watcher got Seq %d, want %d", ev.Seq, i+1)
		}
	}
	got := drain(slow)
	if len(got) != 2 || got[1].Seq != 2 {
		t.Errorf("slow watcher got %d events, want the 2 that fit", len(got))
	}
	if _, ok := <-slow.Events(); ok {
		t.Error("slow watcher's channel still open")
	}
	if err := slow.Err(); !errors.Is(err, core.ErrSlowWatcher) {
		t.Errorf("slow.Err() = %v, want ErrSlowWatcher", err)
	}
	slow.Close() // harmless after the cut-off
	if err := slow.Err(); !errors.Is(err, core.ErrSlowWatcher) {
		t.Errorf("after Close, slow.Err() = %v, want ErrSlowWatcher still", err)
	}
	if n := f.s.WatcherCount(); n != 1 {
		t.Errorf("registered watchers = %d, want 1", n)
	}
}

func TestWatcherClose(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	w := f.s.Watch(core.WatchOptions{})
	w.Close()
	w.Close()
	if _, ok := <-w.Events(); ok {
		t.Error("channel open after Close")
	}
	if err := w.Err(); err != nil {
		t.Errorf("Err() after Close = %v, want nil", err)
	}
	f.s.Apply(agentWithReason(1)) // must not send on the closed channel
	if n := f.s.WatcherCount(); n != 0 {
		t.Errorf("registered watchers = %d, want 0", n)
	}
}

// TestWatchSince resumes a watcher across a call that began and ended
// while it was away.
func TestWatchSince(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.login()
	first := f.s.Watch(core.WatchOptions{})
	since, epoch := first.Snapshot().Seq, first.Snapshot().Epoch
	first.Close()

	f.s.Apply(coretest.DialogUpdate(alerting))
	f.s.Apply(coretest.DialogUpdate(with(alerting, core.PartActive, core.ActionDrop)))
	f.s.Apply(coretest.Removed("d1"))
	f.s.Apply(agentWithReason(7))

	w := f.s.Watch(core.WatchOptions{Since: since, Epoch: epoch, Buffer: 1})
	defer w.Close()
	if !w.Resumed() {
		t.Fatal("Resumed() = false, want true")
	}
	got := drain(w)
	want := []core.EventKind{core.EventDialog, core.EventDialog, core.EventDialogEnded, core.EventAgent}
	if diff := cmp.Diff(want, kinds(got)); diff != "" {
		t.Fatalf("replayed kinds mismatch (-want +got):\n%s", diff)
	}
	for i, ev := range got {
		if ev.Seq != since+uint64(i)+1 {
			t.Errorf("replayed event %d has Seq %d, want %d", i, ev.Seq, since+uint64(i)+1)
		}
	}
	if got[2].Ended.Answered.IsZero() {
		t.Error("replayed summary has no Answered time")
	}
	// Live events follow the replay; the buffer of 1 is on top of it.
	f.s.Apply(agentWithReason(8))
	if ev := next(t, w); ev.Seq != since+5 {
		t.Errorf("live event Seq %d, want %d", ev.Seq, since+5)
	}
}

func TestWatchSinceFresh(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		since       uint64
		wantResumed bool
		wantEvents  int
	}{
		{"too old", 2, false, 0},
		{"oldest kept", 6, true, 4},
		{"just one missed", 9, true, 1},
		{"up to date", 10, true, 0},
		{"ahead", 11, false, 0},
		{"far ahead", 1 << 40, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, func(c *core.Config) { c.RingSize = 4 })
			for i := range 10 {
				f.s.Apply(agentWithReason(i + 1))
			}
			w := f.s.Watch(core.WatchOptions{Since: tt.since, Epoch: f.s.Snapshot().Epoch})
			defer w.Close()
			if w.Resumed() != tt.wantResumed {
				t.Errorf("Resumed() = %v, want %v", w.Resumed(), tt.wantResumed)
			}
			if got := len(drain(w)); got != tt.wantEvents {
				t.Errorf("replayed %d events, want %d", got, tt.wantEvents)
			}
			snap := w.Snapshot()
			if snap.Seq != 10 || snap.Agent.ReasonCodeID != "10" {
				t.Errorf("snapshot Seq=%d reason=%q, want 10 and \"10\"", snap.Seq, snap.Agent.ReasonCodeID)
			}
		})
	}
}

// TestWatchSinceWrapped checks replay once the ring has wrapped many times.
func TestWatchSinceWrapped(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(c *core.Config) { c.RingSize = 3 })
	for i := range 100 {
		f.s.Apply(agentWithReason(i + 1))
	}
	w := f.s.Watch(core.WatchOptions{Since: 97, Epoch: f.s.Snapshot().Epoch})
	defer w.Close()
	var got []string
	for _, ev := range drain(w) {
		got = append(got, ev.Agent.ReasonCodeID)
	}
	if diff := cmp.Diff([]string{"98", "99", "100"}, got); diff != "" {
		t.Errorf("replay mismatch (-want +got):\n%s", diff)
	}
}

// TestApplyNeverBlocks fills a watcher that nobody reads and checks that a
// burst of updates still goes through at once.
func TestApplyNeverBlocks(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(c *core.Config) { c.WatchBuffer = 1 })
	for range 5 {
		w := f.s.Watch(core.WatchOptions{})
		defer w.Close()
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 1000 {
			f.s.Apply(agentWithReason(i + 1))
		}
	}()
	select {
	case <-done:
	case <-time.After(waitFor):
		t.Fatal("Apply blocked on watchers nobody reads")
	}
}

func TestWatchBufferCapped(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	w := f.s.Watch(core.WatchOptions{Buffer: 1 << 40})
	defer w.Close()
	if got := cap(w.Events()); got != core.MaxWatchBuffer {
		t.Errorf("buffer = %d, want %d", got, core.MaxWatchBuffer)
	}
	d := f.s.Watch(core.WatchOptions{})
	defer d.Close()
	if got := cap(d.Events()); got != core.DefaultWatchBuffer {
		t.Errorf("default buffer = %d, want %d", got, core.DefaultWatchBuffer)
	}
}

// TestWatchSinceOtherEpoch: a seq read in another session (an earlier run of
// the app, whose seqs also started at 1) is never resumed, even when the new
// session's ring holds that seq: the watcher gets a fresh snapshot.
func TestWatchSinceOtherEpoch(t *testing.T) {
	t.Parallel()
	old := newFixture(t, nil)
	oldSnap := old.s.Snapshot()
	f := newFixture(t, nil)
	if f.s.Snapshot().Epoch == oldSnap.Epoch || oldSnap.Epoch == "" {
		t.Fatalf("epochs %q and %q: want two different, non-empty", oldSnap.Epoch, f.s.Snapshot().Epoch)
	}
	for i := range 5 {
		f.s.Apply(agentWithReason(i + 1))
	}
	for _, epoch := range []string{oldSnap.Epoch, ""} {
		w := f.s.Watch(core.WatchOptions{Since: 2, Epoch: epoch})
		if w.Resumed() {
			t.Errorf("Since 2 with epoch %q resumed into another session's stream", epoch)
		}
		if n := len(drain(w)); n != 0 {
			t.Errorf("epoch %q: replayed %d events, want none (a snapshot)", epoch, n)
		}
		w.Close()
	}
}

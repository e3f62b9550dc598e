package localbridge

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

func TestResumeSince(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.connect(t)
	c.handshake(nil)
	c.login()
	last := c.waitEvent("AgentState").Seq
	c.conn.Close(websocket.StatusNormalClosure, "refresh")

	// While no tab is open a call begins and ends; nothing happens at Finesse.
	h.ring("d7", "5550777", "ANSWER")
	h.sess.Apply(coretest.Removed("d7"))
	if got := h.port.Sent(); len(got) != 1 {
		t.Errorf("closing the tab sent %d commands, want only the Login", len(got))
	}

	c2 := h.connect(t)
	c2.mustOK("Hello", nil)
	c2.nextEvent() // System
	epoch := h.sess.Snapshot().Epoch
	r := decode[connectReply](t, c2.mustOK("Connect", map[string]any{"since": last, "epoch": epoch}).Result)
	if !r.Resumed || r.Snapshot != nil || r.Epoch != epoch {
		t.Fatalf("Connect since %d = %+v, want resumed without snapshot", last, r)
	}
	var got []string
	for want := last + 1; want <= last+2; want++ {
		f := c2.nextEvent()
		if f.Seq != want {
			t.Fatalf("replayed seq %d, want %d", f.Seq, want)
		}
		got = append(got, f.Event)
	}
	if strings.Join(got, ",") != "Dialog,DialogEnded" {
		t.Errorf("replayed %v, want the call that began and ended", got)
	}
}

// TestResumeOtherRun: a toolbar that was connected to an earlier run of the
// app comes back with its last seq. Seqs start again at 1 in every run, so
// that seq may exist in this run's stream too: without this run's epoch it
// must get a fresh snapshot, never a "resume" into unrelated events (or a
// classic client that sends no epoch: also a snapshot).
func TestResumeOtherRun(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.connect(t)
	c.handshake(nil)
	c.login()
	h.ring("d1", "5550111", "ANSWER")
	c.waitEvent("Dialog")
	for _, epoch := range []any{"0123456789abcdef", nil} {
		c2 := h.connect(t)
		c2.mustOK("Hello", nil)
		c2.nextEvent() // System
		args := map[string]any{"since": 1}
		if epoch != nil {
			args["epoch"] = epoch
		}
		r := decode[connectReply](t, c2.mustOK("Connect", args).Result)
		if r.Resumed || r.Snapshot == nil || len(r.Snapshot.Dialogs) != 1 {
			t.Errorf("Connect since 1 with epoch %v = %+v, want a fresh snapshot with the ringing call", epoch, r)
		}
		if r.Epoch != h.sess.Snapshot().Epoch || r.Epoch == "" {
			t.Errorf("Connect epoch = %q, want this run's %q", r.Epoch, h.sess.Snapshot().Epoch)
		}
	}
}

func TestResumeTooOld(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(_ *Config, s *core.Config) { s.RingSize = 4 })
	c := h.connect(t)
	c.handshake(nil)
	c.login()
	for i := range 10 {
		h.ring(fmt.Sprint("d", i), "555", "ANSWER")
	}
	c3 := h.connect(t)
	c3.mustOK("Hello", nil)
	c3.nextEvent()
	r := decode[connectReply](t, c3.mustOK("Connect", map[string]any{"since": 1, "epoch": h.sess.Snapshot().Epoch}).Result)
	if r.Resumed || r.Snapshot == nil || len(r.Snapshot.Dialogs) != 10 {
		t.Errorf("Connect since 1 with a ring of 4 = %+v, want a fresh snapshot with 10 dialogs", r)
	}
}

// TestFanout: three tabs all see every event once, in seq order.
func TestFanout(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var tabs []*wsClient
	var start uint64
	for range 3 {
		c := h.connect(t)
		start = c.handshake(nil).Seq
		tabs = append(tabs, c)
	}
	const n = 60
	for i := range n {
		h.ring(fmt.Sprint("d", i), "555", "ANSWER")
	}
	var wg sync.WaitGroup
	errs := make([]error, len(tabs))
	for i, c := range tabs {
		wg.Go(func() {
			for want := start + 1; want <= start+n; want++ {
				f, err := c.read()
				if err != nil || f.Seq != want || f.Event != "Dialog" {
					errs[i] = fmt.Errorf("tab %d: got %s #%d (%v), want Dialog #%d", i, f.Event, f.Seq, err, want)
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	// Any tab may command: the second one answers, all see it.
	tabs[1].t = t
	if f := tabs[1].call("Ping", nil); !f.OK {
		t.Errorf("Ping from tab 1: %+v", f.Error)
	}
}

// TestSlowClientCutOff: a tab that stops reading is cut off with a close
// code and never holds up the other tabs.
func TestSlowClientCutOff(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config, s *core.Config) {
		s.WatchBuffer = 8
		c.writeTimeout = 500 * time.Millisecond
	})
	slow, fast := h.connect(t), h.connect(t)
	start := slow.handshake(nil).Seq
	fast.handshake(nil)

	big := strings.Repeat("x", 16<<10)
	const n = 600 // ~10 MB: more than the socket buffers hold
	got := make(chan error)
	go func() {
		for want := start + 1; want <= start+n; want++ {
			f, err := fast.read()
			if err == nil && f.Seq != want {
				err = fmt.Errorf("fast tab: got #%d, want #%d", f.Seq, want)
			}
			got <- err
			if err != nil {
				return
			}
		}
	}()
	for i := range n {
		d := coretest.Dialog("d1", "", "555", core.PartAlerting, core.ActionAnswer)
		d.Variables = []core.CallVariable{{Name: "big", Value: big}, {Name: "i", Value: fmt.Sprint(i)}}
		h.sess.Apply(coretest.DialogUpdate(d))
		// The fast tab keeps up (the session has no slack for a tab that
		// reads slower than a tight loop applies); the slow one never reads.
		if err := <-got; err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	deadline := time.After(15 * time.Second)
	for len(h.srv.Clients()) != 1 {
		select {
		case <-h.srv.Changes():
		case <-deadline:
			t.Fatalf("slow tab still connected: %+v", h.srv.Clients())
		}
	}
	for { // the slow tab drains what reached it, then learns it was cut off
		_, err := slow.read()
		if err == nil {
			continue
		}
		if st := websocket.CloseStatus(err); st != -1 && st != websocket.StatusTryAgainLater && st != websocket.StatusPolicyViolation {
			t.Errorf("slow tab closed with %v, want 1013 or 1008", st)
		}
		break
	}
}

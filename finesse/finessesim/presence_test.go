package finessesim

import (
	"testing"
	"time"

	goxmpp "github.com/xmppo/go-xmpp"
)

// nextPresence waits for a presence stanza on the client's side channel.
func (x *xclient) nextPresence() goxmpp.Presence {
	x.t.Helper()
	deadline := time.After(waitFor)
	for {
		select {
		case v := <-x.other:
			if p, ok := v.(goxmpp.Presence); ok {
				return p
			}
		case <-deadline:
			x.t.Fatalf("no presence within %v", waitFor)
		}
	}
}

// TestFinessePresence: after its initial presence a client sees the
// "finesse" user, and every flip of it (reference §7.1, §8.3).
func TestFinessePresence(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	x := dialXMPP(t, s, NodeA, "1001", "secret1", false)
	want := func(typ string) {
		t.Helper()
		p := x.nextPresence()
		if p.From != "finesse@finesse-a.sim.test/finesse" || p.Type != typ {
			t.Errorf("presence: got from %q type %q, want finesse@finesse-a.sim.test/finesse %q", p.From, p.Type, typ)
		}
	}
	want("")
	if err := s.SetFinessePresence(NodeA, false); err != nil {
		t.Fatal(err)
	}
	want("unavailable")
	if err := s.SetFinessePresence(NodeA, true); err != nil {
		t.Fatal(err)
	}
	want("")
}

// TestServerPingsKeepAnsweringClient: a client that answers the server's
// pings stays connected across many ping intervals.
func TestServerPingsKeepAnsweringClient(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{PingInterval: 100 * time.Millisecond})
	a := signIn(t, s, NodeA, "1001", false)
	a.x.quiet(800 * time.Millisecond) // 8 intervals, over 2x the drop threshold
	a.r.setState("READY", "", "")
	a.x.expect("user PUT READY")
}

// TestServerDropsSilentClient: a client that stops reading and answers no
// pings is dropped after about three ping intervals (Finesse pings every
// 10 s), not at once and not never.
func TestServerDropsSilentClient(t *testing.T) {
	t.Parallel()
	const every = 100 * time.Millisecond
	s := startSim(t, Config{PingInterval: every})
	c, err := newGoXMPP(s, NodeA, "1001", "secret1", false)
	if err != nil {
		t.Fatal(err)
	}
	// Nobody calls Recv: the client reads nothing and answers no ping. Once
	// the server has hung up, draining Recv ends the client (go-xmpp's Close
	// would wait for a Recv that never runs).
	t.Cleanup(func() {
		s.mu.Lock()
		for x := range s.sessions {
			x.kill() // in case the test failed before the server hung up
		}
		s.mu.Unlock()
		for {
			if _, err := c.Recv(); err != nil {
				return
			}
		}
	})
	sessions := func() int {
		s.mu.Lock()
		defer s.mu.Unlock()
		n := 0
		for x := range s.sessions {
			if x.agentID == "1001" {
				n++
			}
		}
		return n
	}
	start := time.Now()
	if n := sessions(); n != 1 {
		t.Fatalf("sessions of 1001 after connecting = %d, want 1", n)
	}
	deadline := time.After(waitFor)
	tick := time.NewTicker(every / 4)
	defer tick.Stop()
	for sessions() != 0 {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("silent client still connected after %v", waitFor)
		}
	}
	// The server counts from the client's last stanza, which came a little
	// before start; one interval of slack keeps a slow machine honest.
	if d := time.Since(start); d < every {
		t.Errorf("silent client dropped after %v, want about 3 ping intervals (%v)", d, 3*every)
	}
}

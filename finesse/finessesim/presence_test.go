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

package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
)

func (f *fixture) system(sys core.System) {
	f.t.Helper()
	f.sess.Apply(core.Update{Kind: core.UpdateSystem, System: &sys})
	f.waitFor("system "+string(sys.Status), func() bool { return f.s.m.System == sys })
}

// A failover that takes milliseconds raises no alarm, and never one that
// carries a parser error (issue 9, defect 5).
func TestOutageShortFailoverNoAlarm(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.ui(func() { f.s.outage.grace = 200 * time.Millisecond })
	f.signIn(core.StateReady)
	f.system(core.System{Status: core.OutOfService, Node: core.NodeA, Host: "fa.example.com",
		Reason: "finesse: malformed payload: XML syntax error on line 1: unexpected EOF"})
	f.system(core.System{Status: core.InService, Node: core.NodeB, Host: "fb.example.com", XMPPConnected: true})
	// Absence can only be observed over a window: twice the grace.
	time.Sleep(400 * time.Millisecond)
	f.ui(func() {
		for _, n := range f.app.notes {
			t.Errorf("notification %q: %q after a failover shorter than the grace", n.Title, n.Content)
		}
	})
}

// An outage that lasts alarms in agent words, and its end is announced with
// the side now in use.
func TestOutageLastingAlarmsAndRecovers(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.ui(func() { f.s.outage.grace = 50 * time.Millisecond })
	f.signIn(core.StateReady)
	f.system(core.System{Status: core.OutOfService, Node: core.NodeA, Host: "fa.example.com",
		Reason: "finesse: malformed payload: XML syntax error on line 1"})
	f.waitFor("out-of-service alarm", func() bool { return len(f.app.notes) == 1 })
	f.ui(func() {
		n := f.app.notes[0]
		if n.Title != "Finesse is out of service" || strings.Contains(n.Content, "XML") || !strings.Contains(n.Content, "supervisor") {
			t.Errorf("alarm = %q: %q; want agent words with what to do and no technical detail", n.Title, n.Content)
		}
	})
	f.system(core.System{Status: core.InService, Node: core.NodeB, Host: "fb.example.com", XMPPConnected: true})
	f.waitFor("back-in-service notice", func() bool { return len(f.app.notes) == 2 })
	f.ui(func() {
		n := f.app.notes[1]
		if n.Title != "Finesse is back in service" || !strings.Contains(n.Content, "side B") {
			t.Errorf("recovery = %q: %q, want it to name side B", n.Title, n.Content)
		}
	})
}

package finessesim

import (
	"testing"
	"time"

	goxmpp "github.com/xmppo/go-xmpp"
)

// TestTeamSubscription: an explicit XEP-0060 subscription to the team node
// brings summary user events of team members; unsubscribing stops them.
func TestTeamSubscription(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	sup := dialXMPP(t, s, NodeA, "1003", "secret3", false)
	const node = "/finesse/api/Team/10/Users"
	jid := "1003@finesse-a.sim.test/agentlink"
	pubsubIQ := func(id, verb string) {
		t.Helper()
		body := "<pubsub xmlns='http://jabber.org/protocol/pubsub'><" + verb + " node='" + node + "' jid='" + jid + "'/></pubsub>"
		if _, err := sup.c.RawInformation(jid, "pubsub.finesse-a.sim.test", id, "set", body); err != nil {
			t.Fatal(err)
		}
		deadline := time.After(waitFor)
		for {
			select {
			case v := <-sup.other:
				if sub, ok := v.(goxmpp.PubsubSubscription); ok && sub.Node == node {
					return
				}
				if iq, ok := v.(goxmpp.IQ); ok && iq.ID == id && iq.Type == "result" {
					return
				}
			case <-deadline:
				t.Fatalf("no result for pubsub %s", verb)
			}
		}
	}
	pubsubIQ("sub1", "subscribe")
	a := signIn(t, s, NodeB, "1001", false)
	u := sup.next()
	if u.Node != node || u.Source != "/finesse/api/User/1001" || u.kind() != "user PUT NOT_READY" || u.Data.text("loginId") != "1001" {
		t.Errorf("team event: got %v source %q", u, u.Source)
	}
	b := mustTree(t, newREST(t, s, NodeA, "1003", "secret3").must(200, "GET", "/finesse/api/Team/10", "", ""))
	if n := len(b.child("users").children("User")); n != 3 {
		t.Errorf("Team users: got %d, want 3", n)
	}
	pubsubIQ("unsub1", "unsubscribe")
	a.r.setState("READY", "", "")
	a.x.expect("user PUT READY")
	sup.quiet(100 * time.Millisecond)
}

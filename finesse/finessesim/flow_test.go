package finessesim

import (
	"strings"
	"testing"
	"time"
)

var testPasswords = map[string]string{"1001": "secret1", "1002": "secret2", "1003": "secret3"}

// agentConn is one signed-in agent with a REST client and an XMPP client.
type agentConn struct {
	id, ext string
	r       *restClient
	x       *xclient
}

// signIn connects XMPP on node, signs in and optionally goes READY.
func signIn(t *testing.T, s *Sim, node NodeID, id string, ready bool) *agentConn {
	t.Helper()
	ext := "500" + id[len(id)-1:]
	a := &agentConn{id: id, ext: ext, x: dialXMPP(t, s, node, id, testPasswords[id], false),
		r: newREST(t, s, node, id, testPasswords[id])}
	a.r.setState("LOGIN", "<extension>"+ext+"</extension>", "")
	a.x.expect("user PUT NOT_READY")
	if ready {
		a.r.setState("READY", "", "")
		a.x.expect("user PUT READY")
	}
	return a
}

func (a *agentConn) act(did, action, extra, rid string) {
	a.r.action(did, action, "<targetMediaAddress>"+a.ext+"</targetMediaAddress>"+extra, rid)
}

func inject(t *testing.T, s *Sim, agentID string) string {
	t.Helper()
	id, err := s.InjectCall(CallSpec{AgentID: agentID, ANI: "4085550100", DNIS: "8000"})
	if err != nil {
		t.Fatalf("InjectCall: %v", err)
	}
	return id
}

// TestIncomingCallSequence asserts the notification sequence of an incoming
// call, answer, hold, retrieve and agent hang-up under each event order.
func TestIncomingCallSequence(t *testing.T) {
	t.Parallel()
	const (
		ring   = "dialogs POST ALERTING[5002:ALERTING,4085550100:INITIATED]"
		active = "dialog PUT ACTIVE[5002:ACTIVE,4085550100:ACTIVE]"
		held   = "dialog PUT ACTIVE[5002:HELD,4085550100:ACTIVE]"
	)
	for _, tc := range []struct {
		name  string
		order EventOrder
		want  []string
	}{
		{"reference", OrderReference, []string{"user PUT RESERVED", ring, active, "user PUT TALKING",
			held, "user PUT HOLD", active, "user PUT TALKING"}},
		{"user first", UserFirst, []string{"user PUT RESERVED", ring, "user PUT TALKING", active,
			"user PUT HOLD", held, "user PUT TALKING", active}},
		{"dialog first", DialogFirst, []string{ring, "user PUT RESERVED", active, "user PUT TALKING",
			held, "user PUT HOLD", active, "user PUT TALKING"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := startSim(t, Config{EventOrder: tc.order})
			a := signIn(t, s, NodeA, "1002", true)
			id := inject(t, s, "1002")
			a.x.expect(tc.want[:2]...)
			a.act(id, "ANSWER", "", "r-answer")
			got := a.x.expect(tc.want[2:4]...)
			for _, u := range got {
				if u.RequestID != "r-answer" {
					t.Errorf("%s: requestId got %q, want r-answer", u.kind(), u.RequestID)
				}
			}
			a.act(id, "HOLD", "", "")
			a.x.expect(tc.want[4:6]...)
			a.act(id, "RETRIEVE", "", "")
			a.x.expect(tc.want[6:8]...)
			a.act(id, "DROP", "", "r-drop")
			end := []string{"dialog PUT ACTIVE[5002:DROPPED,4085550100:ACTIVE]",
				"dialog PUT DROPPED[5002:DROPPED,4085550100:DROPPED]",
				"dialogs DELETE DROPPED[5002:DROPPED,4085550100:DROPPED]"}
			if tc.order == UserFirst {
				end = append([]string{"user PUT READY"}, end...)
			} else {
				end = append(end, "user PUT READY")
			}
			a.x.expect(end...)
			a.r.must(404, "GET", "/finesse/api/Dialog/"+id, "", "")
			if b := a.r.must(200, "GET", "/finesse/api/User/1002/Dialogs", "", ""); len(mustTree(t, b).Kids) != 0 {
				t.Errorf("Dialogs after hang-up: got %s, want empty", b)
			}
		})
	}
}

// TestRandomOrderIsSeeded checks that Random order is reproducible per
// seed and actually varies across steps.
func TestRandomOrderIsSeeded(t *testing.T) {
	t.Parallel()
	run := func() string {
		s := startSim(t, Config{EventOrder: Random, Seed: 42})
		a := signIn(t, s, NodeA, "1002", true)
		var kinds []string
		for range 6 {
			id := inject(t, s, "1002")
			kinds = append(kinds, a.x.next().kind(), a.x.next().kind())
			if err := s.HangUp(id); err != nil {
				t.Fatal(err)
			}
			for range 4 {
				a.x.next()
			}
		}
		return strings.Join(kinds, "|")
	}
	first, second := run(), run()
	if first != second {
		t.Errorf("same seed, different orders:\n%s\n%s", first, second)
	}
	if !strings.Contains(first, "dialogs POST ALERTING[5002:ALERTING,4085550100:INITIATED]|user PUT RESERVED") ||
		!strings.Contains(first, "user PUT RESERVED|dialogs POST") {
		t.Errorf("seed 42 produced only one order in 6 calls: %s", first)
	}
}

// TestUCCXHold: UCCX has no HOLD user state and routes with callType ACD_IN.
func TestUCCXHold(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{Deployment: UCCX})
	a := signIn(t, s, NodeA, "1002", true)
	id := inject(t, s, "1002")
	got := a.x.expect("user PUT RESERVED", "dialogs POST ALERTING[5002:ALERTING,4085550100:INITIATED]")
	if ct := got[1].Data.text("Dialog", "mediaProperties", "callType"); ct != "ACD_IN" {
		t.Errorf("UCCX callType: got %q, want ACD_IN", ct)
	}
	a.act(id, "ANSWER", "", "")
	a.x.expect("dialog PUT ACTIVE[5002:ACTIVE,4085550100:ACTIVE]", "user PUT TALKING")
	a.act(id, "HOLD", "", "")
	a.x.expect("dialog PUT ACTIVE[5002:HELD,4085550100:ACTIVE]")
	a.act(id, "RETRIEVE", "", "")
	a.x.expect("dialog PUT ACTIVE[5002:ACTIVE,4085550100:ACTIVE]") // no User event in between
}

// TestOnPublish: the hook sees every publication with its node.
func TestOnPublish(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	seen := make(chan string, 16)
	s.OnPublish(func(node string, at time.Time) {
		if !at.IsZero() {
			seen <- node
		}
	})
	if _, err := s.InjectCall(CallSpec{}); err == nil {
		t.Fatalf("InjectCall with nobody READY: got nil error")
	}
	r := newREST(t, s, NodeA, "1001", "secret1")
	r.setState("LOGIN", "<extension>5001</extension>", "")
	r.setState("READY", "", "")
	inject(t, s, "")
	var got []string
	for range 4 {
		select {
		case n := <-seen:
			got = append(got, n)
		case <-time.After(waitFor):
			t.Fatalf("OnPublish: got %v, want 4 publications", got)
		}
	}
	want := "/finesse/api/User/1001 /finesse/api/User/1001 /finesse/api/User/1001 /finesse/api/User/1001/Dialogs"
	if strings.Join(got, " ") != want {
		t.Errorf("OnPublish nodes: got %v, want %s", got, want)
	}
}

package finessesim

import (
	"errors"
	"testing"
	"time"
)

// TestSetCallVariables: the in-process publish path sends the same Dialog
// PUT over XMPP that UPDATE_CALL_DATA would, with no requestId, and refuses
// an unknown dialog.
func TestSetCallVariables(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	a := signIn(t, s, NodeA, "1002", true)
	id := answered(t, s, a)
	if err := s.SetCallVariables(id, Var{"callVariable1", "v1"}, Var{"user.bench", "7"}); err != nil {
		t.Fatalf("SetCallVariables: %v", err)
	}
	u := a.x.next()
	if u.Data == nil || u.Data.Name != "dialog" || u.Event != "PUT" || u.RequestID != "" {
		t.Fatalf("got %v, want an unsolicited Dialog PUT", u)
	}
	vars := map[string]string{}
	for _, v := range u.Data.child("mediaProperties").child("callvariables").children("CallVariable") {
		vars[v.text("name")] = v.text("value")
	}
	if vars["callVariable1"] != "v1" || vars["user.bench"] != "7" {
		t.Errorf("call variables after SetCallVariables: %v", vars)
	}
	if err := s.SetCallVariables("no-such-dialog"); !errors.Is(err, ErrUnknownDialog) {
		t.Errorf("unknown dialog: got %v, want ErrUnknownDialog", err)
	}
}

// TestSetCallVariablesBurstKeepsSession: a long burst of call-data changes
// reaches a client that keeps reading, every one of them, on the session it
// started on. Before the writer stopped passing mellium a context it
// cancelled after each write, a goroutine of mellium's Encode could set the
// write deadline to the past under the next write: the session died with
// "i/o timeout" and the changes published until the reconnect were lost.
// (That race strikes a few times in 100,000 writes, so this end-to-end check
// rarely caught it; TestSendNeverSetsPastDeadline does, every time.)
func TestSetCallVariablesBurstKeepsSession(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	a := signIn(t, s, NodeA, "1002", true)
	id := answered(t, s, a)
	const n = 5000
	go func() {
		for i := range n {
			if err := s.SetCallVariables(id, Var{"callVariable1", "b" + itoa(i)}); err != nil {
				t.Errorf("SetCallVariables: %v", err)
				return
			}
		}
	}()
	deadline := time.After(60 * time.Second)
	for got := 0; got < n; got++ {
		select {
		case _, ok := <-a.x.updates:
			if !ok {
				t.Fatalf("the simulator dropped the XMPP session after %d of %d changes", got, n)
			}
		case <-deadline:
			t.Fatalf("%d of %d changes arrived within 60s", got, n)
		}
	}
}

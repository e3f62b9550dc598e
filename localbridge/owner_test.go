package localbridge

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// helloID does Hello and returns the client id the bridge gave.
func (c *wsClient) helloID() string {
	c.t.Helper()
	f := c.mustOK("Hello", nil)
	var r struct {
		ClientID string `json:"clientId"`
	}
	if err := json.Unmarshal(f.Result, &r); err != nil || r.ClientID == "" {
		c.t.Fatalf("Hello result %s: no clientId (%v)", f.Result, err)
	}
	if ev := c.nextEvent(); ev.Event != "System" {
		c.t.Fatalf("after Hello got %q, want System", ev.Event)
	}
	return r.ClientID
}

// ownerNow waits for the next Owner event and returns its client id.
func (c *wsClient) ownerNow() string {
	c.t.Helper()
	f := c.waitEvent("Owner")
	if f.Seq != 0 {
		c.t.Errorf("Owner event seq = %d, want 0 (not a Finesse event)", f.Seq)
	}
	var o wireOwner
	if err := json.Unmarshal(f.Data, &o); err != nil {
		c.t.Fatal(err)
	}
	return o.ClientID
}

// TestScreenPopLease: the first toolbar that takes part owns the lease; a
// claim moves it and every client hears; when the owner goes, the lease
// passes to the participant seen last; clients that do not take part
// (scripts, the host page's own SDK) never get it.
func TestScreenPopLease(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	script := h.connect(t)
	script.helloID()
	script.mustOK("Connect", map[string]any{"agentId": "1001"})

	tab1, tab2 := h.connect(t), h.connect(t)
	id1, id2 := tab1.helloID(), tab2.helloID()
	tab1.mustOK("Connect", map[string]any{"agentId": "1001", "lease": true})
	if got := tab1.ownerNow(); got != id1 {
		t.Fatalf("first participant: owner = %q, want %q", got, id1)
	}
	tab2.mustOK("Connect", map[string]any{"agentId": "1001", "lease": true})
	if got := tab2.ownerNow(); got != id1 {
		t.Fatalf("second participant learns owner %q, want %q (no takeover on Connect)", got, id1)
	}

	f := tab2.mustOK("ClaimOwner", nil)
	var res wireOwner
	if err := json.Unmarshal(f.Result, &res); err != nil || res.ClientID != id2 || res.Origin != crmOrigin {
		t.Fatalf("ClaimOwner result %s (%v), want owner %s from %s", f.Result, err, id2, crmOrigin)
	}
	for name, c := range map[string]*wsClient{"tab1": tab1, "tab2": tab2} {
		if got := c.ownerNow(); got != id2 {
			t.Errorf("%s: owner after the claim = %q, want %q", name, got, id2)
		}
	}
	if owners := ownersOf(h); len(owners) != 1 || owners[0] != id2 {
		t.Errorf("Clients() owners = %v, want [%s]", owners, id2)
	}

	tab2.conn.CloseNow()
	if got := tab1.ownerNow(); got != id1 {
		t.Errorf("after the owner left, owner = %q, want the remaining participant %q", got, id1)
	}
	tab1.conn.CloseNow()
	waitOwners(t, h, nil)
	// The script, which never took part, saw no Owner event at all.
	script.mustOK("Ping", nil)
	for _, f := range script.events {
		if f.Event == eventOwner {
			t.Errorf("a client outside the lease got %s", f.Event)
		}
	}
}

// waitOwners waits until Clients() marks exactly want as owners.
func waitOwners(t *testing.T, h *harness, want []string) {
	t.Helper()
	deadline := time.After(waitFor)
	for {
		got := ownersOf(h)
		if fmt.Sprint(got) == fmt.Sprint(want) {
			return
		}
		select {
		case <-h.srv.Changes():
		case <-deadline:
			t.Fatalf("owners = %v, want %v", got, want)
		}
	}
}

// ownersOf lists the clients Clients() marks as owner. The lease is set
// before the Owner event is sent, so a client that heard it can ask at once.
func ownersOf(h *harness) []string {
	var out []string
	for _, c := range h.srv.Clients() {
		if c.Owner {
			out = append(out, c.ID)
		}
	}
	return out
}

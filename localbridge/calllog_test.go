package localbridge

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"

	"github.com/agentlink/agentlink/callstore"
	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// withOutbox gives the harness's session and bridge a real outbox.
func withOutbox(t *testing.T) (harnessOpt, *callstore.Store) {
	store, err := callstore.Open(filepath.Join(t.TempDir(), "calls.db"), callstore.Options{Logger: discard()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	return func(c *Config, sc *core.Config) {
		c.CallLog = store
		sc.Outbox = store
	}, store
}

// offer waits for a CallLog event offering id (others may come first: every
// change offers again what is still unlogged).
func (c *wsClient) offer(id string) wireCallLog {
	c.t.Helper()
	for {
		f := c.waitEvent(eventCallLog)
		var r wireCallLog
		if err := json.Unmarshal(f.Data, &r); err != nil || f.Seq != 0 {
			c.t.Fatalf("CallLog event %s seq %d: %v", f.Data, f.Seq, err)
		}
		if r.ID == id {
			return r
		}
	}
}

// endCall rings a call and ends it with its reason, as Finesse reports it.
func (h *harness) endCall(id, reason string) {
	d := h.ring(id, "5550123", allActions)
	d.WrapUpReason = reason
	h.sess.Apply(coretest.DialogUpdate(d))
	h.sess.Apply(coretest.Removed(id))
}

// TestCallLogOffers: an ended call is offered to the lease holder only, with
// its reason; it is offered again to whoever takes the lease until it is
// acknowledged; AckCallLog is idempotent, refuses unknown calls and needs
// the calls scope; Hello announces it only with an outbox.
func TestCallLogOffers(t *testing.T) {
	t.Parallel()
	opt, store := withOutbox(t)
	h := newHarness(t, opt, func(c *Config, _ *core.Config) {
		c.AllowedOrigins = append(c.AllowedOrigins, kbOrigin)
		c.OriginScopes = map[string][]Scope{kbOrigin: {ScopeState}}
	})
	script := h.connect(t)
	f := script.mustOK("Hello", nil)
	var hello struct{ Capabilities []string }
	if err := json.Unmarshal(f.Result, &hello); err != nil || !slices.Contains(hello.Capabilities, "AckCallLog") {
		t.Errorf("Hello capabilities %v lack AckCallLog", hello.Capabilities)
	}
	script.nextEvent()
	script.mustOK("Connect", map[string]any{"agentId": "1001"})
	script.login()

	tab1, tab2 := h.connect(t), h.connect(t)
	tab1.helloID()
	tab2.helloID()
	tab1.mustOK("Connect", map[string]any{"agentId": "1001", "lease": true})
	tab1.ownerNow()
	tab2.mustOK("Connect", map[string]any{"agentId": "1001", "lease": true})
	tab2.ownerNow()

	h.endCall("c1", "Sale")
	tab1.offer("c1")
	if got := store.Unlogged(); len(got) != 1 || got[0].Summary.WrapUpReason != "Sale" {
		t.Fatalf("outbox = %+v", got)
	}
	tab2.mustOK("ClaimOwner", nil)
	tab2.offer("c1") // still unlogged: offered to the new owner
	ack := tab2.mustOK("AckCallLog", map[string]any{"id": "c1", "crmRef": "LOG-1"})
	again := tab1.mustOK("AckCallLog", map[string]any{"id": "c1", "crmRef": "LOG-2"})
	var a1, a2 struct{ Acked, Already bool }
	_ = json.Unmarshal(ack.Result, &a1)
	_ = json.Unmarshal(again.Result, &a2)
	if !a1.Acked || a1.Already || !a2.Acked || !a2.Already {
		t.Errorf("AckCallLog results %s then %s, want acked then already", ack.Result, again.Result)
	}
	if len(store.Unlogged()) != 0 {
		t.Errorf("an acknowledged call is still waiting")
	}
	if f := tab1.call("AckCallLog", map[string]any{"id": "nope"}); f.OK || f.Error.Code != CodeNoSuchCall {
		t.Errorf("AckCallLog of an unknown call: %+v, want no_such_call", f.Error)
	}
	if f := tab1.call("AckCallLog", map[string]any{}); f.OK || f.Error.Code != CodeBadRequest {
		t.Errorf("AckCallLog without id: %+v, want bad_request", f.Error)
	}

	conn, _, err := h.dialWS(kbOrigin, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	kb := &wsClient{t: t, conn: conn}
	kb.handshake(map[string]any{"agentId": "1001"})
	h.endCall("c2", "")
	tab2.offer("c2")
	if st := h.srv.monitorState(); len(st.Unlogged) != 1 || st.Unlogged[0].ID != "c2" {
		t.Errorf("the monitor lists %+v as not yet logged, want c2", st.Unlogged)
	}
	if f := kb.call("AckCallLog", map[string]any{"id": "c2"}); f.OK || f.Error.Code != CodeForbiddenScope {
		t.Errorf("AckCallLog without the calls scope: %+v, want forbidden_scope", f.Error)
	}
	tab2.conn.CloseNow() // the owner goes before logging c2: tab1 takes over and is offered it
	tab1.offer("c2")     // the owner left before logging it: the next one gets it
	for _, ev := range script.events {
		if ev.Event == eventCallLog {
			t.Errorf("a client outside the lease got a CallLog offer")
		}
	}
}

// TestCallLogWaitsForWrapUp: a call that ends while the agent may still
// choose a reason is not offered until the reason comes (then with it) or
// the wrap-up ends.
func TestCallLogWaitsForWrapUp(t *testing.T) {
	t.Parallel()
	opt, store := withOutbox(t)
	h := newHarness(t, opt)
	tab := h.connect(t)
	tab.helloID()
	tab.mustOK("Connect", map[string]any{"agentId": "1001", "lease": true})
	tab.ownerNow()
	tab.login()
	setAgent := func(st core.AgentState) {
		h.fin.mu.Lock()
		h.fin.agent.State = st
		a := h.fin.agent
		h.fin.mu.Unlock()
		h.sess.Apply(coretest.AgentUpdate(a))
	}
	setAgent(core.StateTalking)
	h.ring("w1", "5550123", allActions)
	h.sess.Apply(coretest.Removed("w1"))
	setAgent(core.StateWorkReady)
	tab.mustOK("SetWrapUp", map[string]any{"dialogId": "w1", "reason": "No sale"})
	f := tab.waitEvent(eventCallLog)
	var r wireCallLog
	if err := json.Unmarshal(f.Data, &r); err != nil || r.ID != "w1" || r.WrapUpReason != "No sale" {
		t.Errorf("first offer %s, want w1 with the reason chosen in wrap-up", f.Data)
	}
	tab.mustOK("AckCallLog", map[string]any{"id": "w1", "crmRef": "L1"})

	setAgent(core.StateTalking)
	h.ring("w2", "5550123", allActions)
	h.sess.Apply(coretest.Removed("w2"))
	setAgent(core.StateWorkReady)
	if got := store.Unlogged(); len(got) != 1 || got[0].ID != "w2" || !got[0].Pending {
		t.Errorf("during wrap-up the outbox holds %+v, want w2 pending", got)
	}
	setAgent(core.StateReady) // wrap-up over without a reason
	if r := tab.offer("w2"); r.WrapUpReason != "" {
		t.Errorf("w2 offered with reason %q, want none", r.WrapUpReason)
	}
}

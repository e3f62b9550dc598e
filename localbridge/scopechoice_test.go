package localbridge

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/agentlink/agentlink/core"
)

// The agent chooses what a CRM origin may do when allowing or pairing it
// (issue 10: "the agent approves scopes, not everything").

// TestPairingWithChosenScopes: the agent ticks only "calls" in the pairing
// prompt; the pairing connection and every later proven connection may
// answer calls but not change the agent's state or dial.
func TestPairingWithChosenScopes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, requirePairing)
	c := h.connect(t)
	c.hello("")
	key, script := c.pairExchange(h)
	reqs := h.srv.PairingRequests()
	if len(reqs) != 1 || reqs[0].ScopesLocked || !slices.Equal(reqs[0].Scopes, AllScopes) {
		t.Fatalf("pairing request = %+v, want every scope offered, not locked", reqs)
	}
	if err := h.srv.DecidePairing(reqs[0].ID, true, ScopeCalls); err != nil {
		t.Fatal(err)
	}
	f := c.mustOK("PairConfirm", map[string]any{"mac": b64(macOf(key, labelConfirmToolbar, script))})
	var r struct{ Scopes []Scope }
	if err := json.Unmarshal(f.Result, &r); err != nil {
		t.Fatal(err)
	}
	if want := []Scope{ScopeEvents, ScopeCalls}; !slices.Equal(r.Scopes, want) {
		t.Errorf("PairConfirm scopes = %v, want %v", r.Scopes, want)
	}
	c.mustOK("Connect", nil)
	checkForbidden(t, c, "SetState", map[string]any{"state": "READY"})

	later, pf := h.proveWith(t, key)
	if !pf.OK {
		t.Fatal(pf.Error)
	}
	later.mustOK("Connect", nil)
	checkForbidden(t, later, "MakeCall", map[string]any{"number": "5551234"})
	if f := later.call("Answer", map[string]any{"dialogId": "1"}); !f.OK && f.Error.Code == CodeForbiddenScope {
		t.Errorf("Answer with the calls scope: %+v, want it past the scope check", f.Error)
	}
}

// TestPairingScopesLockedByAdmin: scopes from bridge.origin_scopes are
// shown locked and an agent's wider tick does not widen them.
func TestPairingScopesLockedByAdmin(t *testing.T) {
	t.Parallel()
	h := newHarness(t, requirePairing, func(c *Config, _ *core.Config) {
		c.OriginScopes = map[string][]Scope{crmOrigin: {ScopeCalls}}
	})
	c := h.connect(t)
	c.hello("")
	key, script := c.pairExchange(h)
	reqs := h.srv.PairingRequests()
	if !reqs[0].ScopesLocked || !slices.Equal(reqs[0].Scopes, []Scope{ScopeEvents, ScopeCalls}) {
		t.Fatalf("pairing request = %+v, want events and calls, locked", reqs[0])
	}
	if err := h.srv.DecidePairing(reqs[0].ID, true, ScopeCalls, ScopeDial, ScopeState); err != nil {
		t.Fatal(err)
	}
	c.mustOK("PairConfirm", map[string]any{"mac": b64(macOf(key, labelConfirmToolbar, script))})
	c.mustOK("Connect", nil)
	checkForbidden(t, c, "MakeCall", map[string]any{"number": "5551234"})
}

func checkForbidden(t *testing.T, c *wsClient, cmd string, args any) {
	t.Helper()
	if f := c.call(cmd, args); f.OK || f.Error.Code != CodeForbiddenScope {
		t.Errorf("%s outside the chosen scopes: %+v, want forbidden_scope", cmd, f.Error)
	}
}

// TestMonitorAllowWithScopes: the Connector Monitor must say what a newly
// allowed origin may do; the origin then gets exactly that, the choice
// survives a restart (consent file), and a narrower choice applies at
// once to a connected client of that origin.
func TestMonitorAllowWithScopes(t *testing.T) {
	t.Parallel()
	consent := t.TempDir() + "/consent.json"
	withConsent := func(c *Config, _ *core.Config) { c.ConsentFile = consent }
	h := newHarness(t, withConsent)
	const newcomer = "https://other-crm.example.org"
	h.do(t, "GET", "/v1/status", "", newcomer, "", nil) // refused, offered to the agent
	post := func(body string) int {
		req, _ := http.NewRequest("POST", h.base+"/monitor/api/origins", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for body, want := range map[string]int{
		`{"origin":"` + newcomer + `","allow":true}`:                            http.StatusBadRequest, // no choice made
		`{"origin":"` + newcomer + `","allow":true,"scopes":["everything"]}`:    http.StatusBadRequest,
		`{"origin":"` + newcomer + `","allow":true,"scopes":["state","calls"]}`: http.StatusOK,
	} {
		if got := post(body); got != want {
			t.Errorf("POST %s: %d, want %d", body, got, want)
		}
	}
	c := h.connectFrom(t, newcomer)
	if r := c.hello(""); !slices.Equal(r.Scopes, []Scope{ScopeEvents, ScopeState, ScopeCalls}) {
		t.Errorf("Hello scopes = %v, want events, state, calls", r.Scopes)
	}
	c.mustOK("Connect", nil)
	checkForbidden(t, c, "MakeCall", map[string]any{"number": "5551234"})

	if got := post(`{"origin":"` + newcomer + `","allow":true,"scopes":[]}`); got != http.StatusOK {
		t.Fatalf("narrowing to events only: %d", got)
	}
	checkForbidden(t, c, "SetState", map[string]any{"state": "READY"})

	again := newHarness(t, withConsent) // the next start reads the consent file
	c2 := again.connectFrom(t, newcomer)
	if r := c2.hello(""); !slices.Equal(r.Scopes, []Scope{ScopeEvents}) {
		t.Errorf("after a restart: Hello scopes = %v, want events only", r.Scopes)
	}
}

// connectFrom opens a WebSocket with a browser origin.
func (h *harness) connectFrom(t *testing.T, origin string) *wsClient {
	t.Helper()
	c, _, err := h.dialWS(origin, nil)
	if err != nil {
		t.Fatalf("dial from %s: %v", origin, err)
	}
	t.Cleanup(func() { c.CloseNow() })
	return &wsClient{t: t, conn: c}
}

// TestMonitorUnpair: the agent removes a pairing in the Connector
// Monitor; the origin's toolbars must pair again.
func TestMonitorUnpair(t *testing.T) {
	t.Parallel()
	h := newHarness(t, requirePairing)
	_, c := h.pairAs(t)
	post := func(body string) int {
		req, _ := http.NewRequest("POST", h.base+"/monitor/api/unpair", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post(`{"origin":"https://never-paired.example.org"}`); got != http.StatusNotFound {
		t.Errorf("unpairing an origin that is not paired: %d, want 404", got)
	}
	if got := post(`{"origin":"` + crmOrigin + `"}`); got != http.StatusOK {
		t.Fatalf("unpair: %d", got)
	}
	if _, _, err := c.conn.Read(t.Context()); err == nil {
		t.Error("the paired toolbar stayed connected after its pairing was removed")
	}
	if len(h.srv.PairedOrigins()) != 0 {
		t.Errorf("paired origins = %v, want none", h.srv.PairedOrigins())
	}
	again := h.connect(t)
	if hr := again.hello(newNonce()); hr.Pairing == nil || hr.Pairing.Paired {
		t.Errorf("after unpairing: Hello pairing = %+v, want not paired", hr.Pairing)
	}
}

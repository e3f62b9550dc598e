package localbridge

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

const kbOrigin = "https://kb.example.com"

// TestOriginScopes: an origin limited to events and state may follow the
// agent and change state, but not answer or dial: those are refused with
// forbidden_scope, the connection stays usable, and the refusal is in the
// audit trail. Another origin and a token client keep every scope.
func TestOriginScopes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config, _ *core.Config) {
		c.AllowedOrigins = append(c.AllowedOrigins, kbOrigin)
		c.OriginScopes = map[string][]Scope{"HTTPS://KB.example.com/": {ScopeState}}
	})
	conn, _, err := h.dialWS(kbOrigin, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	kb := &wsClient{t: t, conn: conn}
	f := kb.mustOK("Hello", nil)
	var hello struct{ Scopes []Scope }
	if err := json.Unmarshal(f.Result, &hello); err != nil || strings.Join(scopeNames(hello.Scopes), ",") != "events,state" {
		t.Errorf("Hello scopes = %v (%v), want events,state", hello.Scopes, err)
	}
	kb.mustOK("Connect", map[string]any{"agentId": "1001"})
	kb.login()
	kb.mustOK("SetState", map[string]any{"state": "READY"})
	d := h.ring("d1", "0201234567", allActions)
	for cmd, args := range map[string]any{
		"Answer":   map[string]any{"dialogId": d.ID},
		"MakeCall": map[string]any{"number": "5550100"},
	} {
		f := kb.call(cmd, args)
		if f.OK || f.Error == nil || f.Error.Code != CodeForbiddenScope || !strings.Contains(f.Error.Message, kbOrigin) {
			t.Errorf("%s from %s: %+v, want forbidden_scope naming the origin", cmd, kbOrigin, f.Error)
		}
	}
	kb.mustOK("GetWrapUpReasons", nil) // still usable, and reads are events
	crm := h.connect(t)
	crm.handshake(map[string]any{"agentId": "1001"})
	crm.mustOK("Answer", map[string]any{"dialogId": d.ID})

	es, _ := h.fetchAudit(t)
	refused := 0
	for _, e := range es {
		if e.Outcome == CodeForbiddenScope && e.Origin == kbOrigin {
			refused++
		}
	}
	if refused != 2 {
		t.Errorf("audit holds %d forbidden_scope refusals from %s, want 2: %+v", refused, kbOrigin, es)
	}
}

func scopeNames(scs []Scope) []string {
	out := make([]string, len(scs))
	for i, s := range scs {
		out[i] = string(s)
	}
	return out
}

func TestOriginScopesConfig(t *testing.T) {
	t.Parallel()
	for name, scopes := range map[string]map[string][]Scope{
		"unknown scope": {kbOrigin: {"admin"}},
		"bad origin":    {"kb.example.com": {ScopeState}},
	} {
		_, err := New(Config{Session: core.NewSession(core.Config{Port: &coretest.Port{}}), Token: testToken,
			Addr: "127.0.0.1:0", OriginScopes: scopes})
		if !errors.Is(err, ErrConfig) {
			t.Errorf("%s: New = %v, want ErrConfig", name, err)
		}
	}
}

// TestEmbeddedToolbarTakesFramingScopes: the bridge's own toolbar connects
// with the bridge's origin; when it says a listed CRM origin frames it, that
// origin's scopes apply. An unlisted framing origin changes nothing, and a
// CRM page cannot use embeddedBy to change its own scopes.
func TestEmbeddedToolbarTakesFramingScopes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config, _ *core.Config) {
		c.AllowedOrigins = append(c.AllowedOrigins, kbOrigin)
		c.OriginScopes = map[string][]Scope{kbOrigin: {ScopeState}, crmOrigin: {ScopeState, ScopeCalls, ScopeDial}}
	})
	self := "http://" + h.srv.Addr()
	tests := []struct {
		name, origin, embeddedBy string
		want                     string
	}{
		{"toolbar framed by the KB", self, kbOrigin, "events,state"},
		{"toolbar framed by an unlisted page", self, "https://other.example.com", "events,state,calls,dial"},
		{"toolbar alone", self, "", "events,state,calls,dial"},
		{"KB page claiming another origin", kbOrigin, crmOrigin, "events,state"},
	}
	for _, tt := range tests {
		conn, _, err := h.dialWS(tt.origin, nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		c := &wsClient{t: t, conn: conn}
		f := c.mustOK("Hello", map[string]any{"embeddedBy": tt.embeddedBy})
		var hello struct{ Scopes []Scope }
		if err := json.Unmarshal(f.Result, &hello); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(scopeNames(hello.Scopes), ","); got != tt.want {
			t.Errorf("%s: scopes = %s, want %s", tt.name, got, tt.want)
		}
		conn.CloseNow()
	}
}

func TestScopesFor(t *testing.T) {
	t.Parallel()
	s := &Server{scopes: map[string][]Scope{kbOrigin: {}, crmOrigin: {ScopeDial, ScopeState}}}
	for origin, want := range map[string]string{
		kbOrigin:                    "events",
		crmOrigin:                   "events, state, dial",
		"https://other.example.com": "events, state, calls, dial",
		"":                          "events, state, calls, dial",
	} {
		if got := s.scopesFor(origin).String(); got != want {
			t.Errorf("scopesFor(%q) = %s, want %s", origin, got, want)
		}
	}
}

package localbridge

import (
	"fmt"
	"slices"
	"strings"
)

// Scopes (field notes §4, proposal 9): an origin may be allowed to use the
// bridge yet not to do everything. A knowledge-base page that shows the
// caller needs the events, not the right to dial out. Config.OriginScopes
// narrows what a listed origin may do; origins not listed, and local
// programs with the token, may do everything (as before scopes existed).

// Scope is one kind of thing a client may do.
type Scope string

// The scopes. Events (receive events, read state and lists) is always
// granted to a connected client.
const (
	ScopeEvents Scope = "events" // Connect, events, GetState, Get* lists, Ping
	ScopeState  Scope = "state"  // Login, Logout, SetState
	ScopeCalls  Scope = "calls"  // Answer, Hold, Retrieve, Release, Transfer, Conference, SendDTMF, UpdateCallData, SetWrapUp
	ScopeDial   Scope = "dial"   // MakeCall, Consult, SingleStepTransfer: calls to a number
)

// AllScopes lists every scope, in the order above.
var AllScopes = []Scope{ScopeEvents, ScopeState, ScopeCalls, ScopeDial}

// ParseScope checks a scope name.
func ParseScope(s string) (Scope, error) {
	sc := Scope(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(AllScopes, sc) {
		return "", fmt.Errorf("unknown scope %q (scopes: events, state, calls, dial)", s)
	}
	return sc, nil
}

// commandScope is the scope each command needs; commands not listed need
// only ScopeEvents.
var commandScope = map[string]Scope{
	"Login": ScopeState, "Logout": ScopeState, "SetState": ScopeState,
	"Answer": ScopeCalls, "Hold": ScopeCalls, "Retrieve": ScopeCalls, "Release": ScopeCalls,
	"Transfer": ScopeCalls, "Conference": ScopeCalls, "SendDTMF": ScopeCalls,
	"UpdateCallData": ScopeCalls, "SetWrapUp": ScopeCalls, "AckCallLog": ScopeCalls,
	"MakeCall": ScopeDial, "Consult": ScopeDial, "SingleStepTransfer": ScopeDial,
}

// scopeSet is what one client may do.
type scopeSet []Scope

func (s scopeSet) has(sc Scope) bool { return sc == ScopeEvents || slices.Contains(s, sc) }

func (s scopeSet) String() string {
	names := make([]string, len(s))
	for i, sc := range s {
		names[i] = string(sc)
	}
	return strings.Join(names, ", ")
}

// scopesFor returns what a client from origin ("" for a token client) may
// do: the admin's scopes for it (bridge.origin_scopes) plus events; else
// those the agent chose when allowing the origin; else everything.
func (s *Server) scopesFor(origin string) scopeSet {
	if origin == "" {
		return AllScopes
	}
	granted, ok := s.scopes[origin]
	if !ok {
		granted, ok = s.origins.grantsFor(origin)
	}
	if !ok {
		return AllScopes
	}
	out := scopeSet{ScopeEvents}
	for _, sc := range AllScopes[1:] {
		if slices.Contains(granted, sc) {
			out = append(out, sc)
		}
	}
	return out
}

// scopesChosenFor reports whether the admin or the agent chose origin's
// scopes (otherwise it gets every scope).
func (s *Server) scopesChosenFor(origin string) bool {
	if _, ok := s.scopes[origin]; ok {
		return true
	}
	_, ok := s.origins.grantsFor(origin)
	return ok
}

// ScopesLocked reports whether the admin set origin's scopes in
// bridge.origin_scopes, which the agent cannot change.
func (s *Server) ScopesLocked(origin string) bool {
	_, ok := s.scopes[origin]
	return ok
}

// parseScopes checks scope names from a request.
func parseScopes(names []string) ([]Scope, error) {
	out := make([]Scope, 0, len(names))
	for _, n := range names {
		sc, err := ParseScope(n)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, nil
}

// normalizeScopes checks Config.OriginScopes and keys it by normalised
// origin.
func normalizeScopes(in map[string][]Scope) (map[string][]Scope, error) {
	out := make(map[string][]Scope, len(in))
	for o, scs := range in {
		n, err := normalizeOrigin(o)
		if err != nil {
			return nil, fmt.Errorf("OriginScopes: %w", err)
		}
		for _, sc := range scs {
			if _, err := ParseScope(string(sc)); err != nil {
				return nil, fmt.Errorf("OriginScopes[%s]: %w", o, err)
			}
		}
		out[n] = scs
	}
	return out, nil
}

// helloArgs are Hello's optional arguments.
type helloArgs struct {
	// EmbeddedBy is the origin of the page that frames the bridge's own
	// toolbar (its parent= parameter). The toolbar connects with the
	// bridge's origin, so without this the framing page's scopes would not
	// apply to what it asks the toolbar to do (click-to-dial).
	EmbeddedBy string `json:"embeddedBy"`
	// Challenge is the toolbar's nonce (base64) that the bridge answers
	// with its proof of the pairing key (proof.go).
	Challenge string `json:"challenge"`
}

// embeddedBy applies the framing page's scopes to a client of the bridge's
// own pages. It can only narrow: a page that names another origin than its
// own gains nothing, since the toolbar takes postMessages only from the
// origin it was told. Read goroutine (Hello is sync), before any command.
func (c *client) embeddedBy(origin string) {
	if origin == "" || !c.srv.selfOrigin(c.origin) {
		return
	}
	if n, err := normalizeOrigin(origin); err == nil {
		c.embedder = n
		if c.srv.scopesChosenFor(n) {
			c.scopeMu.Lock()
			c.scopes, c.scopeOf = c.srv.scopesFor(n), n
			c.scopeMu.Unlock()
		}
	}
}

// checkScope refuses a command the client's scopes do not cover.
func (c *client) checkScope(cmd string) *RequestError {
	need, ok := commandScope[cmd]
	if !ok {
		return nil
	}
	c.scopeMu.Lock()
	have, of := c.scopes, c.scopeOf
	c.scopeMu.Unlock()
	if have.has(need) {
		return nil
	}
	return &RequestError{Code: CodeForbiddenScope, Message: fmt.Sprintf(
		"%s needs the %q scope; %s may only use: %s (set by the admin in bridge.origin_scopes, or by the agent when allowing or pairing it)",
		cmd, need, originLabel(of), have)}
}

// currentScopes is what the client may do now.
func (c *client) currentScopes() scopeSet {
	c.scopeMu.Lock()
	defer c.scopeMu.Unlock()
	return c.scopes
}

// narrowFor narrows the client's scopes when they are origin's (its own
// origin, or the page framing the bridge's own toolbar).
func (c *client) narrowFor(origin string, to []Scope) {
	c.scopeMu.Lock()
	defer c.scopeMu.Unlock()
	if c.scopeOf == origin {
		c.scopes = intersectScopes(c.scopes, to)
	}
}

// narrowScopes keeps only the scopes also in to (events always) and
// returns the result.
func (c *client) narrowScopes(to []Scope) scopeSet {
	c.scopeMu.Lock()
	defer c.scopeMu.Unlock()
	c.scopes = intersectScopes(c.scopes, to)
	return c.scopes
}

// Package keyspec parses the key combinations of AgentLink's global hotkeys
// ("ctrl+alt+a"), shared by agentlink (which validates its configuration
// with it) and the agentlink-hotkeys helper (which grabs the keys). It has
// no platform code, so agentlink can use it without linking an X11 library.
package keyspec

import (
	"fmt"
	"slices"
	"strings"
)

// Spec is one parsed combination: modifiers in canonical order
// (ctrl, alt, shift, super) and one key name in lower case.
type Spec struct {
	Mods []string
	Key  string
}

// String is the canonical form, e.g. "ctrl+alt+a".
func (s Spec) String() string { return strings.Join(append(slices.Clone(s.Mods), s.Key), "+") }

// modOrder is the canonical order of the modifiers; aliases map onto them.
var modOrder = []string{"ctrl", "alt", "shift", "super"}

var modAlias = map[string]string{
	"ctrl": "ctrl", "control": "ctrl",
	"alt":   "alt",
	"shift": "shift",
	"super": "super", "win": "super", "meta": "super",
}

// Keys are the key names a combination may end in: letters, digits and
// F1 to F12 (what every platform's hotkey API has a code for).
func validKey(k string) bool {
	if len(k) == 1 && (k[0] >= 'a' && k[0] <= 'z' || k[0] >= '0' && k[0] <= '9') {
		return true
	}
	if strings.HasPrefix(k, "f") {
		var n int
		if _, err := fmt.Sscanf(k, "f%d", &n); err == nil && n >= 1 && n <= 12 && k == fmt.Sprintf("f%d", n) {
			return true
		}
	}
	return false
}

// Parse reads "ctrl+alt+a" (case and spaces do not matter). A combination
// needs ctrl, alt or super: a plain or shifted key grabbed system-wide
// would stop the agent typing it anywhere else.
func Parse(s string) (Spec, error) {
	parts := strings.Split(strings.ToLower(strings.ReplaceAll(s, " ", "")), "+")
	if s == "" || len(parts) < 2 {
		return Spec{}, fmt.Errorf("%q is not a key combination: write modifiers and one key joined by +, for example \"ctrl+alt+a\"", s)
	}
	key := parts[len(parts)-1]
	if !validKey(key) {
		return Spec{}, fmt.Errorf("%q: the key %q is not one AgentLink can grab: use a letter, a digit or F1 to F12", s, key)
	}
	seen := map[string]bool{}
	for _, p := range parts[:len(parts)-1] {
		m, ok := modAlias[p]
		if !ok {
			return Spec{}, fmt.Errorf("%q: %q is not a modifier: use ctrl, alt, shift or super", s, p)
		}
		seen[m] = true
	}
	if !seen["ctrl"] && !seen["alt"] && !seen["super"] {
		return Spec{}, fmt.Errorf("%q needs ctrl, alt or super: a global hotkey without one would take that key from every other program", s)
	}
	var mods []string
	for _, m := range modOrder {
		if seen[m] {
			mods = append(mods, m)
		}
	}
	return Spec{Mods: mods, Key: key}, nil
}

// Verbs are the requests a hotkey sends to AgentLink, in the order they
// are documented. Not Ready with a reason is reason1 … reasonN (see
// ReasonVerb): the reason itself stays in AgentLink's configuration.
var Verbs = []string{"answer", "hold", "end", "ready", "notready"}

// MaxReasons bounds the Not Ready reason hotkeys (Finesse allows 100
// reason codes; nobody keeps twenty key combinations in mind).
const MaxReasons = 20

// ReasonVerb is the verb of the n-th (1-based) Not Ready reason hotkey.
func ReasonVerb(n int) string { return fmt.Sprintf("reason%d", n) }

// ReasonIndex is n for ReasonVerb(n), ok false for any other verb.
func ReasonIndex(verb string) (n int, ok bool) {
	rest, found := strings.CutPrefix(verb, "reason")
	if !found {
		return 0, false
	}
	if _, err := fmt.Sscanf(rest, "%d", &n); err != nil || n < 1 || n > MaxReasons || ReasonVerb(n) != verb {
		return 0, false
	}
	return n, true
}

// ValidVerb reports whether verb is one AgentLink does.
func ValidVerb(verb string) bool {
	_, reason := ReasonIndex(verb)
	return reason || slices.Contains(Verbs, verb)
}

// Binding is one hotkey: a combination and the verb it sends.
type Binding struct {
	Verb string
	Spec Spec
}

// ParseBinding reads "verb=ctrl+alt+a", the helper's argument form.
func ParseBinding(s string) (Binding, error) {
	verb, combo, ok := strings.Cut(s, "=")
	if !ok || !ValidVerb(verb) {
		return Binding{}, fmt.Errorf("%q is not a binding: write VERB=KEYS with VERB one of %s or reason1 to reason%d",
			s, strings.Join(Verbs, ", "), MaxReasons)
	}
	spec, err := Parse(combo)
	if err != nil {
		return Binding{}, err
	}
	return Binding{Verb: verb, Spec: spec}, nil
}

// String is the argument form, "verb=ctrl+alt+a".
func (b Binding) String() string { return b.Verb + "=" + b.Spec.String() }

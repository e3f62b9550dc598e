package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Preference keys of the Finesse servers the agent last signed in with.
// The configuration file wins over them (cmd/agentlink passes its values as
// LoginDefaults).
const (
	prefSideA = "finesse.side_a"
	prefSideB = "finesse.side_b"
	// The agent who last signed in, so that an agent without a config file
	// does not retype their id and extension at every start. Never the
	// password: that goes to the keychain or nowhere.
	prefAgentID   = "agent.id"
	prefExtension = "agent.extension"
)

// servers are the two Finesse hosts as typed ("host" or "host:port").
type servers struct{ a, b string }

// rememberedServers returns the servers of the last successful sign-in.
func rememberedServers(p fyne.Preferences) servers {
	return servers{strings.TrimSpace(p.String(prefSideA)), strings.TrimSpace(p.String(prefSideB))}
}

// valuesWriter is how Fyne's preferences (app and test) change several
// keys as one change.
type valuesWriter interface {
	WriteValues(func(map[string]any))
}

// rememberSignIn stores what the next start prefills: the agent, and the
// servers when the agent may type them. Fyne saves the file on every change
// but debounces a second one within 100 ms, which a quit right after
// signing in could lose: all keys go in as one change, and nothing is
// written when they are already stored.
func rememberSignIn(p fyne.Preferences, in loginInput, withServers bool) {
	kv := map[string]string{prefAgentID: in.AgentID, prefExtension: in.Extension}
	if withServers {
		kv[prefSideA], kv[prefSideB] = in.SideA, in.SideB
	}
	writePrefs(p, kv)
}

func writePrefs(p fyne.Preferences, kv map[string]string) {
	changed := false
	for k, v := range kv {
		changed = changed || p.String(k) != v
	}
	if !changed {
		return
	}
	if w, ok := p.(valuesWriter); ok {
		w.WriteValues(func(m map[string]any) {
			for k, v := range kv {
				m[k] = v
			}
		})
		return
	}
	for k, v := range kv {
		p.SetString(k, v)
	}
}

// loginDefaults fills what the configuration leaves out from the last
// sign-in: the hosts, when the agent may type them, and the agent id with
// its extension. The configuration always wins; a remembered extension is
// only used for the agent it was remembered with.
func loginDefaults(d LoginDefaults, p fyne.Preferences, editable bool) LoginDefaults {
	if p == nil {
		return d
	}
	if editable && d.SideA == "" {
		sv := rememberedServers(p)
		d.SideA, d.SideB = sv.a, sv.b
	}
	id := strings.TrimSpace(p.String(prefAgentID))
	if d.AgentID == "" {
		d.AgentID = id
	}
	if d.Extension == "" && id != "" && d.AgentID == id {
		d.Extension = strings.TrimSpace(p.String(prefExtension))
	}
	return d
}

// checkServers catches what is plainly not a host before anything is sent;
// Reconnect (cmd/agentlink) checks the rest with the configuration's rules.
func checkServers(sv servers) error {
	if sv.a == "" {
		return &HostError{Side: "A", Err: errors.New("enter the Finesse side A host")}
	}
	for _, s := range []struct{ side, v string }{{"A", sv.a}, {"B", sv.b}} {
		v := s.v
		if rest, ok := strings.CutPrefix(strings.ToLower(v), "https://"); ok && rest != "" && !strings.HasPrefix(rest, "/") {
			v = strings.SplitN(rest, "/", 2)[0] // a VPN-less proxy address: its path is Reconnect's to check
		}
		if strings.ContainsAny(v, " \t") || strings.Contains(v, "://") || strings.ContainsAny(v, "/?#@") {
			return &HostError{Side: s.side, Err: fmt.Errorf("side %s %q is not a host, host:port or https:// VPN-less proxy address", s.side, s.v)}
		}
	}
	return nil
}

// hostField is a host entry with its error shown right below it.
type hostField struct {
	entry *widget.Entry
	err   *widget.Label // hidden while there is nothing to say
	obj   fyne.CanvasObject
}

func newHostField(text, placeholder string) *hostField {
	h := &hostField{entry: entryWith(text, placeholder), err: widget.NewLabel("")}
	h.err.Wrapping = fyne.TextWrapWord
	h.err.Importance = widget.DangerImportance
	h.err.Hide()
	h.obj = container.NewVBox(h.entry, h.err)
	return h
}

func (h *hostField) setError(msg string) {
	h.err.SetText(msg)
	if msg == "" {
		h.err.Hide()
		return
	}
	h.err.Show()
}

// showHostError puts err next to its field and reports whether it was a
// [HostError].
func (f *loginForm) showHostError(err error) bool {
	f.sideA.setError("")
	f.sideB.setError("")
	var he *HostError
	if !errors.As(err, &he) {
		return false
	}
	field := f.sideA
	if he.Side == "B" {
		field = f.sideB
	}
	field.setError(capitalise(he.Error()) + ".")
	return true
}

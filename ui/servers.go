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

// rememberServers stores sv for the next start. Fyne saves the file on
// every change but debounces a second one within 100 ms, which a quit
// right after signing in could lose: both keys go in as one change, and
// nothing is written when they are already stored.
func rememberServers(p fyne.Preferences, sv servers) {
	if rememberedServers(p) == sv {
		return
	}
	if w, ok := p.(valuesWriter); ok {
		w.WriteValues(func(v map[string]any) {
			v[prefSideA], v[prefSideB] = sv.a, sv.b
		})
		return
	}
	p.SetString(prefSideA, sv.a)
	p.SetString(prefSideB, sv.b)
}

// loginDefaults fills the hosts from the remembered servers when the
// configuration names none and the agent may type them.
func loginDefaults(d LoginDefaults, p fyne.Preferences, editable bool) LoginDefaults {
	if !editable || d.SideA != "" || p == nil {
		return d
	}
	sv := rememberedServers(p)
	d.SideA, d.SideB = sv.a, sv.b
	return d
}

// checkServers catches what is plainly not a host before anything is sent;
// Reconnect (cmd/agentlink) checks the rest with the configuration's rules.
func checkServers(sv servers) error {
	if sv.a == "" {
		return &HostError{Side: "A", Err: errors.New("enter the Finesse side A host")}
	}
	for _, s := range []struct{ side, v string }{{"A", sv.a}, {"B", sv.b}} {
		if strings.ContainsAny(s.v, " \t") || strings.Contains(s.v, "://") || strings.ContainsAny(s.v, "/?#@") {
			return &HostError{Side: s.side, Err: fmt.Errorf("side %s %q is not a host or host:port", s.side, s.v)}
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

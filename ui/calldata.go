package ui

import (
	"context"
	"fmt"
	"strings"

	"github.com/agentlink/agentlink/core"
)

// Call data with labels: the call card lists the call's variables with the
// labels and in the order of Finesse's call variables layout
// (MediaPropertiesLayout, fetched once per sign-in), and its title is the
// customer's name when a variable carries it.

// layoutSource is what a session offers when its port can fetch layouts;
// *core.Session does (coreSession below). Optional, so that a sessionAPI
// without it shows raw variable names.
type layoutSource interface {
	CallLayouts(ctx context.Context) (core.CallLayouts, error)
}

func (c coreSession) CallLayouts(ctx context.Context) (core.CallLayouts, error) {
	return c.s.CallLayouts(ctx)
}

// layoutState is the layouts of the signed-in agent. Fyne thread.
type layoutState struct {
	agentID string // whose layouts these are (or are being fetched); "" when none
	all     core.CallLayouts
	loaded  bool // all holds the fetched layouts
	// unknown holds the calls already logged as naming a layout the
	// team does not have, so the log says it once per call.
	unknown map[string]bool
}

// loadLayouts fetches the layouts for a new sign-in. A failure is logged
// and leaves the card showing variables by name: the agent can still work,
// and there is nothing the agent could do about it. Fyne thread.
func (s *shell) loadLayouts(agentID string) {
	src, ok := s.sess.(layoutSource)
	if !ok || s.layouts.agentID == agentID {
		return
	}
	s.layouts = layoutState{agentID: agentID}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		ctx, cancel := context.WithTimeout(s.ctx, commandTimeout)
		defer cancel()
		ls, err := src.CallLayouts(ctx)
		if err != nil {
			s.log.Warn("ui call variable layouts unavailable; showing variable names", "err", err)
			return
		}
		s.do(func() {
			if s.layouts.agentID != agentID {
				return // signed out or someone else signed in meanwhile
			}
			s.layouts.all, s.layouts.loaded = ls, true
			s.refresh()
		})
	}()
}

// layoutFor is d's layout (empty when none was fetched). A call naming a
// layout the agent's team does not have gets the default, as on the
// Finesse desktop; the log says so once, for the administrator. Fyne thread.
func (s *shell) layoutFor(d core.Dialog) core.CallLayout {
	l, why := s.layouts.all.Choose(d)
	if why == core.LayoutUnknown && s.layouts.loaded && !s.layouts.unknown[d.ID] {
		if s.layouts.unknown == nil {
			s.layouts.unknown = map[string]bool{}
		}
		s.layouts.unknown[d.ID] = true
		s.log.Info("ui call names a call variables layout the team does not have; showing the default",
			"dialog", d.ID, "layout", core.NamedLayout(d), "team", s.layouts.all.Team)
	}
	return l
}

// callerName is the customer's name for d and the variable it came from:
// the configured variable (Config.CallerNameVariable), else the layout's
// header entry; "" when that carries no value. Fyne thread.
func (s *shell) callerName(d core.Dialog) (name, variable string) {
	l := s.layoutFor(d)
	variable = s.callerVar
	if variable == "" && len(l.Header) > 0 {
		variable = l.Header[0].Variable
	}
	return clip(l.CallerName(d, variable), maxNameRunes), variable
}

// maxNameRunes bounds a name taken from call data (ECC values reach 210
// bytes); labels truncate anyway, this keeps notifications short too.
const maxNameRunes = 60

// callDataText is d's call data as "Label: value" lines, in the layout's
// order; entries without a value are left out, and so is nameVar, the
// variable already shown as the card's title ("" for none). Fyne thread.
func (s *shell) callDataText(d core.Dialog, nameVar string) string {
	var lines []string
	for _, v := range s.layoutFor(d).Values(d) {
		val := strings.TrimSpace(v.Value)
		if val == "" || (nameVar != "" && v.Variable == nameVar) {
			continue
		}
		if len(lines) == maxVariables {
			lines = append(lines, "…")
			break
		}
		lines = append(lines, fmt.Sprintf("%s: %s", v.Label, val))
	}
	return strings.Join(lines, "\n")
}

// editableFields are the layout entries of d the agent may change: those
// the layout marks editable that are call variables (callVariableN or
// user.*), since built-ins such as DNIS cannot be set.
func editableFields(l core.CallLayout, d core.Dialog) []core.LabelledValue {
	var out []core.LabelledValue
	for _, v := range l.Values(d) {
		if v.Editable && settable(v.Variable) {
			out = append(out, v)
		}
	}
	return out
}

func settable(name string) bool {
	return strings.HasPrefix(name, "callVariable") || strings.HasPrefix(name, "user.")
}

// checkCallValue says why value cannot be stored in variable name, in the
// agent's words (Finesse's limits, reference §3.4), or "".
func checkCallValue(name, value string) string {
	switch {
	case strings.HasPrefix(name, "callVariable") && len(value) > 40:
		return fmt.Sprintf("at most 40 characters (this one has %d)", len(value))
	case strings.HasPrefix(name, "user.") && len(value) > 210:
		return fmt.Sprintf("at most 210 characters (this one has %d)", len(value))
	}
	return ""
}

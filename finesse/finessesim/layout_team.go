package finessesim

import (
	"errors"
	"net/http"
	"slices"
	"strings"
)

// Team call variable layouts: Finesse 12.5's preferred
// GET /finesse/api/TeamResource/{teamId}/MediaPropertiesLayouts, the
// layouts the administrator assigned to the agent's team (the Finesse
// administration's Team Resources). Cisco's pages seen give the resource
// but not whether its list carries the system's DEFAULT layout as well as
// the team's custom ones, so TeamLayoutConfig.OmitDefault leaves it out;
// NotFound answers 404, as a Finesse older than 12.5.

// TeamLayoutConfig configures the team layout resource.
type TeamLayoutConfig struct {
	// ByTeam maps a team id to its layouts; a team not in it (and every
	// team when ByTeam is nil) gets DefaultTeamLayouts.
	ByTeam map[string][]Layout
	// OmitDefault leaves the DEFAULT layout out of the team's list.
	OmitDefault bool
	// NotFound answers the resource with 404 (a release without it).
	NotFound bool
}

// DefaultTeamLayouts are a team's layouts when none are configured: the
// simulator's user layouts (DefaultLayouts) plus a Support layout that the
// per-user list does not have, so a client reading the team resource can
// be told from one reading the user's.
func DefaultTeamLayouts() []Layout {
	name := LayoutEntry{DisplayName: "Customer", MediaProperty: "user.customer.name"}
	return append(DefaultLayouts(), Layout{Name: "Support", Type: "CUSTOM", Header: []LayoutEntry{name},
		Columns: [][]LayoutEntry{{name,
			{DisplayName: "Case number", MediaProperty: "callVariable6", UIEditable: true},
			{DisplayName: "Product", MediaProperty: "callVariable7"}}}})
}

// ErrBadLayouts is returned for layouts Finesse would refuse.
var ErrBadLayouts = errors.New("finessesim: bad layouts")

// SetTeamLayouts replaces team's layouts (nil: back to the configured
// ones). At most one may be DEFAULT, names must be unique (Finesse's
// rule) and at most 40 characters.
func (s *Sim) SetTeamLayouts(team string, ls []Layout) error {
	if err := checkLayouts(ls); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ls == nil {
		delete(s.teamLayouts, team)
		return nil
	}
	if s.teamLayouts == nil {
		s.teamLayouts = map[string][]Layout{}
	}
	s.teamLayouts[team] = slices.Clone(ls)
	return nil
}

func checkLayouts(ls []Layout) error {
	defaults, names := 0, map[string]bool{}
	for _, l := range ls {
		n := strings.TrimSpace(l.Name)
		switch {
		case n == "" || len(n) > 40:
			return errors.Join(ErrBadLayouts, errors.New("a layout name must have 1 to 40 characters"))
		case names[strings.ToLower(n)]:
			return errors.Join(ErrBadLayouts, errors.New("layout "+n+" is given twice"))
		case l.Type != "DEFAULT" && l.Type != "CUSTOM":
			return errors.Join(ErrBadLayouts, errors.New("layout "+n+": type must be DEFAULT or CUSTOM"))
		}
		names[strings.ToLower(n)] = true
		if l.Type == "DEFAULT" {
			defaults++
		}
	}
	if defaults > 1 {
		return errors.Join(ErrBadLayouts, errors.New("only one layout can be DEFAULT"))
	}
	return nil
}

// layoutsOfTeam are team's layouts as served: set by control, else
// configured, else DefaultTeamLayouts; without the DEFAULT one when the
// config says so.
func (s *Sim) layoutsOfTeam(team string) []Layout {
	s.mu.Lock()
	ls, ok := s.teamLayouts[team]
	s.mu.Unlock()
	if !ok {
		ls, ok = s.cfg.TeamLayouts.ByTeam[team]
	}
	if !ok {
		ls = DefaultTeamLayouts()
	}
	if s.cfg.TeamLayouts.OmitDefault {
		ls = slices.DeleteFunc(slices.Clone(ls), func(l Layout) bool { return l.Type == "DEFAULT" })
	}
	return ls
}

// getTeamLayouts serves TeamResource/{tid}/MediaPropertiesLayouts to a
// member of the team.
func (n *Node) getTeamLayouts(w http.ResponseWriter, r *http.Request) {
	if n.sim.cfg.TeamLayouts.NotFound {
		writeAPIError(w, http.StatusNotFound, "Not Found", "Resource not found", r.URL.Path)
		return
	}
	if !n.teamMember(w, r) {
		return
	}
	var out wireLayouts
	for i, l := range n.sim.layoutsOfTeam(r.PathValue("tid")) {
		out.Layouts = append(out.Layouts, layoutToWire(100+i, l))
	}
	writeXML(w, out, "MediaPropertiesLayouts")
}

// ctlTeamLayouts is PUT /teams/{tid}/layouts with {"layouts":[{"name":
// "Billing","type":"CUSTOM","header":[{"displayName":"Customer",
// "mediaProperty":"callVariable1"}],"columns":[[{"displayName":"Invoice",
// "mediaProperty":"callVariable4","uiEditable":true}]]}]}; DELETE goes
// back to the configured layouts.
func (s *Sim) ctlTeamLayouts(w http.ResponseWriter, r *http.Request) {
	var b struct{ Layouts []Layout }
	if r.Method == http.MethodPut {
		if !decodeJSON(w, r, &b) {
			return
		}
		if b.Layouts == nil {
			b.Layouts = []Layout{} // an empty list is a team with none
		}
	}
	if err := s.SetTeamLayouts(r.PathValue("tid"), b.Layouts); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

package finesse

import (
	"context"
	"encoding/xml"
	"errors"
	"net/url"
	"strings"

	"github.com/agentlink/agentlink/core"
)

// Call variable layouts (MediaPropertiesLayout, reference §2.10; Cisco
// Finesse Web Services guide, "MediaPropertiesLayout"). Decoding is
// lowercase, like every wire type here.

type wireLayouts struct {
	XMLName xml.Name     `xml:"mediapropertieslayouts"`
	Layouts []wireLayout `xml:"mediapropertieslayout"`
}

type wireLayout struct {
	XMLName xml.Name          `xml:"mediapropertieslayout"`
	Name    string            `xml:"name"`
	Type    string            `xml:"type"` // DEFAULT or CUSTOM
	Header  []wireLayoutEntry `xml:"header>entry"`
	Columns []wireLayoutCol   `xml:"column"`
}

type wireLayoutCol struct {
	Entries []wireLayoutEntry `xml:"entry"`
}

type wireLayoutEntry struct {
	DisplayName   string `xml:"displayname"`
	MediaProperty string `xml:"mediaproperty"`
	UIEditable    string `xml:"uieditable"`
}

// CallLayouts GETs the agent's call variable layouts (core.LayoutPort).
// Finesse 12.5 prefers the team's list,
// TeamResource/{team}/MediaPropertiesLayouts (the layouts the
// administrator assigned to the agent's team); an older Finesse, or one
// that does not know the team, answers 404 (teamResourceMissing) and the
// per-user endpoints are used: the list, whose DEFAULT entry is the
// default and the rest custom layouts a call names in user.layout, and
// when that deprecated list is refused the default layout alone.
func (l *Link) CallLayouts(ctx context.Context) (core.CallLayouts, error) {
	ep, c, err := l.target()
	if err != nil {
		return core.CallLayouts{}, err
	}
	if team := l.teamID(); team != "" {
		ls, err := l.teamLayouts(ctx, ep, c, team)
		if err == nil || !teamResourceMissing(err) {
			return ls, err
		}
		l.cfg.Logger.Info("finesse team call variable layouts unavailable; using the per-user ones", "team", team, "err", err)
	}
	var list wireLayouts
	err = l.rest.get(ctx, ep, c, userPath(c.user)+"/MediaPropertiesLayouts", "MediaPropertiesLayouts", &list)
	if err == nil {
		return layoutsFromWire(list.Layouts), nil
	}
	var fe *core.FinesseError
	if !errors.As(err, &fe) {
		return core.CallLayouts{}, err
	}
	one, err := l.userDefaultLayout(ctx, ep, c)
	if err != nil {
		return core.CallLayouts{}, err
	}
	return core.CallLayouts{Default: one}, nil
}

// teamLayouts GETs the team's list. Whether it carries the DEFAULT layout
// is not documented: when none is marked DEFAULT the user's default
// layout is fetched for it, and every listed layout stays a custom one.
func (l *Link) teamLayouts(ctx context.Context, ep Endpoint, c creds, team string) (core.CallLayouts, error) {
	var list wireLayouts
	path := "/finesse/api/TeamResource/" + url.PathEscape(team) + "/MediaPropertiesLayouts"
	if err := l.rest.get(ctx, ep, c, path, "MediaPropertiesLayouts", &list); err != nil {
		return core.CallLayouts{}, err
	}
	if hasDefaultLayout(list.Layouts) {
		ls := layoutsFromWire(list.Layouts)
		ls.Team = team
		return ls, nil
	}
	ls := core.CallLayouts{Team: team}
	for _, w := range list.Layouts {
		ls.Custom = append(ls.Custom, layoutFromWire(w))
	}
	def, err := l.userDefaultLayout(ctx, ep, c)
	if err != nil {
		// The team's custom layouts still label the calls that name them.
		l.cfg.Logger.Warn("finesse default call variable layout unavailable", "err", err)
		return ls, nil
	}
	ls.Default = def
	return ls, nil
}

// userDefaultLayout GETs User/{id}/MediaPropertiesLayout, the default.
func (l *Link) userDefaultLayout(ctx context.Context, ep Endpoint, c creds) (core.CallLayout, error) {
	var one wireLayout
	if err := l.rest.get(ctx, ep, c, userPath(c.user)+"/MediaPropertiesLayout", "MediaPropertiesLayout", &one); err != nil {
		return core.CallLayout{}, err
	}
	return layoutFromWire(one), nil
}

func hasDefaultLayout(ws []wireLayout) bool {
	for _, w := range ws {
		if strings.EqualFold(strings.TrimSpace(w.Type), "DEFAULT") {
			return true
		}
	}
	return false
}

// layoutsFromWire splits a list into the default (type DEFAULT, else the
// first) and the custom layouts.
func layoutsFromWire(ws []wireLayout) core.CallLayouts {
	var out core.CallLayouts
	def := -1
	for i, w := range ws {
		if strings.EqualFold(strings.TrimSpace(w.Type), "DEFAULT") {
			def = i
			break
		}
	}
	if def < 0 && len(ws) > 0 {
		def = 0
	}
	for i, w := range ws {
		if i == def {
			out.Default = layoutFromWire(w)
		} else {
			out.Custom = append(out.Custom, layoutFromWire(w))
		}
	}
	return out
}

func layoutFromWire(w wireLayout) core.CallLayout {
	l := core.CallLayout{Name: strings.TrimSpace(w.Name), Header: fieldsFromWire(w.Header)}
	for _, c := range w.Columns {
		l.Columns = append(l.Columns, fieldsFromWire(c.Entries))
	}
	return l
}

func fieldsFromWire(es []wireLayoutEntry) []core.LayoutField {
	var out []core.LayoutField
	for _, e := range es {
		name := strings.TrimSpace(e.MediaProperty)
		if name == "" {
			continue
		}
		out = append(out, core.LayoutField{
			Label:    strings.TrimSpace(e.DisplayName),
			Variable: name,
			Editable: strings.EqualFold(strings.TrimSpace(e.UIEditable), "true"),
		})
	}
	return out
}

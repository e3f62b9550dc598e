package finesse

import (
	"context"
	"encoding/xml"
	"errors"
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

// CallLayouts GETs the agent's call variable layouts (core.LayoutPort):
// the list, whose DEFAULT entry is the default and the rest custom layouts
// a call names in user.layout. Finesse deprecates the list (12.5), so when
// it is refused the default layout alone is fetched.
func (l *Link) CallLayouts(ctx context.Context) (core.CallLayouts, error) {
	ep, c, err := l.target()
	if err != nil {
		return core.CallLayouts{}, err
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
	var one wireLayout
	if err := l.rest.get(ctx, ep, c, userPath(c.user)+"/MediaPropertiesLayout", "MediaPropertiesLayout", &one); err != nil {
		return core.CallLayouts{}, err
	}
	return core.CallLayouts{Default: layoutFromWire(one)}, nil
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

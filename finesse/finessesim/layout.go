package finessesim

import (
	"encoding/xml"
	"net/http"
	"strconv"
)

// Layout is a call variables layout (MediaPropertiesLayout, reference
// §2.10): Header is the call's header entry, Columns the body (Finesse
// allows two columns of up to ten entries). Type is DEFAULT for the one
// default layout, CUSTOM otherwise; a call picks a custom layout by naming
// it in its user.layout ECC variable.
type Layout struct {
	Name    string
	Type    string // "DEFAULT" or "CUSTOM"
	Header  []LayoutEntry
	Columns [][]LayoutEntry
}

// LayoutEntry is one entry: the label and the media property it shows.
type LayoutEntry struct {
	DisplayName   string
	MediaProperty string // callVariable1-10, user.<ecc>, BA…, or DNIS etc.
	UIEditable    bool
}

// DefaultLayouts is what the simulator serves when Config.Layouts is nil.
// They fit the demo's calls: the header (the customer's name) is the ECC
// variable user.customer.name; the account is callVariable1, the topic
// callVariable2 (editable), notes user.notes (editable). A call whose
// user.layout is "Billing" gets the custom layout with an invoice field.
func DefaultLayouts() []Layout {
	name := LayoutEntry{DisplayName: "Customer", MediaProperty: "user.customer.name"}
	account := LayoutEntry{DisplayName: "Account", MediaProperty: "callVariable1"}
	return []Layout{
		{Name: "Default Layout", Type: "DEFAULT", Header: []LayoutEntry{name}, Columns: [][]LayoutEntry{
			{name, account, {DisplayName: "Topic", MediaProperty: "callVariable2", UIEditable: true}},
			{{DisplayName: "Notes", MediaProperty: "user.notes", UIEditable: true}, {DisplayName: "Dialled number", MediaProperty: "DNIS"}},
		}},
		{Name: "Billing", Type: "CUSTOM", Header: []LayoutEntry{name}, Columns: [][]LayoutEntry{
			{name, account, {DisplayName: "Invoice", MediaProperty: "callVariable4", UIEditable: true},
				{DisplayName: "Amount due", MediaProperty: "callVariable5"}},
		}},
	}
}

// Wire form (Cisco Finesse Web Services, "MediaPropertiesLayout").

type wireLayouts struct {
	XMLName xml.Name     `xml:"MediaPropertiesLayouts"`
	Layouts []wireLayout `xml:"MediaPropertiesLayout"`
}

type wireLayout struct {
	XMLName     xml.Name          `xml:"MediaPropertiesLayout"`
	URI         string            `xml:"uri"`
	Name        string            `xml:"name"`
	Description string            `xml:"description"`
	Type        string            `xml:"type"`
	Header      []wireLayoutEntry `xml:"header>entry"`
	Columns     []wireLayoutCol   `xml:"column"`
}

type wireLayoutCol struct {
	Entries []wireLayoutEntry `xml:"entry"`
}

type wireLayoutEntry struct {
	DisplayName   string `xml:"displayName"`
	MediaProperty string `xml:"mediaProperty"`
	ShowInPopOver bool   `xml:"showInPopOver"`
	UIEditable    bool   `xml:"uiEditable"`
}

func (s *Sim) layouts() []Layout {
	if s.cfg.Layouts != nil {
		return s.cfg.Layouts
	}
	return DefaultLayouts()
}

func layoutToWire(i int, l Layout) wireLayout {
	w := wireLayout{URI: "/finesse/api/MediaPropertiesLayout/" + strconv.Itoa(i+1), Name: l.Name,
		Description: l.Name, Type: l.Type, Header: entriesToWire(l.Header)}
	for _, c := range l.Columns {
		w.Columns = append(w.Columns, wireLayoutCol{Entries: entriesToWire(c)})
	}
	return w
}

func entriesToWire(es []LayoutEntry) []wireLayoutEntry {
	out := make([]wireLayoutEntry, 0, len(es))
	for _, e := range es {
		out = append(out, wireLayoutEntry{DisplayName: e.DisplayName, MediaProperty: e.MediaProperty, UIEditable: e.UIEditable})
	}
	return out
}

// layoutRoutes adds the layout resources to the route table.
func (n *Node) layoutRoutes(mux *http.ServeMux, api string) {
	mux.HandleFunc("GET "+api+"/User/{id}/MediaPropertiesLayout", n.getUserLayout)            // the default layout
	mux.HandleFunc("GET "+api+"/User/{id}/MediaPropertiesLayouts", n.getUserLayouts)          // all (deprecated in 12.5)
	mux.HandleFunc("GET "+api+"/TeamResource/{tid}/MediaPropertiesLayouts", n.getTeamLayouts) // layout_team.go
}

// getUserLayout serves the DEFAULT layout (the first when none says so).
func (n *Node) getUserLayout(w http.ResponseWriter, r *http.Request) {
	if _, ok := ownUser(w, r); !ok {
		return
	}
	ls := n.sim.layouts()
	i := 0
	for j, l := range ls {
		if l.Type == "DEFAULT" {
			i = j
			break
		}
	}
	if len(ls) == 0 {
		writeXML(w, wireLayout{Name: "Default Layout", Type: "DEFAULT"}, "MediaPropertiesLayout")
		return
	}
	writeXML(w, layoutToWire(i, ls[i]), "MediaPropertiesLayout")
}

// getUserLayouts serves every layout, or 404 with Config.NoLayoutList (a
// release that dropped the deprecated list).
func (n *Node) getUserLayouts(w http.ResponseWriter, r *http.Request) {
	if _, ok := ownUser(w, r); !ok {
		return
	}
	if n.sim.cfg.NoLayoutList {
		writeAPIError(w, http.StatusNotFound, "Not Found", "Resource not found", r.URL.Path)
		return
	}
	var out wireLayouts
	for i, l := range n.sim.layouts() {
		out.Layouts = append(out.Layouts, layoutToWire(i, l))
	}
	writeXML(w, out, "MediaPropertiesLayouts")
}

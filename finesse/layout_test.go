package finesse

import (
	"fmt"
	"testing"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// The link fetches the layouts from the simulator: the DEFAULT one and the
// custom ones, with labels, order and uiEditable.
func TestSimCallLayouts(t *testing.T) {
	t.Parallel()
	e := startEnv(t, finessesim.Config{Seed: 61}, DirectTLS)
	e.login(t)
	ls, err := e.link.CallLayouts(t.Context())
	if err != nil {
		t.Fatalf("CallLayouts: %v", err)
	}
	if ls.Default.Name != "Default Layout" || len(ls.Custom) != 1 || ls.Custom[0].Name != "Billing" {
		t.Fatalf("layouts = %+v", ls)
	}
	if h := ls.Default.Header; len(h) != 1 || h[0] != (core.LayoutField{Label: "Customer", Variable: "user.customer.name"}) {
		t.Errorf("header = %+v", h)
	}
	fs := ls.Default.Fields()
	var got []string
	for _, f := range fs {
		got = append(got, f.Label+"="+f.Variable)
	}
	want := "[Customer=user.customer.name Account=callVariable1 Topic=callVariable2 Notes=user.notes Dialled number=DNIS]"
	if s := fmt.Sprint(got); s != want {
		t.Errorf("fields = %s, want %s", s, want)
	}
	if len(fs) < 3 || fs[1].Editable || !fs[2].Editable {
		t.Errorf("editable flags = %+v", fs)
	}
	var _ core.LayoutPort = e.link // the session finds the layouts through this
}

// A Finesse without the deprecated list still gives the default layout;
// configured layouts are served as given.
func TestSimCallLayoutsFallback(t *testing.T) {
	t.Parallel()
	custom := []finessesim.Layout{{Name: "Only", Type: "DEFAULT",
		Columns: [][]finessesim.LayoutEntry{{{DisplayName: "Case", MediaProperty: "callVariable7", UIEditable: true}}}}}
	e := startEnv(t, finessesim.Config{Seed: 62, Layouts: custom, NoLayoutList: true}, DirectTLS)
	e.login(t)
	ls, err := e.link.CallLayouts(t.Context())
	if err != nil {
		t.Fatalf("CallLayouts: %v", err)
	}
	want := core.LayoutField{Label: "Case", Variable: "callVariable7", Editable: true}
	if ls.Default.Name != "Only" || len(ls.Custom) != 0 || len(ls.Default.Columns) != 1 || ls.Default.Columns[0][0] != want {
		t.Errorf("layouts = %+v", ls)
	}
}

// The documented XML (Cisco Finesse Web Services, MediaPropertiesLayout)
// decodes; an entry without mediaProperty is skipped; no DEFAULT type
// makes the first layout the default.
func TestLayoutsFromWireDoc(t *testing.T) {
	const doc = `<MediaPropertiesLayouts><MediaPropertiesLayout>
  <uri>/finesse/api/MediaPropertiesLayout/7</uri><name>Sales</name><type>CUSTOM</type>
  <header><entry><displayName>Customer Name</displayName><mediaProperty>callVariable1</mediaProperty>
    <showInPopOver>false</showInPopOver><uiEditable>false</uiEditable></entry></header>
  <column><entry><displayName>Customer Acct#</displayName><mediaProperty>user.cisco.acctnum</mediaProperty>
    <uiEditable>true</uiEditable></entry><entry><displayName>x</displayName><mediaProperty></mediaProperty></entry></column>
  <column></column>
</MediaPropertiesLayout><MediaPropertiesLayout><name>Other</name><type>CUSTOM</type></MediaPropertiesLayout></MediaPropertiesLayouts>`
	var w wireLayouts
	if err := decodeXML([]byte(doc), "MediaPropertiesLayouts", &w); err != nil {
		t.Fatal(err)
	}
	ls := layoutsFromWire(w.Layouts)
	if ls.Default.Name != "Sales" || len(ls.Custom) != 1 {
		t.Fatalf("layouts = %+v", ls)
	}
	if c := ls.Default.Columns; len(c) != 2 || len(c[0]) != 1 || c[0][0] != (core.LayoutField{Label: "Customer Acct#", Variable: "user.cisco.acctnum", Editable: true}) {
		t.Errorf("columns = %+v", c)
	}
}

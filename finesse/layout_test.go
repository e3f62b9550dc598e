package finesse

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// The link fetches the layouts from the simulator's team resource: the
// DEFAULT one and the team's custom ones, with labels, order and
// uiEditable.
func TestSimCallLayouts(t *testing.T) {
	t.Parallel()
	e := startEnv(t, finessesim.Config{Seed: 61}, DirectTLS)
	e.login(t)
	ls, err := e.link.CallLayouts(t.Context())
	if err != nil {
		t.Fatalf("CallLayouts: %v", err)
	}
	if ls.Default.Name != "Default Layout" || layoutNames(ls.Custom) != "Billing Support" || ls.Team != "10" {
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

func layoutNames(ls []core.CallLayout) string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Name)
	}
	return strings.Join(out, " ")
}

// A Finesse without the team resource (404, older than 12.5) gives the
// per-user list; one that leaves the DEFAULT out of the team's list gets
// the default from User/{id}/MediaPropertiesLayout and keeps the team's
// custom layouts.
func TestSimTeamCallLayoutsFallback(t *testing.T) {
	t.Parallel()
	old := startEnv(t, finessesim.Config{Seed: 63, TeamLayouts: finessesim.TeamLayoutConfig{NotFound: true}}, DirectTLS)
	old.login(t)
	ls, err := old.link.CallLayouts(t.Context())
	if err != nil || ls.Team != "" || ls.Default.Name != "Default Layout" || layoutNames(ls.Custom) != "Billing" {
		t.Errorf("without the team resource: %+v, %v", ls, err)
	}
	noDef := startEnv(t, finessesim.Config{Seed: 64, TeamLayouts: finessesim.TeamLayoutConfig{OmitDefault: true}}, DirectTLS)
	noDef.login(t)
	ls, err = noDef.link.CallLayouts(t.Context())
	if err != nil || ls.Team != "10" || ls.Default.Name != "Default Layout" || layoutNames(ls.Custom) != "Billing Support" {
		t.Errorf("team list without DEFAULT: %+v, %v", ls, err)
	}
}

// Layouts set for the team through the simulator's control API (real HTTP)
// reach the link, and a call naming one in user.Layout gets it.
func TestSimTeamCallLayoutsByControl(t *testing.T) {
	t.Parallel()
	e := startEnv(t, finessesim.Config{Seed: 65}, DirectTLS)
	e.login(t)
	body := `{"layouts":[
	  {"name":"Team Ten","type":"DEFAULT","header":[{"displayName":"Caller","mediaProperty":"callVariable1"}]},
	  {"name":"Sales","type":"CUSTOM","columns":[[{"displayName":"Offer","mediaProperty":"callVariable3","uiEditable":true}]]},
	  {"name":"Retention","type":"CUSTOM","columns":[[{"displayName":"Churn risk","mediaProperty":"user.churn"}]]}]}`
	ctl := func(method, body string) int {
		req, _ := http.NewRequest(method, e.sim.ControlURL()+"/teams/10/layouts", strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := ctl(http.MethodPut, body); st != http.StatusNoContent {
		t.Fatalf("PUT layouts: %d", st)
	}
	if st := ctl(http.MethodPut, `{"layouts":[{"name":"A","type":"DEFAULT"},{"name":"B","type":"DEFAULT"}]}`); st != http.StatusBadRequest {
		t.Errorf("two DEFAULT layouts: %d, want 400", st)
	}
	ls, err := e.link.CallLayouts(t.Context())
	if err != nil || ls.Default.Name != "Team Ten" || layoutNames(ls.Custom) != "Sales Retention" {
		t.Fatalf("layouts = %+v, %v", ls, err)
	}
	d := core.Dialog{Variables: []core.CallVariable{{Name: "user.Layout", Value: "Retention"}, {Name: "user.churn", Value: "high"}}}
	if got := ls.For(d).Values(d); len(got) != 1 || got[0].Label != "Churn risk" || got[0].Value != "high" {
		t.Errorf("a Retention call shows %+v", got)
	}
	if st := ctl(http.MethodDelete, ""); st != http.StatusNoContent {
		t.Fatalf("DELETE layouts: %d", st)
	}
	if ls, err := e.link.CallLayouts(t.Context()); err != nil || layoutNames(ls.Custom) != "Billing Support" {
		t.Errorf("after DELETE: %+v, %v", ls, err)
	}
}

// A Finesse without the deprecated list still gives the default layout;
// configured layouts are served as given.
func TestSimCallLayoutsFallback(t *testing.T) {
	t.Parallel()
	custom := []finessesim.Layout{{Name: "Only", Type: "DEFAULT",
		Columns: [][]finessesim.LayoutEntry{{{DisplayName: "Case", MediaProperty: "callVariable7", UIEditable: true}}}}}
	e := startEnv(t, finessesim.Config{Seed: 62, Layouts: custom, NoLayoutList: true,
		TeamLayouts: finessesim.TeamLayoutConfig{NotFound: true}}, DirectTLS)
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

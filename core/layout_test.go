package core_test

import (
	"context"
	"errors"
	"testing"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

var testLayouts = core.CallLayouts{
	Default: core.CallLayout{
		Name:   "Default Layout",
		Header: []core.LayoutField{{Label: "Customer Name", Variable: "callVariable1"}},
		Columns: [][]core.LayoutField{
			{{Label: "Customer Name", Variable: "callVariable1"}, {Label: "Account", Variable: "user.acct", Editable: true}},
			{{Label: "", Variable: "callVariable3"}, {Label: "Dialled", Variable: "DNIS"}},
		},
	},
	Custom: []core.CallLayout{{
		Name:    "Billing",
		Columns: [][]core.LayoutField{{{Label: "Invoice", Variable: "callVariable2", Editable: true}}},
	}},
}

func callWith(vars ...core.CallVariable) core.Dialog {
	d := coretest.Dialog("d9", ext, caller, core.PartActive)
	d.DNIS = "8005550000"
	d.Variables = vars
	return d
}

// Values follow the layout's order and labels, list each variable once and
// fall back to the variable name for an empty label.
func TestLayoutValues(t *testing.T) {
	d := callWith(core.CallVariable{Name: "callVariable3", Value: "gold"},
		core.CallVariable{Name: "callVariable1", Value: "Ada Lovelace"},
		core.CallVariable{Name: "callVariable9", Value: "not in layout"})
	got := testLayouts.For(d).Values(d)
	want := []core.LabelledValue{
		{Label: "Customer Name", Variable: "callVariable1", Value: "Ada Lovelace"},
		{Label: "Account", Variable: "user.acct", Value: "", Editable: true},
		{Label: "callVariable3", Variable: "callVariable3", Value: "gold"},
		{Label: "Dialled", Variable: "DNIS", Value: "8005550000"},
	}
	if len(got) != len(want) {
		t.Fatalf("Values = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Values[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	if n := testLayouts.For(d).CallerName(d, ""); n != "Ada Lovelace" {
		t.Errorf("CallerName by header = %q", n)
	}
	if n := testLayouts.For(d).CallerName(d, "callVariable3"); n != "gold" {
		t.Errorf("CallerName(callVariable3) = %q", n)
	}
}

// user.layout (any case) picks a custom layout; an unknown name the default.
func TestLayoutChosenByCall(t *testing.T) {
	for _, tc := range []struct{ name, value, want string }{
		{"user.layout", "Billing", "Billing"},
		{"user.Layout", "billing", "Billing"},
		{"user.layout", "Nope", "Default Layout"},
		{"callVariable1", "Billing", "Default Layout"},
	} {
		d := callWith(core.CallVariable{Name: tc.name, Value: tc.value})
		if got := testLayouts.For(d).Name; got != tc.want {
			t.Errorf("%s=%s: layout %q, want %q", tc.name, tc.value, got, tc.want)
		}
	}
}

// Without a layout every non-empty variable is listed under its own name,
// except the layout selector itself.
func TestLayoutNone(t *testing.T) {
	d := callWith(core.CallVariable{Name: "callVariable1", Value: "x"},
		core.CallVariable{Name: "callVariable2", Value: " "},
		core.CallVariable{Name: "user.layout", Value: "Billing"})
	got := core.CallLayout{}.Values(d)
	if len(got) != 1 || got[0].Label != "callVariable1" || got[0].Value != "x" {
		t.Errorf("Values without layout = %+v", got)
	}
}

type layoutPort struct {
	coretest.Port
	err error
}

func (p *layoutPort) CallLayouts(context.Context) (core.CallLayouts, error) {
	return testLayouts, p.err
}

// The session fetches layouts through a port that has them and says
// clearly when the port has none.
func TestSessionCallLayouts(t *testing.T) {
	f := newFixture(t, nil)
	if _, err := f.s.CallLayouts(t.Context()); !errors.Is(err, core.ErrNoLayouts) {
		t.Errorf("CallLayouts on a port without layouts = %v, want ErrNoLayouts", err)
	}
	lp := &layoutPort{}
	s := core.NewSession(core.Config{Port: lp})
	ls, err := s.CallLayouts(t.Context())
	if err != nil || ls.Default.Name != "Default Layout" || len(ls.Custom) != 1 {
		t.Errorf("CallLayouts = %+v, %v", ls, err)
	}
}

// A team's several layouts: the call's user.Layout (CCE spelling) or
// user.layout (UCCX) picks one by name, exact case first; a name the team
// does not have, or none, gives the default, and Choose says which case.
func TestLayoutChoiceAmongTeamLayouts(t *testing.T) {
	team := core.CallLayouts{Team: "10",
		Default: core.CallLayout{Name: "Team Default"},
		Custom:  []core.CallLayout{{Name: "billing"}, {Name: "Billing"}, {Name: " Sales "}},
	}
	for _, tc := range []struct {
		vars []core.CallVariable
		want string
		why  core.LayoutChoice
	}{
		{nil, "Team Default", core.LayoutDefault},
		{[]core.CallVariable{{Name: "user.Layout", Value: "Billing"}}, "Billing", core.LayoutNamed},
		{[]core.CallVariable{{Name: "user.layout", Value: "billing"}}, "billing", core.LayoutNamed},
		{[]core.CallVariable{{Name: "user.layout", Value: "BILLING"}}, "billing", core.LayoutNamed},
		{[]core.CallVariable{{Name: "user.Layout", Value: "Sales"}}, " Sales ", core.LayoutNamed},
		{[]core.CallVariable{{Name: "user.Layout", Value: "team default"}}, "Team Default", core.LayoutNamed},
		{[]core.CallVariable{{Name: "user.Layout", Value: "Support"}}, "Team Default", core.LayoutUnknown},
		{[]core.CallVariable{{Name: "user.Layout", Value: "  "}}, "Team Default", core.LayoutDefault},
	} {
		d := callWith(tc.vars...)
		l, why := team.Choose(d)
		if l.Name != tc.want || why != tc.why {
			t.Errorf("%+v: layout %q (%d), want %q (%d)", tc.vars, l.Name, why, tc.want, tc.why)
		}
		if team.For(d).Name != l.Name {
			t.Errorf("For and Choose differ for %+v", tc.vars)
		}
	}
	if n := core.NamedLayout(callWith(core.CallVariable{Name: "user.Layout", Value: " Support "})); n != "Support" {
		t.Errorf("NamedLayout = %q", n)
	}
}

package ui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// layoutPort is a fake port that also serves call variable layouts.
type layoutPort struct {
	*coretest.Port
	layouts core.CallLayouts
}

func (p layoutPort) CallLayouts(context.Context) (core.CallLayouts, error) { return p.layouts, nil }

// uiLayouts is the simulator's default layout, as the client decodes it.
var uiLayouts = core.CallLayouts{Default: core.CallLayout{
	Name:   "Default Layout",
	Header: []core.LayoutField{{Label: "Customer", Variable: "user.customer.name"}},
	Columns: [][]core.LayoutField{
		{{Label: "Customer", Variable: "user.customer.name"}, {Label: "Account", Variable: "callVariable1"},
			{Label: "Topic", Variable: "callVariable2", Editable: true}},
		{{Label: "Notes", Variable: "user.notes", Editable: true}, {Label: "Dialled number", Variable: "DNIS"}},
	},
}}

// customerCall is a connected call carrying the demo's call data.
func customerCall(id string) core.Dialog {
	d := coretest.Dialog(id, "5001", "+14155550123", core.PartActive, core.ActionHold, core.ActionDrop, core.ActionUpdateCallData)
	d.DNIS = "8005550100"
	d.Variables = []core.CallVariable{{Name: "callVariable2", Value: "Billing"}, {Name: "callVariable1", Value: "ACME-1042"},
		{Name: "user.customer.name", Value: "Dana Whitfield"}}
	return d
}

// The card's title is the customer's name (the layout's header entry) and
// the call data follows the layout's labels and order, at both window sizes.
func TestCallCardLayoutLabels(t *testing.T) {
	for _, size := range windowSizes {
		t.Run(sizeName(size), func(t *testing.T) { testCallCardLayoutLabels(t, size) })
	}
}

func testCallCardLayoutLabels(t *testing.T, size fyne.Size) {
	{
		f := newFixture(t, fixtureOpts{answer: finesse, layouts: &uiLayouts})
		f.signIn(core.StateTalking)
		f.sess.Apply(coretest.DialogUpdate(customerCall("d1")))
		f.waitFor("the labelled card", func() bool {
			c := f.card("d1")
			return c != nil && c.title.Text == "Dana Whitfield"
		})
		f.ui(func() {
			c := f.card("d1")
			if !strings.HasPrefix(c.sub.Text, "+14155550123 · Inbound") {
				t.Errorf("subtitle = %q, want the number and call type", c.sub.Text)
			}
			want := "Account: ACME-1042\nTopic: Billing\nDialled number: 8005550100"
			if c.vars.Text != want {
				t.Errorf("call data =\n%s\nwant\n%s", c.vars.Text, want)
			}
			if !c.edit.Visible() || c.edit.Disabled() {
				t.Error("Edit call data not offered although the layout has editable variables")
			}
			f.s.win.Resize(size)
			assertFits(t, f.s.win, size, "labelled call card")
		})
		keepCapture(t, f, "calldata-card", size)
	}
}

// ui.caller_name_variable picks the title; without a layout the card lists
// raw names and offers no Edit.
func TestCallCardNameVariableNoLayout(t *testing.T) {
	f := newFixture(t, fixtureOpts{answer: finesse, callerVar: "callVariable1"})
	f.signIn(core.StateTalking)
	f.sess.Apply(coretest.DialogUpdate(customerCall("d1")))
	f.waitFor("the card", func() bool { c := f.card("d1"); return c != nil && c.title.Text == "ACME-1042" })
	f.ui(func() {
		c := f.card("d1")
		want := "callVariable2: Billing\nuser.customer.name: Dana Whitfield"
		if c.vars.Text != want {
			t.Errorf("call data without a layout = %q, want %q (raw names, not the title's callVariable1)", c.vars.Text, want)
		}
		if c.edit.Visible() {
			t.Error("Edit offered without a layout saying what is editable")
		}
	})
}

// Edit call data: the form has the editable variables, refuses a value
// Finesse would refuse without sending, sends only what changed and says
// it was saved; Finesse's refusal is shown in the form.
func TestEditCallData(t *testing.T) {
	var refuse atomic.Bool
	answer := func(cmd core.Command) []core.Update {
		if cmd.Kind != core.CmdUpdateCallData {
			return finesse(cmd)
		}
		if refuse.Load() {
			return coretest.Echo(cmd, core.Update{Kind: core.UpdateError, DialogID: cmd.DialogID,
				Err: &core.FinesseError{Type: "Invalid Input", Message: "Call Variable is protected"}})
		}
		d := customerCall(cmd.DialogID)
		d.Variables = append(d.Variables, cmd.Variables...)
		return coretest.Echo(cmd, coretest.DialogUpdate(d))
	}
	f := newFixture(t, fixtureOpts{answer: answer, layouts: &uiLayouts})
	f.signIn(core.StateTalking)
	f.sess.Apply(coretest.DialogUpdate(customerCall("d1")))
	f.waitFor("Edit offered", func() bool { c := f.card("d1"); return c != nil && c.edit.Visible() })
	f.ui(func() { test.Tap(f.card("d1").edit) })

	var dlg *callDataDialog
	f.ui(func() {
		dlg = f.card("d1").dataDlg
		if dlg == nil || len(dlg.inputs) != 2 || dlg.fields[0].Label != "Topic" || dlg.fields[1].Label != "Notes" {
			t.Fatalf("edit form fields = %+v, want Topic and Notes", dlg)
		}
		if dlg.inputs[0].Text != "Billing" {
			t.Errorf("Topic prefilled with %q, want Billing", dlg.inputs[0].Text)
		}
		dlg.inputs[0].SetText(strings.Repeat("x", 41))
		test.Tap(dlg.save)
		if !strings.Contains(dlg.status.Text, "Topic: at most 40 characters") {
			t.Errorf("status after a too long value = %q", dlg.status.Text)
		}
		dlg.inputs[0].SetText("Billing")
		dlg.inputs[1].SetText("Wants a callback")
		test.Tap(dlg.save)
	})
	got := f.sent(1)
	if got.Kind != core.CmdUpdateCallData || got.DialogID != "d1" || len(got.Variables) != 1 ||
		got.Variables[0] != (core.CallVariable{Name: "user.notes", Value: "Wants a callback"}) {
		t.Fatalf("sent %+v, want UpdateCallData of user.notes only", got)
	}
	f.waitFor("Saved.", func() bool { return dlg.status.Text == "Saved." })
	f.waitFor("the card shows the note", func() bool {
		return strings.Contains(f.card("d1").vars.Text, "Notes: Wants a callback")
	})
	keepCapture(t, f, "calldata-edit", windowSizes[0])

	refuse.Store(true)
	f.ui(func() {
		dlg.inputs[0].SetText("Complaint")
		test.Tap(dlg.save)
	})
	f.waitFor("the refusal in the form", func() bool {
		return strings.HasPrefix(dlg.status.Text, "Finesse refused the call data") &&
			strings.HasSuffix(dlg.status.Text, "Nothing was saved.")
	})
}

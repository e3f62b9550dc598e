package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// Recent calls lists the day's calls newest first (in with the customer's
// name, missed, out), fits both window sizes opened, and Call redials.
func TestRecentCalls(t *testing.T) {
	for _, size := range windowSizes {
		t.Run(sizeName(size), func(t *testing.T) { testRecentCalls(t, size) })
	}
}

func testRecentCalls(t *testing.T, size fyne.Size) {
	f := newFixture(t, fixtureOpts{answer: finesse, layouts: &uiLayouts})
	f.signIn(core.StateNotReady)
	f.waitFor("an empty list", func() bool {
		p := f.s.phone.recent
		return p.obj.Visible() && p.item.Title == "Recent calls (0)"
	})

	f.sess.Apply(coretest.DialogUpdate(customerCall("in1")))
	f.sess.Apply(coretest.Removed("in1"))
	missed := coretest.Dialog("m1", "5001", "+442079460958", core.PartAlerting, core.ActionAnswer)
	f.sess.Apply(coretest.DialogUpdate(missed))
	f.sess.Apply(coretest.Removed("m1"))
	out := coretest.Dialog("o1", "5001", "", core.PartActive, core.ActionDrop)
	out.From, out.To, out.CallType = "5001", "4085550100", "OUT"
	f.sess.Apply(coretest.DialogUpdate(out))
	f.sess.Apply(coretest.Removed("o1"))

	f.waitFor("three recent calls, no call up", func() bool {
		return f.s.phone.recent.item.Title == "Recent calls (3)" && len(f.s.m.Dialogs) == 0
	})
	f.ui(func() {
		p := f.s.phone.recent
		var rows []string
		for _, o := range p.rows.Objects {
			rows = append(rows, rowText(o))
		}
		want := []string{"Out · 4085550100", "Missed · +442079460958", "In · Dana Whitfield (+14155550123)"}
		if len(rows) != len(want) {
			t.Fatalf("rows = %q, want %q", rows, want)
		}
		for i := range want {
			if !strings.HasPrefix(rows[i], want[i]) {
				t.Errorf("row %d = %q, want %q…", i, rows[i], want[i])
			}
		}
		p.acc.Open(0)
		f.s.win.Resize(size)
		assertFits(t, f.s.win, size, "recent calls")
		if len(p.redo) != 3 || p.redo[1].Disabled() {
			t.Fatalf("redial buttons = %d (second disabled: %v)", len(p.redo), len(p.redo) > 1 && p.redo[1].Disabled())
		}
	})
	keepCapture(t, f, "recent-calls", size)
	f.ui(func() { test.Tap(f.s.phone.recent.redo[1]) })
	if got := f.sent(1); got.Kind != core.CmdMakeCall || got.Number != "+442079460958" {
		t.Errorf("redial sent %+v, want MakeCall to the missed caller", got)
	}
}

// rowText is the labels of a recent-calls row, joined.
func rowText(o fyne.CanvasObject) string {
	var parts []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			parts = append(parts, w.Text)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return strings.Join(parts, " | ")
}

package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

func findItem(m *fyne.Menu, label string) *fyne.MenuItem {
	if m == nil {
		return nil
	}
	for _, it := range m.Items {
		if it.Label == label {
			return it
		}
	}
	return nil
}

// TestTrayNotReadyReason drives the installed tray menu: the reason
// submenu comes from the session's reason codes and sends NotReady with
// the picked reason.
func TestTrayNotReadyReason(t *testing.T) {
	f := newFixture(t, fixtureOpts{setup: func(p *coretest.Port) {
		p.ReasonCodesFunc = func(_ context.Context, c core.ReasonCategory) ([]core.ReasonCode, error) {
			if c == core.CategoryNotReady {
				return []core.ReasonCode{{ID: "11", Category: c, Code: "1", Label: "Lunch"}}, nil
			}
			return []core.ReasonCode{{ID: "21", Category: c, Code: "9", Label: "End of shift"}}, nil
		}
	}})
	f.signIn(core.StateReady)
	var lunch *fyne.MenuItem
	f.waitFor("Lunch in the tray's Not Ready submenu", func() bool {
		nr := findItem(f.app.menu, trayNotReady)
		if nr == nil || nr.ChildMenu == nil {
			return false
		}
		lunch = findItem(nr.ChildMenu, "Lunch")
		return lunch != nil
	})
	f.ui(lunch.Action)
	if got := f.sent(1); got.Kind != core.CmdNotReady || got.ReasonCodeID != "11" {
		t.Errorf("sent %s reason %q, want NotReady 11", got.Kind, got.ReasonCodeID)
	}
	f.ui(func() {
		if f.app.window != f.s.win {
			t.Error("tray window is not the softphone window")
		}
	})
}

func TestShortcutAnswers(t *testing.T) {
	f := newFixture(t, fixtureOpts{answer: finesse})
	f.signIn(core.StateReserved)
	f.sess.Apply(coretest.DialogUpdate(coretest.Dialog("d9", "5001", "0201234567", core.PartAlerting, core.ActionAnswer)))
	f.waitFor("ringing call", func() bool { return f.card("d9") != nil })
	f.ui(func() { f.s.onShortcut(fyne.KeyReturn) })
	if got := f.sent(1); got.Kind != core.CmdAnswer || got.DialogID != "d9" {
		t.Errorf("sent %s for %q, want Answer for d9", got.Kind, got.DialogID)
	}
}

func TestReasonMenu(t *testing.T) {
	var picked []string
	pick := func(id string) { picked = append(picked, id) }
	none := reasonMenu(nil, pick)
	if len(none.Items) != 1 || none.Items[0].Label != "No reason" {
		t.Fatalf("reasonMenu(nil) items = %v, want one No reason item", none.Items)
	}
	none.Items[0].Action()
	two := reasonMenu([]core.ReasonCode{{ID: "1", Label: "Lunch"}, {ID: "2", Label: "Break"}}, pick)
	for _, it := range two.Items {
		it.Action()
	}
	if got := len(picked); got != 3 || picked[0] != "" || picked[1] != "1" || picked[2] != "2" {
		t.Errorf("picked = %q, want \"\", 1, 2", picked)
	}
}

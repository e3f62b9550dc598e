package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
)

// menuItem is a tray item as the test compares it.
type menuItem struct {
	Label    string
	Disabled bool
	Checked  bool
	Sub      []menuItem
}

func flatten(m *fyne.Menu) []menuItem {
	var out []menuItem
	for _, it := range m.Items {
		if it.IsSeparator {
			out = append(out, menuItem{Label: "---"})
			continue
		}
		mi := menuItem{Label: it.Label, Disabled: it.Disabled, Checked: it.Checked}
		if it.ChildMenu != nil {
			mi.Sub = flatten(it.ChildMenu)
		}
		out = append(out, mi)
	}
	return out
}

func TestTrayMenu(t *testing.T) {
	t.Parallel()
	reasons := []core.ReasonCode{{ID: "11", Label: "Lunch"}, {ID: "12", Label: "Meeting"}}
	notReadyLunch := agentIn(core.StateNotReady)
	notReadyLunch.ReasonCodeID, notReadyLunch.ReasonLabel = "11", "Lunch"
	sep := menuItem{Label: "---"}
	subs := []menuItem{{Label: "Lunch"}, {Label: "Meeting"}}
	tail := []menuItem{sep, {Label: "Show softphone"}, {Label: "Open Connector Monitor"}, sep, {Label: "Quit"}}
	calls := func(answer, hold, retrieve, end bool) []menuItem {
		return []menuItem{{Label: "Answer", Disabled: !answer}, {Label: "Hold", Disabled: !hold},
			{Label: "Retrieve", Disabled: !retrieve}, {Label: "End", Disabled: !end}}
	}
	build := func(line string, readyOff, nrOff bool, sub []menuItem, c []menuItem) []menuItem {
		out := []menuItem{{Label: "State: " + line, Disabled: true}, sep, {Label: "Ready", Disabled: readyOff},
			{Label: "Not Ready", Disabled: nrOff, Sub: sub}, sep}
		return append(append(out, c...), tail...)
	}
	checked := []menuItem{{Label: "Lunch", Checked: true}, {Label: "Meeting"}}

	tests := []struct {
		name string
		st   trayState
		want []menuItem
	}{
		{"signed out", trayState{HasMonitor: true},
			build("Signed out", true, true, nil, calls(false, false, false, false))},
		{"ready with reasons", trayState{Model: model{Agent: agentIn(core.StateReady)}, NotReady: reasons, HasMonitor: true},
			build("Ready", true, false, subs, calls(false, false, false, false))},
		{"not ready lunch is checked", trayState{Model: model{Agent: notReadyLunch}, NotReady: reasons, HasMonitor: true},
			build("Not Ready – Lunch", false, false, checked, calls(false, false, false, false))},
		{"ringing", trayState{Model: model{Agent: agentIn(core.StateReserved),
			Dialogs: []core.Dialog{dialogAs("1", core.PartAlerting, core.ActionAnswer)}}, HasMonitor: true},
			build("Reserved", true, false, nil, calls(true, false, false, false))},
		{"talking", trayState{Model: model{Agent: agentIn(core.StateTalking),
			Dialogs: []core.Dialog{dialogAs("1", core.PartActive, core.ActionHold, core.ActionDrop)}}, HasMonitor: true},
			build("Talking", true, false, nil, calls(false, true, false, true))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := flatten(trayMenu(tt.st, trayActions{}))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("trayMenu (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTrayMenuNoBridgeAndOutOfService(t *testing.T) {
	t.Parallel()
	m := model{Agent: agentIn(core.StateReady), System: core.System{Status: core.OutOfService}}
	menu := trayMenu(trayState{Model: m}, trayActions{})
	if got, want := menu.Items[0].Label, "State: Ready (Finesse out of service)"; got != want {
		t.Errorf("state line = %q, want %q", got, want)
	}
	var mon *fyne.MenuItem
	for _, it := range menu.Items {
		if it.Label == trayMonitor {
			mon = it
		}
	}
	if mon == nil || !mon.Disabled {
		t.Errorf("Open Connector Monitor = %+v, want present and disabled without a bridge", mon)
	}
	if last := menu.Items[len(menu.Items)-1]; !last.IsQuit {
		t.Errorf("last item %q has IsQuit false; Fyne would append its own Quit", last.Label)
	}
}

func TestTrayMenuActions(t *testing.T) {
	t.Parallel()
	var got []string
	act := trayActions{
		Ready:    func() { got = append(got, "ready") },
		NotReady: func(id string) { got = append(got, "notready:"+id) },
		Call:     func(a core.Action, id string) { got = append(got, string(a)+":"+id) },
		Show:     func() { got = append(got, "show") },
		Monitor:  func() { got = append(got, "monitor") },
		Quit:     func() { got = append(got, "quit") },
	}
	m := model{Agent: agentIn(core.StateTalking), Dialogs: []core.Dialog{
		dialogAs("held", core.PartHeld, core.ActionRetrieve), dialogAs("live", core.PartActive, core.ActionDrop)}}
	menu := trayMenu(trayState{Model: m, NotReady: []core.ReasonCode{{ID: "7", Label: "Break"}}, HasMonitor: true}, act)
	for _, it := range menu.Items {
		if it.Action != nil && !it.Disabled {
			it.Action()
		}
		if it.ChildMenu != nil {
			it.ChildMenu.Items[0].Action()
		}
	}
	want := []string{"notready:7", "DROP:live", "show", "monitor", "quit"} // no Ready while Talking
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("actions run (-want +got):\n%s", diff)
	}
}

func TestMenuKeyChanges(t *testing.T) {
	t.Parallel()
	a := trayMenu(trayState{Model: model{Agent: agentIn(core.StateReady)}}, trayActions{})
	b := trayMenu(trayState{Model: model{Agent: agentIn(core.StateNotReady)}}, trayActions{})
	if menuKey(a) == menuKey(b) {
		t.Errorf("menuKey is the same for Ready and Not Ready menus: %q", menuKey(a))
	}
	if menuKey(a) != menuKey(trayMenu(trayState{Model: model{Agent: agentIn(core.StateReady)}}, trayActions{})) {
		t.Error("menuKey differs for identical menus")
	}
}

package ui

import (
	"time"

	"testing"

	"fyne.io/fyne/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
)

func TestModelApply(t *testing.T) {
	t.Parallel()
	d1 := dialogAs("1", core.PartAlerting, core.ActionAnswer)
	d1b := dialogAs("1", core.PartActive, core.ActionDrop)
	d2 := dialogAs("2", core.PartAlerting)
	ready := agentIn(core.StateReady)
	sys := core.System{Status: core.InService, Node: core.NodeB}
	m := model{}
	steps := []core.Event{
		{Seq: 1, Kind: core.EventAgent, Agent: &ready},
		{Seq: 2, Kind: core.EventDialog, Dialog: &d1},
		{Seq: 3, Kind: core.EventDialog, Dialog: &d2},
		{Seq: 4, Kind: core.EventDialog, Dialog: &d1b},
		{Seq: 5, Kind: core.EventDialogEnded, Ended: &core.CallSummary{DialogID: "2"}},
		{Seq: 6, Kind: core.EventSystem, System: &sys},
		{Seq: 7, Kind: core.EventError, Err: &core.FinesseError{}},
	}
	for _, ev := range steps {
		m = m.apply(ev)
	}
	want := model{Seq: 7, System: sys, Agent: ready, Dialogs: []core.Dialog{d1b}}
	if diff := cmp.Diff(want, m); diff != "" {
		t.Errorf("model after events (-want +got):\n%s", diff)
	}
}

func TestModelCurrentAndCallUp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		ds     []core.Dialog
		wantID string
		up     bool
	}{
		{"none", nil, "", false},
		{"ringing beats active", []core.Dialog{dialogAs("a", core.PartActive), dialogAs("r", core.PartAlerting)}, "r", true},
		{"active beats held", []core.Dialog{dialogAs("h", core.PartHeld), dialogAs("a", core.PartActive)}, "a", true},
		{"wrap-up only: most recent, not up", []core.Dialog{dialogAs("w1", core.PartWrapUp), dialogAs("w2", core.PartWrapUp)}, "w2", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := model{Dialogs: tt.ds}
			d, _ := m.current()
			if d.ID != tt.wantID || m.callUp() != tt.up {
				t.Errorf("current = %q, callUp = %v; want %q, %v", d.ID, m.callUp(), tt.wantID, tt.up)
			}
		})
	}
}

func TestShortcutAction(t *testing.T) {
	t.Parallel()
	ds := []core.Dialog{dialogAs("held", core.PartHeld, core.ActionRetrieve, core.ActionDrop), dialogAs("ring", core.PartAlerting, core.ActionAnswer)}
	tests := []struct {
		name   string
		ds     []core.Dialog
		key    string
		action core.Action
		id     string
		ok     bool
	}{
		{"ctrl+enter answers", ds, "Return", core.ActionAnswer, "ring", true},
		{"ctrl+e ends", ds, "E", core.ActionDrop, "held", true},
		{"ctrl+h retrieves when nothing to hold", ds, "H", core.ActionRetrieve, "held", true},
		{"ctrl+h holds first", []core.Dialog{dialogAs("a", core.PartActive, core.ActionHold)}, "H", core.ActionHold, "a", true},
		{"no call", nil, "Return", "", "", false},
		{"unbound key", ds, "Q", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, id, ok := shortcutAction(model{Dialogs: tt.ds}, fyneKey(tt.key))
			if a != tt.action || id != tt.id || ok != tt.ok {
				t.Errorf("shortcutAction = %q, %q, %v; want %q, %q, %v", a, id, ok, tt.action, tt.id, tt.ok)
			}
		})
	}
}

func TestConnLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		sys        core.System
		clients    int
		fin, links string
	}{
		{"before connecting, no bridge", core.System{}, -1, "Finesse: not connected", "Notifications: disconnected"},
		{"side A in service", core.System{Status: core.InService, Node: core.NodeA, Host: "fa.example.com", XMPPConnected: true}, 1,
			"Finesse side A (fa.example.com): in service", "Notifications: connected · 1 CRM toolbar"},
		{"failing over", core.System{Status: core.OutOfService, Node: core.NodeA, Host: "fa", Reason: "side A unreachable, trying side B"}, 0,
			"Finesse side A (fa): out of service – side A unreachable, trying side B", "Notifications: disconnected · 0 CRM toolbars"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, l := connLines(tt.sys, tt.clients)
			if f != tt.fin || l != tt.links {
				t.Errorf("connLines = %q, %q; want %q, %q", f, l, tt.fin, tt.links)
			}
		})
	}
}

func fyneKey(s string) fyne.KeyName { return fyne.KeyName(s) }

// TestUnloggedLine words the calls no CRM has logged yet: nothing when
// none, a count, the first three with their reason or what they wait for.
func TestUnloggedLine(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 4, 9, 14, 0, 0, time.Local)
	rec := func(from, reason string, pending bool) core.CallRecord {
		return core.CallRecord{Summary: core.CallSummary{From: from, Ended: at, WrapUpReason: reason}, Pending: pending}
	}
	if got := unloggedLine(nil); got != "" {
		t.Errorf("no calls: %q", got)
	}
	if got, want := unloggedLine([]core.CallRecord{rec("5550123", "Sale", false)}), "1 call not yet logged in the CRM: 5550123 at 09:14 (Sale)"; got != want {
		t.Errorf("one call: %q, want %q", got, want)
	}
	four := []core.CallRecord{rec("1", "", true), rec("2", "", false), rec("3", "", false), rec("4", "", false)}
	want := "4 calls not yet logged in the CRM: 1 at 09:14 (waiting for the wrap-up reason), 2 at 09:14, 3 at 09:14, …"
	if got := unloggedLine(four); got != want {
		t.Errorf("four calls: %q, want %q", got, want)
	}
}

package ui

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
	"github.com/agentlink/agentlink/ui/internal/desknotify"
)

var (
	showAction   = desknotify.Action{Key: desknotify.DefaultAction, Label: "Show"}
	answerAction = desknotify.Action{Key: actionAnswer, Label: "Answer"}
)

// ringingFrom is a call ringing for agent 5001 whose callVariable1 carries
// the customer's name (the fixtures configure it as the caller name).
func ringingFrom(id, name string) core.Dialog {
	d := coretest.Dialog(id, "5001", "0201234567", core.PartAlerting, core.ActionAnswer)
	if name != "" {
		d.Variables = []core.CallVariable{{Name: "callVariable1", Value: name}}
	}
	return d
}

// TestRingingNotificationNamesCustomer: the notification of a ringing call
// is titled with the customer's name (the configured caller-name variable,
// as the call card's title), urgent and sticky, with Answer and Show; the
// tray tooltip says "Ringing:" and who. When the call is answered
// elsewhere (a toolbar, a hotkey, the phone) the notification is
// withdrawn.
func TestRingingNotificationNamesCustomer(t *testing.T) {
	f := newFixture(t, fixtureOpts{callerVar: "callVariable1"})
	f.signIn(core.StateReady)
	f.sess.Apply(coretest.DialogUpdate(ringingFrom("d1", "Jane Doe")))

	f.note.wait(t, "the ringing notification", func(n *fakeNotifier) bool { return len(n.shown) == 1 })
	f.note.mu.Lock()
	got := f.note.last()
	f.note.mu.Unlock()
	want := shownNote{got.ID, desknotify.Notification{AppName: "AgentLink", Title: "Incoming call: Jane Doe",
		Body: "From 0201234567", Urgency: desknotify.Critical, Sticky: true, Tag: "d1",
		Actions: []desknotify.Action{showAction, answerAction}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ringing notification (-want +got):\n%s", diff)
	}
	f.waitFor("the tooltip names the customer", func() bool {
		return f.tip == "AgentLink: Test Agent · agent 1001 · ext 5001 – Ringing: Jane Doe (0201234567)"
	})
	f.ui(func() {
		if n := iconName(f.app.icon); n != "tray-ringing.png" {
			t.Errorf("tray icon %s while ringing, want tray-ringing.png", n)
		}
	})

	answered := coretest.Dialog("d1", "5001", "0201234567", core.PartActive, core.ActionHold, core.ActionDrop)
	f.sess.Apply(coretest.DialogUpdate(answered)) // answered in the CRM's toolbar
	f.note.wait(t, "the notification withdrawn", func(n *fakeNotifier) bool { return n.isWithdrawn(got.ID) })
	f.waitFor("the tooltip back to the call", func() bool { return !contains(f.tip, "Ringing") })
	f.ui(func() {
		if n := iconName(f.app.icon); n != "tray-talking.png" {
			t.Errorf("tray icon %s once answered, want tray-talking.png", n)
		}
	})
}

// TestRingingNotificationWithoutName: with no name in the call data the
// notification names the number and the main call variable, as before.
// A server without actions gets no buttons.
func TestRingingNotificationWithoutName(t *testing.T) {
	f := newFixture(t, fixtureOpts{notifier: newFakeNotifier("body")})
	f.signIn(core.StateReady)
	d := ringingFrom("d1", "")
	d.Variables = []core.CallVariable{{Name: "callVariable2", Value: "ACC-42"}}
	f.sess.Apply(coretest.DialogUpdate(d))
	f.note.wait(t, "the ringing notification", func(n *fakeNotifier) bool { return len(n.shown) == 1 })
	f.note.mu.Lock()
	got := f.note.last()
	f.note.mu.Unlock()
	if got.Title != "Incoming call" || got.Body != "From 0201234567\ncallVariable2: ACC-42" || got.Actions != nil {
		t.Errorf("notification %+v, want the number and the variable, no actions", got)
	}
	f.waitFor("the tooltip names the number", func() bool { return contains(f.tip, "– Ringing: 0201234567") })
}

// TestRingingNotificationUpdatesWithName: a name that arrives after the
// ring (a later dialog update) updates the notification in place.
func TestRingingNotificationUpdatesWithName(t *testing.T) {
	f := newFixture(t, fixtureOpts{callerVar: "callVariable1"})
	f.signIn(core.StateReady)
	f.sess.Apply(coretest.DialogUpdate(ringingFrom("d1", "")))
	f.note.wait(t, "the first notification", func(n *fakeNotifier) bool { return len(n.shown) == 1 })
	f.sess.Apply(coretest.DialogUpdate(ringingFrom("d1", "Jane Doe")))
	f.note.wait(t, "the update", func(n *fakeNotifier) bool { return len(n.shown) == 2 })
	f.note.mu.Lock()
	defer f.note.mu.Unlock()
	first, second := f.note.shown[0], f.note.shown[1]
	if second.Title != "Incoming call: Jane Doe" || second.Replaces != first.ID || second.ID != first.ID {
		t.Errorf("update %+v, want the name, replacing notification %d", second, first.ID)
	}
}

// TestAnswerFromNotification: Answer on the notification answers that call
// and the notification goes; a later Answer click (the call was answered
// already) sends nothing.
func TestAnswerFromNotification(t *testing.T) {
	f := newFixture(t, fixtureOpts{answer: finesse})
	f.signIn(core.StateReady)
	f.sess.Apply(coretest.DialogUpdate(ringingFrom("d1", "")))
	f.note.wait(t, "the ringing notification", func(n *fakeNotifier) bool { return len(n.shown) == 1 })
	f.note.mu.Lock()
	id := f.note.last().ID
	f.note.mu.Unlock()

	f.note.click(id, actionAnswer)
	if cmd := f.sent(1); cmd.Kind != core.CmdAnswer || cmd.DialogID != "d1" {
		t.Fatalf("sent %+v, want Answer on d1", cmd)
	}
	f.waitFor("answered", func() bool { return f.card("d1").d.AgentState == core.PartActive })
	f.note.wait(t, "the notification withdrawn", func(n *fakeNotifier) bool { return n.isWithdrawn(id) })

	// A click that raced the answer elsewhere (the alerter had not yet
	// withdrawn it): the call no longer rings, so nothing is sent.
	f.ui(func() { f.s.answerFromNotification("d1"); f.s.setNotReady("") })
	if cmd := f.sent(2); cmd.Kind != core.CmdNotReady {
		t.Errorf("second command %+v, want Not Ready (the stale Answer must send nothing)", cmd)
	}
}

// TestAlerterIgnoresOthers: clicks on notifications the alerter did not
// show, or has withdrawn, do nothing.
func TestAlerterIgnoresOthers(t *testing.T) {
	t.Parallel()
	var answered []string
	shown := 0
	a := newAlerter(newFakeNotifier(), slog.New(slog.NewTextHandler(io.Discard, nil)),
		func(id string) { answered = append(answered, id) }, func() { shown++ })
	a.ringing["d1"], a.dialogs[7] = 7, "d1"
	a.onEvent(desknotify.Event{ID: 8, Action: actionAnswer})
	a.onEvent(desknotify.Event{ID: 8, Action: desknotify.DefaultAction})
	a.onEvent(desknotify.Event{ID: 7, Action: actionAnswer})
	a.onEvent(desknotify.Event{ID: 7, Closed: true, Reason: desknotify.ClosedDismissed})
	a.onEvent(desknotify.Event{ID: 7, Action: actionAnswer})
	if len(answered) != 1 || answered[0] != "d1" || shown != 0 {
		t.Errorf("answered %v, shown %d; want d1 answered once, nothing shown", answered, shown)
	}
	if id, ok := a.ringing["d1"]; !ok || id != 0 || len(a.dialogs) != 0 {
		t.Errorf("after the dismissal ringing %v, dialogs %v; want d1 kept without an id (no update brings it back)", a.ringing, a.dialogs)
	}
}

// TestMissedCallNotification: a call that stops ringing unanswered has its
// ringing notification withdrawn and gets a "Missed call" one, normal
// urgency, naming the customer; clicking it brings the window forward.
func TestMissedCallNotification(t *testing.T) {
	f := newFixture(t, fixtureOpts{callerVar: "callVariable1"})
	f.signIn(core.StateReady)
	at := time.Date(2026, 5, 1, 10, 42, 0, 0, time.Local)
	f.ui(func() { f.s.now = func() time.Time { return at } })
	f.sess.Apply(coretest.DialogUpdate(ringingFrom("d1", "Jane Doe")))
	f.note.wait(t, "the ringing notification", func(n *fakeNotifier) bool { return len(n.shown) == 1 })

	f.sess.Apply(coretest.Removed("d1")) // the caller hung up
	f.note.wait(t, "withdrawn, then the missed call", func(n *fakeNotifier) bool {
		return n.isWithdrawn(n.shown[0].ID) && len(n.shown) == 2
	})
	f.note.mu.Lock()
	got := f.note.last()
	f.note.mu.Unlock()
	want := shownNote{got.ID, desknotify.Notification{AppName: "AgentLink", Title: "Missed call",
		Body: "From Jane Doe (0201234567) at 10:42", Urgency: desknotify.Normal,
		Actions: []desknotify.Action{showAction}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("missed-call notification (-want +got):\n%s", diff)
	}
	f.waitFor("the missed call in the window", func() bool {
		return f.s.phone.notice.Text == "Missed call from Jane Doe (0201234567) at 10:42"
	})

	var before int
	f.ui(func() { before = f.s.raised })
	f.note.click(got.ID, desknotify.DefaultAction)
	f.waitFor("the window forward", func() bool { return f.s.raised > before })
}

// TestQuitWithdrawsRinging: a sticky notification must not outlive the app.
func TestQuitWithdrawsRinging(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.signIn(core.StateReady)
	f.sess.Apply(coretest.DialogUpdate(ringingFrom("d1", "")))
	f.note.wait(t, "the ringing notification", func(n *fakeNotifier) bool { return len(n.shown) == 1 })
	f.stop()
	f.note.mu.Lock()
	defer f.note.mu.Unlock()
	if !f.note.isWithdrawn(f.note.shown[0].ID) {
		t.Error("the ringing notification is still up after the app stopped")
	}
}

// TestStaleReadyNotSent: Ready from a tray menu opened before the call
// rang is not sent while the agent is Reserved.
func TestStaleReadyNotSent(t *testing.T) {
	f := newFixture(t, fixtureOpts{answer: finesse})
	f.signIn(core.StateNotReady)
	var ready func()
	f.ui(func() {
		for _, it := range f.app.menu.Items {
			if it.Label == trayReady && !it.Disabled {
				ready = it.Action
			}
		}
	})
	if ready == nil {
		t.Fatal("Ready not offered while Not Ready")
	}
	f.sess.Apply(coretest.AgentUpdate(coretest.Agent("1001", "5001", core.StateReserved)))
	f.sess.Apply(coretest.DialogUpdate(ringingFrom("d1", "")))
	f.waitFor("reserved and ringing", func() bool { return f.card("d1") != nil })
	f.ui(ready)
	f.ui(func() { f.s.setNotReady("") }) // refused while Ready runs (the same key): so it shows the order
	if cmd := f.sent(1); cmd.Kind != core.CmdNotReady {
		t.Errorf("first command %+v, want Not Ready: Ready must not be sent while Reserved", cmd)
	}
}

// idlessNotifier is a server that gives no ids, as Fyne's notifications.
type idlessNotifier struct{ *fakeNotifier }

func (n idlessNotifier) Notify(ctx context.Context, note desknotify.Notification) (uint32, error) {
	n.fakeNotifier.Notify(ctx, note)
	return 0, nil
}

// TestFyneNotifierNoUpdates: where notifications have no ids (Windows,
// macOS), a name arriving after the ring does not pop a second one.
func TestFyneNotifierNoUpdates(t *testing.T) {
	t.Parallel()
	fake := newFakeNotifier()
	a := newAlerter(idlessNotifier{fake}, slog.New(slog.NewTextHandler(io.Discard, nil)), func(string) {}, func() {})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { a.run(ctx); close(done) }()
	a.ring("d1", desknotify.Notification{Title: "Incoming call"})
	a.ring("d1", desknotify.Notification{Title: "Incoming call: Jane Doe"})
	a.stopRinging("d1")
	a.ring("d2", desknotify.Notification{Title: "Incoming call"})
	fake.wait(t, "d2's notification", func(n *fakeNotifier) bool { return len(n.shown) >= 2 })
	cancel()
	<-done
	fake.mu.Lock()
	defer fake.mu.Unlock()
	if len(fake.shown) != 2 || fake.shown[1].Title != "Incoming call" || len(fake.withdrawn) != 0 {
		t.Errorf("shown %+v, withdrawn %v; want d1 once and d2, nothing withdrawn", fake.shown, fake.withdrawn)
	}
}

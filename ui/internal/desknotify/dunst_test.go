//go:build linux || freebsd

package desknotify

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/internal/dunsttest"
)

func dial(t *testing.T, addr string) *Client {
	t.Helper()
	c, err := Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), dunsttest.WaitTimeout)
	t.Cleanup(cancel)
	return c
}

// nextEvent waits for the client's next event.
func nextEvent(t *testing.T, c *Client, what string) Event {
	t.Helper()
	select {
	case ev := <-c.Events():
		return ev
	case <-time.After(dunsttest.WaitTimeout):
		t.Fatalf("timed out waiting for %s", what)
	}
	return Event{}
}

var ringing = Notification{AppName: "AgentLink", Title: "Incoming call", Body: "From Jane Doe (0201234567)",
	Urgency: Critical, Sticky: true, Actions: []Action{{DefaultAction, "Show"}, {"answer", "Answer"}}}

// TestNoServer: on a bus without a notification server every call fails
// with an error naming the method, and nothing hangs.
func TestNoServer(t *testing.T) {
	c := dial(t, dunsttest.PrivateBus(t))
	if _, err := c.Capabilities(ctx(t)); err == nil || !strings.Contains(err.Error(), "GetCapabilities") {
		t.Errorf("Capabilities without a server: %v", err)
	}
	if _, err := c.Notify(ctx(t), ringing); err == nil || !strings.Contains(err.Error(), "Notify") {
		t.Errorf("Notify without a server: %v", err)
	}
}

// TestDunstShowsAndWithdraws: a real dunst lists the actions capability,
// shows the ringing notification at critical urgency, and takes it down on
// CloseNotification, which it reports as closed by call, matched on the id.
func TestDunstShowsAndWithdraws(t *testing.T) {
	addr := dunsttest.PrivateBus(t)
	dunst := dunsttest.Start(t, addr)
	c := dial(t, addr)
	caps, err := c.Capabilities(ctx(t))
	if err != nil || !slices.Contains(caps, CapActions) {
		t.Fatalf("capabilities %v, %v; want %q among them", caps, err, CapActions)
	}
	id, err := c.Notify(ctx(t), ringing)
	if err != nil || id == 0 {
		t.Fatalf("Notify: id %d, %v", id, err)
	}
	if s := dunst.NextShown(t); s.ID != fmt.Sprint(id) || s.Urgency != "CRITICAL" || s.Summary != "Incoming call" {
		t.Errorf("dunst showed %+v, want id %d at CRITICAL urgency", s, id)
	}
	if n := dunst.Displayed(t); n != 1 {
		t.Fatalf("dunst shows %d notifications, want 1", n)
	}
	if err := c.Withdraw(ctx(t), id); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, c, "the close"); ev != (Event{ID: id, Closed: true, Reason: ClosedByCall}) {
		t.Errorf("event %+v, want closed by call for %d", ev, id)
	}
	if n := dunst.Displayed(t); n != 0 {
		t.Errorf("dunst still shows %d notifications after the withdrawal", n)
	}
}

// TestDunstInvokesActions: an agent choosing Answer in dunst's context menu
// and clicking the notification (dunst's default action) both come back as
// events for the right id. A look-alike signal from another program on the
// bus is ignored.
func TestDunstInvokesActions(t *testing.T) {
	addr := dunsttest.PrivateBus(t)
	dunst := dunsttest.Start(t, addr)
	c := dial(t, addr)
	if _, err := c.Capabilities(ctx(t)); err != nil {
		t.Fatal(err)
	}
	id, err := c.Notify(ctx(t), ringing)
	if err != nil {
		t.Fatal(err)
	}
	dunst.NextShown(t)
	spoof := dunsttest.Conn(t, addr)
	if err := spoof.Emit(objPath, iface+".ActionInvoked", id, DefaultAction); err != nil {
		t.Fatal(err)
	}
	dunst.ContextMenu(t) // dunstctl context; pick.sh picks Answer
	if ev := nextEvent(t, c, "Answer"); ev != (Event{ID: id, Action: "answer"}) {
		t.Fatalf("event %+v, want Answer on %d (a spoofed signal must not count)", ev, id)
	}
	if err := c.Withdraw(ctx(t), id); err != nil { // answered: the app withdraws it
		t.Fatal(err)
	}
	if ev := nextEvent(t, c, "the close"); !ev.Closed || ev.ID != id {
		t.Fatalf("event %+v, want %d closed", ev, id)
	}

	id2, err := c.Notify(ctx(t), Notification{AppName: "AgentLink", Title: "Missed call", Body: "From 0201234567",
		Urgency: Normal, Actions: []Action{{DefaultAction, "Show"}}})
	if err != nil {
		t.Fatal(err)
	}
	if s := dunst.NextShown(t); s.ID != fmt.Sprint(id2) || s.Urgency != "NORMAL" || s.Timeout == "0" {
		t.Errorf("dunst showed %+v, want id %d at NORMAL urgency, expiring", s, id2)
	}
	dunst.Click(t, 0) // dunstctl action 0: the only one's default action
	if ev := nextEvent(t, c, "the default action"); ev != (Event{ID: id2, Action: DefaultAction}) {
		t.Fatalf("event %+v, want the default action on %d", ev, id2)
	}
}

func TestEscapeMarkup(t *testing.T) {
	t.Parallel()
	if got := escapeMarkup(`Smith & <b>Sons</b>`); got != "Smith &amp; &lt;b&gt;Sons&lt;/b&gt;" {
		t.Errorf("escapeMarkup = %q", got)
	}
}

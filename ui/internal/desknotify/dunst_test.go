//go:build linux || freebsd

package desknotify

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// waitTimeout bounds every wait on the bus.
const waitTimeout = 10 * time.Second

// need skips when a tool the real-server tests use is missing, and fails
// under CI, where scripts/setup.sh installs them all.
func need(t *testing.T, ok bool, why string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (run scripts/setup.sh)", why)
	}
	t.Skip(why)
}

// busConfig is a session bus without service activation: the system's
// session bus would start dunst by itself (its .service file) on the first
// call, and TestNoServer needs a bus where no server answers.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=DIR</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// privateBus starts a dbus-daemon of the test's own and returns its address.
// A bus per test keeps dunst's name away from anything else the test run has
// on its session bus.
func privateBus(t *testing.T) string {
	t.Helper()
	_, err := exec.LookPath("dbus-daemon")
	need(t, err == nil, "dbus-daemon not installed")
	dir := t.TempDir()
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, []byte(strings.ReplaceAll(busConfig, "DIR", dir)), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("dbus-daemon: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n') // printed once the bus listens
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	return strings.TrimSpace(line)
}

// shown is what dunst told its rule script about a notification it showed.
type shown struct{ ID, Urgency, Timeout string }

// dunstRC configures the test's dunst. Its context menu runs pick.sh
// instead of dmenu: the script chooses the menu line of the Answer action,
// as an agent would in dmenu. Its rule runs shown.sh for every AgentLink
// notification, which reports what dunst made of it as a signal on the bus.
const dunstRC = `[global]
    dmenu = DIR/pick.sh
[agentlink]
    appname = AgentLink
    script = DIR/shown.sh
`

const shownSh = `#!/bin/sh
exec dbus-send --session --type=signal /agentlink/test agentlink.test.Shown \
	string:"$DUNST_ID" string:"$DUNST_URGENCY" string:"$DUNST_TIMEOUT"
`

// startDunst runs a real dunst (it needs an X display: scripts/test-env.sh
// gives one) on the bus at addr, waits until it owns the name, and returns
// what it reports showing.
func startDunst(t *testing.T, addr string) <-chan shown {
	t.Helper()
	_, err := exec.LookPath("dunst")
	need(t, err == nil, "dunst not installed")
	need(t, os.Getenv("DISPLAY") != "", "no X display for dunst (run under scripts/test-env.sh)")
	dir := t.TempDir()
	files := map[string]string{"pick.sh": "#!/bin/sh\ngrep -m1 '^#Answer '\n", "shown.sh": shownSh,
		"dunstrc": strings.ReplaceAll(dunstRC, "DIR", dir)}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	rc := filepath.Join(dir, "dunstrc")
	watch := busConn(t, addr)
	owned := make(chan *dbus.Signal, 4)
	watch.Signal(owned)
	err = watch.AddMatchSignal(dbus.WithMatchSender("org.freedesktop.DBus"),
		dbus.WithMatchMember("NameOwnerChanged"), dbus.WithMatchArg(0, busName))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dunst", "-config", rc)
	cmd.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+addr, "HOME="+dir)
	cmd.Stderr = &testWriter{t}
	if err := cmd.Start(); err != nil {
		t.Fatalf("dunst: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	deadline := time.After(waitTimeout)
	for taken := false; !taken; {
		select {
		case sig := <-owned: // also gets NameAcquired for the watching connection
			var name, old, owner string
			taken = sig.Name == "org.freedesktop.DBus.NameOwnerChanged" &&
				dbus.Store(sig.Body, &name, &old, &owner) == nil && name == busName && owner != ""
		case <-deadline:
			t.Fatal("dunst did not take org.freedesktop.Notifications")
		}
	}
	return shownBy(t, addr)
}

// shownBy relays the reports of shown.sh.
func shownBy(t *testing.T, addr string) <-chan shown {
	t.Helper()
	conn := busConn(t, addr)
	sigs := make(chan *dbus.Signal, 16)
	conn.Signal(sigs)
	if err := conn.AddMatchSignal(dbus.WithMatchInterface("agentlink.test")); err != nil {
		t.Fatal(err)
	}
	out := make(chan shown, 16)
	go func() {
		for sig := range sigs {
			var s shown
			if dbus.Store(sig.Body, &s.ID, &s.Urgency, &s.Timeout) == nil {
				out <- s
			}
		}
	}()
	return out
}

// nextShown waits for dunst's report on the next notification it showed.
func nextShown(t *testing.T, ch <-chan shown) shown {
	t.Helper()
	select {
	case s := <-ch:
		return s
	case <-time.After(waitTimeout):
		t.Fatal("timed out waiting for dunst to show a notification")
	}
	return shown{}
}

// testWriter logs a child's stderr with the test.
type testWriter struct{ t *testing.T }

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Logf("dunst: %s", strings.TrimSpace(string(p)))
	return len(p), nil
}

func busConn(t *testing.T, addr string) *dbus.Conn {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

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
	c, cancel := context.WithTimeout(context.Background(), waitTimeout)
	t.Cleanup(cancel)
	return c
}

// nextEvent waits for the client's next event.
func nextEvent(t *testing.T, c *Client, what string) Event {
	t.Helper()
	select {
	case ev := <-c.Events():
		return ev
	case <-time.After(waitTimeout):
		t.Fatalf("timed out waiting for %s", what)
	}
	return Event{}
}

// dunstDisplayed is how many notifications dunst has on screen.
func dunstDisplayed(t *testing.T, conn *dbus.Conn) uint32 {
	t.Helper()
	v, err := conn.Object(busName, objPath).GetProperty("org.dunstproject.cmd0.displayedLength")
	if err != nil {
		t.Fatalf("dunst displayedLength: %v", err)
	}
	return v.Value().(uint32)
}

// dunstCall calls one of dunst's own control methods (what dunstctl does).
func dunstCall(t *testing.T, conn *dbus.Conn, method string, args ...any) {
	t.Helper()
	if err := conn.Object(busName, objPath).Call("org.dunstproject.cmd0."+method, 0, args...).Err; err != nil {
		t.Fatalf("dunst %s: %v", method, err)
	}
}

var ringing = Notification{AppName: "AgentLink", Title: "Incoming call", Body: "From Jane Doe (0201234567)",
	Urgency: Critical, Sticky: true, Actions: []Action{{DefaultAction, "Show"}, {"answer", "Answer"}}}

// TestNoServer: on a bus without a notification server every call fails
// with an error naming the method, and nothing hangs.
func TestNoServer(t *testing.T) {
	c := dial(t, privateBus(t))
	if _, err := c.Capabilities(ctx(t)); err == nil || !strings.Contains(err.Error(), "GetCapabilities") {
		t.Errorf("Capabilities without a server: %v", err)
	}
	if _, err := c.Notify(ctx(t), ringing); err == nil || !strings.Contains(err.Error(), "Notify") {
		t.Errorf("Notify without a server: %v", err)
	}
}

// TestDunstShowsAndWithdraws: a real dunst lists the actions capability,
// shows the ringing notification, and takes it down on CloseNotification,
// which it reports as closed by call, matched on the id.
func TestDunstShowsAndWithdraws(t *testing.T) {
	addr := privateBus(t)
	seen := startDunst(t, addr)
	c, ctl := dial(t, addr), busConn(t, addr)
	caps, err := c.Capabilities(ctx(t))
	if err != nil || !slices.Contains(caps, CapActions) {
		t.Fatalf("capabilities %v, %v; want %q among them", caps, err, CapActions)
	}
	id, err := c.Notify(ctx(t), ringing)
	if err != nil || id == 0 {
		t.Fatalf("Notify: id %d, %v", id, err)
	}
	if s := nextShown(t, seen); s.ID != fmt.Sprint(id) || s.Urgency != "CRITICAL" {
		t.Errorf("dunst showed %+v, want id %d at CRITICAL urgency", s, id)
	}
	if n := dunstDisplayed(t, ctl); n != 1 {
		t.Fatalf("dunst shows %d notifications, want 1", n)
	}
	if err := c.Withdraw(ctx(t), id); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, c, "the close"); ev != (Event{ID: id, Closed: true, Reason: ClosedByCall}) {
		t.Errorf("event %+v, want closed by call for %d", ev, id)
	}
	if n := dunstDisplayed(t, ctl); n != 0 {
		t.Errorf("dunst still shows %d notifications after the withdrawal", n)
	}
}

// TestDunstInvokesActions: an agent choosing Answer in dunst's context menu
// and clicking the notification (dunst's default action) both come back as
// events for the right id. A look-alike signal from another program on the
// bus is ignored.
func TestDunstInvokesActions(t *testing.T) {
	addr := privateBus(t)
	seen := startDunst(t, addr)
	c, ctl := dial(t, addr), busConn(t, addr)
	if _, err := c.Capabilities(ctx(t)); err != nil {
		t.Fatal(err)
	}
	id, err := c.Notify(ctx(t), ringing)
	if err != nil {
		t.Fatal(err)
	}
	spoof := busConn(t, addr)
	if err := spoof.Emit(objPath, iface+".ActionInvoked", id, DefaultAction); err != nil {
		t.Fatal(err)
	}
	dunstCall(t, ctl, "ContextMenuCall") // dunstctl context; pick.sh picks Answer
	if ev := nextEvent(t, c, "Answer"); ev != (Event{ID: id, Action: "answer"}) {
		t.Fatalf("event %+v, want Answer on %d (a spoofed signal must not count)", ev, id)
	}
	if err := c.Withdraw(ctx(t), id); err != nil { // answered: the app withdraws it
		t.Fatal(err)
	}
	if ev := nextEvent(t, c, "the close"); !ev.Closed || ev.ID != id {
		t.Fatalf("event %+v, want %d closed", ev, id)
	}

	id2, err := c.Notify(ctx(t), Notification{AppName: "AgentLink", Title: "Missed call", Body: "From 0201234567", Urgency: Normal,
		Actions: []Action{{DefaultAction, "Show"}}})
	if err != nil {
		t.Fatal(err)
	}
	nextShown(t, seen) // the ringing one
	if s := nextShown(t, seen); s.ID != fmt.Sprint(id2) || s.Urgency != "NORMAL" || s.Timeout == "0" {
		t.Errorf("dunst showed %+v, want id %d at NORMAL urgency, expiring", s, id2)
	}
	dunstCall(t, ctl, "NotificationAction", uint32(0)) // dunstctl action 0: the newest one's default
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

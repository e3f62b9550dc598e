// Package dunsttest runs a real freedesktop notification server (dunst)
// for tests, on a private D-Bus session bus of the test's own, and lets
// the test see what it shows and act as the agent on it: open the context
// menu (which picks the Answer action) and click a notification (its
// default action). dunst needs an X display (scripts/test-env.sh gives
// one). Where dunst, dbus-daemon or a display is missing the test is
// skipped, except under CI, where scripts/setup.sh installs them and the
// test fails instead.
package dunsttest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// WaitTimeout bounds every wait on the bus.
const WaitTimeout = 10 * time.Second

const (
	busName = "org.freedesktop.Notifications"
	objPath = dbus.ObjectPath("/org/freedesktop/Notifications")
)

// Need skips (fails under CI) when ok is false.
func Need(t *testing.T, ok bool, why string) {
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
// call, with the user's configuration, and a test needs a bus where no
// server answers until it starts one.
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

// PrivateBus starts a dbus-daemon for the test alone and returns its
// address; it stops when the test ends.
func PrivateBus(t *testing.T) string {
	t.Helper()
	_, err := exec.LookPath("dbus-daemon")
	Need(t, err == nil, "dbus-daemon not installed")
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

// Conn is a connection to the bus at addr, closed when the test ends.
func Conn(t *testing.T, addr string) *dbus.Conn {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// Shown is what dunst told its rule script about a notification it showed.
type Shown struct{ ID, Urgency, Timeout, Summary string }

// Dunst is a running dunst.
type Dunst struct {
	t     *testing.T
	ctl   *dbus.Conn
	shown chan Shown
}

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
	string:"$DUNST_ID" string:"$DUNST_URGENCY" string:"$DUNST_TIMEOUT" string:"$DUNST_SUMMARY"
`

// Start runs dunst on the bus at addr and waits until it owns
// org.freedesktop.Notifications. It is killed when the test ends.
func Start(t *testing.T, addr string) *Dunst {
	t.Helper()
	_, err := exec.LookPath("dunst")
	Need(t, err == nil, "dunst not installed")
	Need(t, os.Getenv("DISPLAY") != "", "no X display for dunst (run under scripts/test-env.sh)")
	dir := t.TempDir()
	files := map[string]string{"pick.sh": "#!/bin/sh\ngrep -m1 '^#Answer '\n", "shown.sh": shownSh,
		"dunstrc": strings.ReplaceAll(dunstRC, "DIR", dir)}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	d := &Dunst{t: t, ctl: Conn(t, addr), shown: make(chan Shown, 16)}
	owned := d.subscribe(t, addr)
	cmd := exec.Command("dunst", "-config", filepath.Join(dir, "dunstrc"))
	cmd.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+addr, "HOME="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatalf("dunst: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	select {
	case <-owned:
	case <-time.After(WaitTimeout):
		t.Fatal("dunst did not take org.freedesktop.Notifications")
	}
	return d
}

// subscribe relays shown.sh's reports to d.shown and returns a channel
// closed once dunst owns the name.
func (d *Dunst) subscribe(t *testing.T, addr string) <-chan struct{} {
	t.Helper()
	conn := Conn(t, addr)
	sigs := make(chan *dbus.Signal, 16)
	conn.Signal(sigs)
	for _, m := range [][]dbus.MatchOption{
		{dbus.WithMatchInterface("agentlink.test")},
		{dbus.WithMatchSender("org.freedesktop.DBus"), dbus.WithMatchMember("NameOwnerChanged"), dbus.WithMatchArg(0, busName)},
	} {
		if err := conn.AddMatchSignal(m...); err != nil {
			t.Fatal(err)
		}
	}
	owned := make(chan struct{})
	go func() {
		taken := false
		for sig := range sigs { // closed with conn at the test's end
			var s Shown
			var name, old, owner string
			switch {
			case sig.Name == "agentlink.test.Shown" && dbus.Store(sig.Body, &s.ID, &s.Urgency, &s.Timeout, &s.Summary) == nil:
				select {
				case d.shown <- s:
				default: // nobody reads them: drop
				}
			case !taken && sig.Name == "org.freedesktop.DBus.NameOwnerChanged" &&
				dbus.Store(sig.Body, &name, &old, &owner) == nil && name == busName && owner != "":
				taken = true
				close(owned)
			}
		}
	}()
	return owned
}

// NextShown waits for dunst's report on the next notification it showed.
func (d *Dunst) NextShown(t *testing.T) Shown {
	t.Helper()
	select {
	case s := <-d.shown:
		return s
	case <-time.After(WaitTimeout):
		t.Fatal("timed out waiting for dunst to show a notification")
	}
	return Shown{}
}

// Displayed is how many notifications dunst has on screen.
func (d *Dunst) Displayed(t *testing.T) uint32 {
	t.Helper()
	v, err := d.ctl.Object(busName, objPath).GetProperty("org.dunstproject.cmd0.displayedLength")
	if err != nil {
		t.Fatalf("dunst displayedLength: %v", err)
	}
	n, _ := v.Value().(uint32)
	return n
}

// ContextMenu opens dunst's context menu (dunstctl context); pick.sh
// chooses the first notification's Answer action in it.
func (d *Dunst) ContextMenu(t *testing.T) { d.call(t, "ContextMenuCall") }

// Click invokes the default action of the notification at position i
// (dunstctl action i), as a click on it does.
func (d *Dunst) Click(t *testing.T, i uint32) { d.call(t, "NotificationAction", i) }

func (d *Dunst) call(t *testing.T, method string, args ...any) {
	t.Helper()
	if err := d.ctl.Object(busName, objPath).Call("org.dunstproject.cmd0."+method, 0, args...).Err; err != nil {
		t.Fatalf("dunst %s: %v", method, err)
	}
}

package ui

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
	"github.com/agentlink/agentlink/ui/internal/desknotify"
)

// waitTimeout bounds every wait in the widget tests.
const waitTimeout = 5 * time.Second

// trayApp is the test app plus a recording desktop.App, so the tray code
// runs in tests.
type trayApp struct {
	fyne.App
	menu   *fyne.Menu
	icon   fyne.Resource
	window fyne.Window
	quits  int

	notes []*fyne.Notification // every notification sent; UI work
}

// SendNotification records n and passes it on to the test app, so that
// test.AssertNotificationSent keeps working.
func (a *trayApp) SendNotification(n *fyne.Notification) {
	a.notes = append(a.notes, n)
	a.App.SendNotification(n)
}

func (a *trayApp) SetSystemTrayMenu(m *fyne.Menu)    { a.menu = m }
func (a *trayApp) SetSystemTrayIcon(r fyne.Resource) { a.icon = r }
func (a *trayApp) SetSystemTrayWindow(w fyne.Window) { a.window = w }
func (a *trayApp) Quit()                             { a.quits++ }

// fakeBridge is a Bridge whose pending origins the test controls.
type fakeBridge struct {
	mu      sync.Mutex // guards pending, clients, allowed, denied
	pending []string
	clients int
	allowed []string
	denied  []string
	changes chan struct{}
}

func newFakeBridge(pending ...string) *fakeBridge {
	return &fakeBridge{pending: pending, changes: make(chan struct{}, 1)}
}

func (b *fakeBridge) Clients() int { b.mu.Lock(); defer b.mu.Unlock(); return b.clients }

func (b *fakeBridge) PendingOrigins() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.pending...)
}

func (b *fakeBridge) decide(origin string, into *[]string) error {
	b.mu.Lock()
	*into = append(*into, origin)
	var rest []string
	for _, o := range b.pending {
		if o != origin {
			rest = append(rest, o)
		}
	}
	b.pending = rest
	b.clients++
	b.mu.Unlock()
	select {
	case b.changes <- struct{}{}:
	default:
	}
	return nil
}

func (b *fakeBridge) AllowOrigin(o string) error  { return b.decide(o, &b.allowed) }
func (b *fakeBridge) DenyOrigin(o string) error   { return b.decide(o, &b.denied) }
func (b *fakeBridge) Changes() <-chan struct{}    { return b.changes }
func (b *fakeBridge) MonitorURL() (string, error) { return "http://127.0.0.1:1/monitor/", nil }

// fixtureSince is when the fixture's agent entered its state: a minute and
// a half before the test binary started. coretest.Agent's fixed date made
// the state timer in every kept screenshot read thousands of hours
// ("8068:55:53"); this reads like a real shift. One value for the whole
// run, so agents built at different moments still compare equal.
var fixtureSince = time.Now().Add(-90 * time.Second).Truncate(time.Second)

// testAgent is coretest.Agent entered its state at fixtureSince.
func testAgent(id, ext string, st core.AgentState) core.Agent {
	a := coretest.Agent(id, ext, st)
	a.Since = fixtureSince
	return a
}

// fixture is a shell over a real core.Session over a coretest fake port.
type fixture struct {
	t    *testing.T
	app  *trayApp
	port *coretest.Port
	sess *core.Session
	s    *shell
	wake chan struct{} // signalled after every refresh
	tip  string        // the last tray tooltip (UI work)
	note *fakeNotifier // the notification server the call alerts go to
	stop func()        // ends the UI as quitting does (also done at cleanup)
}

type fixtureOpts struct {
	answer  func(cmd core.Command) []core.Update // nil: commands stay unanswered
	bridge  Bridge
	secrets Secrets
	setup   func(p *coretest.Port)
	// reconnect, when set, makes the Finesse host fields editable.
	reconnect func(ctx context.Context, sideA, sideB string) error
	// defaults, when set, replace the login defaults (agent 1001, 5001).
	defaults *LoginDefaults
	// raiseOnRing is Config.RaiseOnRing.
	raiseOnRing bool
	// prefs are stored in the app's preferences before the UI starts.
	prefs map[string]string
	// wrapPort, when set, wraps the fake port the session uses (to add
	// optional port interfaces such as core.DeviceLister).
	wrapPort func(p *coretest.Port) core.Port
	// recording is Config.Recording.
	recording bool
	// signInSSO is Config.SignInSSO.
	signInSSO func(ctx context.Context, agentID string) error
	// layouts, when set, are the call variable layouts the port serves;
	// callerVar is Config.CallerNameVariable (calldata_test.go).
	layouts   *core.CallLayouts
	callerVar string
	// notifier, when set, is the notification server; default: one that
	// shows actions (newFakeNotifier(desknotify.CapActions)).
	notifier *fakeNotifier
	// toast, when set, replaces the notifier with the Windows toast
	// notifier (toastanswer_test.go); f.note then sees nothing.
	toast deskNotifier
	// notices is Config.Notices; hotkeys Config.GlobalHotkeys (notes_test.go).
	notices <-chan string
	hotkeys []HotkeyHelp
}

func newFixture(t *testing.T, o fixtureOpts) *fixture {
	t.Helper()
	f := &fixture{t: t, app: &trayApp{App: test.NewTempApp(t)}, port: &coretest.Port{}, wake: make(chan struct{}, 1)}
	var port core.Port = f.port
	if o.wrapPort != nil {
		port = o.wrapPort(f.port)
	}
	if o.layouts != nil {
		port = layoutPort{f.port, *o.layouts} // tests use one or the other
	}
	f.sess = core.NewSession(core.Config{Port: port, CommandTimeout: 2 * time.Second})
	if o.answer != nil {
		f.port.SendFunc = coretest.Reply(f.sess, o.answer)
	}
	if o.setup != nil {
		o.setup(f.port)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cfg := Config{Bridge: o.bridge, Secrets: o.secrets, Defaults: LoginDefaults{AgentID: "1001", Extension: "5001"},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Reconnect: o.reconnect, RaiseOnRing: o.raiseOnRing,
		Recording: o.recording, SignInSSO: o.signInSSO, CallerNameVariable: o.callerVar,
		GlobalHotkeys: o.hotkeys}
	if o.defaults != nil {
		cfg.Defaults = *o.defaults
	}
	for k, v := range o.prefs {
		f.app.Preferences().SetString(k, v)
	}
	f.s = newShell(ctx, f.app, coreSession{f.sess}, cfg)
	f.note = o.notifier
	if f.note == nil {
		f.note = newFakeNotifier(desknotify.CapActions)
	}
	f.s.notifier = f.note
	if o.toast != nil {
		f.s.notifier = o.toast
	}
	f.s.setTooltip = func(tip string) { f.tip = tip }
	f.s.changed = func() {
		select {
		case f.wake <- struct{}{}:
		default:
		}
	}
	go f.s.followNotices(ctx, o.notices)
	var wait func()
	f.ui(func() {
		wait = f.s.boot()
		f.s.setupTray()
	})
	var once sync.Once
	f.stop = func() {
		once.Do(func() {
			cancel()
			wait()
			f.s.bg.Wait()
		})
	}
	t.Cleanup(f.stop)
	return f
}

// ui runs fn as UI work, serialised with the shell's own.
func (f *fixture) ui(fn func()) {
	f.s.uiMu.Lock()
	defer f.s.uiMu.Unlock()
	fn()
}

// waitFor waits until cond, checked as UI work, holds.
func (f *fixture) waitFor(what string, cond func() bool) {
	f.t.Helper()
	deadline := time.After(waitTimeout)
	for {
		var ok bool
		f.ui(func() { ok = cond() })
		if ok {
			return
		}
		select {
		case <-f.wake:
		case <-deadline:
			f.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// signIn puts the agent in state st without going through the form.
func (f *fixture) signIn(st core.AgentState) {
	f.t.Helper()
	f.sess.Apply(core.Update{Kind: core.UpdateSystem,
		System: &core.System{Status: core.InService, Node: core.NodeA, Host: "fa.example.com", XMPPConnected: true}})
	f.sess.Apply(coretest.AgentUpdate(testAgent("1001", "5001", st)))
	f.waitFor("agent "+string(st), func() bool { return f.s.m.Agent.State == st })
}

// sent waits for the n-th command sent to Finesse and returns it.
func (f *fixture) sent(n int) core.Command {
	f.t.Helper()
	cmds, err := f.port.WaitSent(n, waitTimeout)
	if err != nil {
		f.t.Fatal(err)
	}
	return cmds[n-1]
}

// card returns the call card for dialog id (UI work).
func (f *fixture) card(id string) *callCard { return f.s.phone.calls.cards[id] }

func (f *fixture) tap(b fyne.Tappable) {
	f.ui(func() { test.Tap(b) })
}

// tapCall taps the action's button on dialog id's call card. The card is
// looked up as UI work too: the follow goroutine redraws cards meanwhile.
func (f *fixture) tapCall(id string, a core.Action) {
	f.ui(func() { test.Tap(f.card(id).buttons[a]) })
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

package ui

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// finesse answers commands the way the simulator would, echoing requestId.
func finesse(cmd core.Command) []core.Update {
	switch cmd.Kind {
	case core.CmdAnswer:
		d := coretest.Dialog(cmd.DialogID, "5001", "0201234567", core.PartActive, core.ActionHold, core.ActionDrop)
		return coretest.Echo(cmd, coretest.DialogUpdate(d))
	case core.CmdReady:
		return coretest.Echo(cmd, coretest.AgentUpdate(testAgent("1001", "5001", core.StateReady)))
	case core.CmdLogin:
		return coretest.Echo(cmd, coretest.AgentUpdate(testAgent(cmd.AgentID, cmd.Extension, core.StateNotReady)))
	case core.CmdMakeCall:
		d := coretest.Dialog("out1", "5001", cmd.Number, core.PartInitiated, core.ActionDrop)
		return coretest.Echo(cmd, coretest.DialogUpdate(d))
	case core.CmdWrapUp:
		return coretest.Echo(cmd, coretest.AgentUpdate(testAgent("1001", "5001", core.StateWork)))
	}
	return nil
}

func TestSoftphoneAnswersRingingCall(t *testing.T) {
	f := newFixture(t, fixtureOpts{answer: finesse})
	f.signIn(core.StateReady)

	ringing := coretest.Dialog("d1", "5001", "0201234567", core.PartAlerting, core.ActionAnswer)
	ringing.Variables = []core.CallVariable{{Name: "callVariable1", Value: "ACC-42"}}
	f.sess.Apply(coretest.DialogUpdate(ringing))
	f.waitFor("Answer enabled", func() bool { c := f.card("d1"); return c != nil && !c.buttons[core.ActionAnswer].Disabled() })
	f.note.wait(t, "the ringing notification", func(n *fakeNotifier) bool {
		return n.last().Title == "Incoming call" && n.last().Body == "From 0201234567\ncallVariable1: ACC-42"
	})
	f.ui(func() {
		c := f.card("d1")
		if got := c.title.Text; got != "0201234567" {
			t.Errorf("card title = %q, want the caller", got)
		}
		if !c.buttons[core.ActionHold].Disabled() || !c.buttons[core.ActionDrop].Disabled() {
			t.Error("Hold or End enabled on a ringing call; Finesse only allows ANSWER")
		}
		if f.app.menu == nil || f.app.icon == nil || f.app.icon.Name() != "tray-ringing.png" {
			t.Errorf("tray icon = %v, want tray-ringing.png", iconName(f.app.icon))
		}
	})

	f.tapCall("d1", core.ActionAnswer)
	got := f.sent(1)
	if got.Kind != core.CmdAnswer || got.DialogID != "d1" {
		t.Errorf("sent %s for dialog %q, want Answer for d1", got.Kind, got.DialogID)
	}
	f.waitFor("Hold enabled after answering", func() bool {
		c := f.card("d1")
		return !c.buttons[core.ActionHold].Disabled() && c.buttons[core.ActionAnswer].Disabled()
	})
	f.ui(func() {
		if f.s.errText != "" {
			t.Errorf("error shown after a successful answer: %q", f.s.errText)
		}
	})
}

func TestReadyButton(t *testing.T) {
	f := newFixture(t, fixtureOpts{answer: finesse})
	f.signIn(core.StateNotReady)
	f.tap(f.s.phone.state.ready)
	if got := f.sent(1); got.Kind != core.CmdReady {
		t.Errorf("sent %s, want Ready", got.Kind)
	}
	f.waitFor("state bar says Ready and Ready is disabled", func() bool {
		b := f.s.phone.state
		return b.state.Text == "Ready" && b.ready.Disabled() && !b.notReady.Disabled()
	})
}

// TestReadyNotOfferedOnACall: Finesse refuses READY from Reserved, Talking
// and Hold, so neither the button nor Ctrl+R offers it then.
func TestReadyNotOfferedOnACall(t *testing.T) {
	f := newFixture(t, fixtureOpts{answer: finesse})
	for _, st := range []core.AgentState{core.StateReserved, core.StateTalking, core.StateHold} {
		f.signIn(st)
		f.ui(func() {
			if !f.s.phone.state.ready.Disabled() {
				t.Errorf("Ready enabled while %s", st)
			}
			f.s.onShortcut(fyne.KeyR)
		})
	}
	f.signIn(core.StateWork)
	f.ui(func() {
		if f.s.phone.state.ready.Disabled() {
			t.Error("Ready disabled in wrap-up")
		}
		f.s.onShortcut(fyne.KeyR)
	})
	if got := f.sent(1); got.Kind != core.CmdReady {
		t.Errorf("first command %s, want Ready from wrap-up only", got.Kind)
	}
}

func TestCommandFailureIsShown(t *testing.T) {
	refusal := &core.FinesseError{Status: 400, Type: "Invalid State", Message: "CF_INVALID_STATE"}
	f := newFixture(t, fixtureOpts{setup: func(p *coretest.Port) { p.SendFunc = coretest.Fail(refusal) }})
	f.signIn(core.StateNotReady)
	f.tap(f.s.phone.state.ready)
	f.waitFor("error shown and Ready enabled again", func() bool {
		e := f.s.phone.errMsg
		return e.Visible() && e.Text == "Ready failed: Finesse does not allow that in your current state." && !f.s.phone.state.ready.Disabled()
	})
}

func TestDialNormalisesAndCalls(t *testing.T) {
	f := newFixture(t, fixtureOpts{answer: finesse})
	f.signIn(core.StateNotReady)
	f.ui(func() {
		test.Type(f.s.phone.dial.number, "+44 (20) 7946-0958")
		if got, want := f.s.phone.dial.preview.Text, "Will dial +442079460958"; got != want {
			t.Errorf("preview = %q, want %q", got, want)
		}
	})
	f.tap(f.s.phone.dial.call)
	if got := f.sent(1); got.Kind != core.CmdMakeCall || got.Number != "+442079460958" {
		t.Errorf("sent %s %q, want MakeCall +442079460958", got.Kind, got.Number)
	}
	f.waitFor("outbound call card", func() bool { return f.card("out1") != nil })
	f.waitFor("the dial field cleared after the call went out", func() bool { return f.s.phone.dial.number.Text == "" })
}

func TestDialRefusesBadNumber(t *testing.T) {
	f := newFixture(t, fixtureOpts{answer: finesse})
	f.signIn(core.StateNotReady)
	f.ui(func() {
		test.Type(f.s.phone.dial.number, "call me")
		if !f.s.phone.dial.call.Disabled() {
			t.Error("Call enabled for a number with letters")
		}
		if got, want := f.s.phone.dial.preview.Text, "Cannot dial: 'c' is not allowed"; got != want {
			t.Errorf("preview = %q, want %q", got, want)
		}
	})
}

func TestConsentBannerAllows(t *testing.T) {
	b := newFakeBridge("https://crm.example.com")
	f := newFixture(t, fixtureOpts{bridge: b})
	f.signIn(core.StateNotReady)
	var allow *fyne.Container
	f.ui(func() {
		if n := len(f.s.phone.consent.box.Objects); n != 1 {
			t.Fatalf("consent rows = %d, want 1", n)
		}
		allow = f.s.phone.consent.rows["https://crm.example.com"].(*fyne.Container).Objects[1].(*fyne.Container)
	})
	var btn fyne.Tappable
	for _, o := range allow.Objects {
		if x, ok := o.(interface{ fyne.Tappable }); ok {
			btn = x // Deny, then Allow: the last one is Allow
		}
	}
	f.tap(btn)
	f.waitFor("banner gone and toolbar counted", func() bool {
		return len(f.s.phone.consent.box.Objects) == 0 && contains(f.s.phone.conn.links.Text, "1 CRM toolbar")
	})
	b.mu.Lock()
	defer b.mu.Unlock()
	if diff := cmp.Diff([]string{"https://crm.example.com"}, b.allowed); diff != "" || len(b.denied) != 0 {
		t.Errorf("allowed (-want +got):\n%s denied: %v", diff, b.denied)
	}
}

func TestWrapUpReason(t *testing.T) {
	f := newFixture(t, fixtureOpts{answer: finesse, setup: func(p *coretest.Port) {
		p.WrapUpReasonsFunc = func(ctx context.Context) ([]core.WrapUpReason, error) {
			return []core.WrapUpReason{{ID: "1", Label: "Sale"}, {ID: "2", Label: "No sale"}}, nil
		}
	}})
	f.signIn(core.StateWork)
	f.sess.Apply(coretest.DialogUpdate(coretest.Dialog("d1", "5001", "0201234567", core.PartWrapUp, core.ActionUpdateCallData)))
	f.waitFor("wrap-up reasons listed", func() bool {
		return f.s.phone.wrap.obj.Visible() && len(f.s.phone.wrap.pick.Options) == 2
	})
	f.ui(func() { f.s.phone.wrap.pick.SetSelected("Sale") })
	f.tap(f.s.phone.wrap.apply)
	if got := f.sent(1); got.Kind != core.CmdWrapUp || got.WrapUpReason != "Sale" {
		t.Errorf("sent %s %q, want WrapUp Sale", got.Kind, got.WrapUpReason)
	}
}

func TestForcedLogoutNotifiesAndShowsLogin(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.signIn(core.StateReady)
	forced := testAgent("1001", "5001", core.StateLogout)
	forced.ReasonCodeID = core.ForcedLogoutReason
	want := fyne.NewNotification("Signed out by Finesse",
		"Finesse signed you out because it lost contact with your desktop (reason 255). Sign in again to take calls.")
	test.AssertNotificationSent(t, want, func() {
		f.sess.Apply(coretest.AgentUpdate(forced))
		f.waitFor("login form shown", func() bool { return f.s.win.Content() == f.s.login.obj })
	})
	f.ui(func() {
		if !contains(f.s.login.status.Text, "reason 255") {
			t.Errorf("login status = %q, want it to explain the forced logout", f.s.login.status.Text)
		}
		if f.app.icon.Name() != "tray-offline.png" {
			t.Errorf("tray icon = %s, want tray-offline.png", f.app.icon.Name())
		}
	})
}

func TestQuitAsksWhenCallIsUp(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.signIn(core.StateTalking)
	f.sess.Apply(coretest.DialogUpdate(coretest.Dialog("d1", "5001", "0201234567", core.PartActive, core.ActionDrop)))
	f.waitFor("call card", func() bool { return f.card("d1") != nil })
	f.ui(func() {
		f.s.quit()
		if f.app.quits != 0 {
			t.Error("quit without asking while a call is up")
		}
	})
	f.sess.Apply(coretest.Removed("d1"))
	f.waitFor("call gone", func() bool { return f.card("d1") == nil })
	f.sess.Apply(coretest.AgentUpdate(testAgent("1001", "5001", core.StateLogout)))
	f.waitFor("signed out", func() bool { return !f.s.m.Agent.LoggedIn() })
	f.ui(func() {
		f.s.quit()
		if f.app.quits != 1 {
			t.Errorf("quits = %d after Quit with no call and signed out, want 1", f.app.quits)
		}
	})
}

// TestQuitOffersSignOut: a signed-in agent who quits is offered a clean
// sign-out with a logout reason; the app quits only once Finesse confirms
// it. "Quit without signing out" quits at once, Cancel does nothing.
func TestQuitOffersSignOut(t *testing.T) {
	answer := func(cmd core.Command) []core.Update {
		if cmd.Kind != core.CmdLogout {
			return nil
		}
		a := testAgent("1001", "5001", core.StateLogout)
		a.ReasonCodeID = cmd.ReasonCodeID
		return []core.Update{coretest.AgentUpdate(a)}
	}
	f := newFixture(t, fixtureOpts{answer: answer, setup: func(p *coretest.Port) {
		p.ReasonCodesFunc = func(_ context.Context, c core.ReasonCategory) ([]core.ReasonCode, error) {
			if c == core.CategoryLogout {
				return []core.ReasonCode{{ID: "21", Category: c, Code: "9", Label: "End of shift"},
					{ID: "22", Category: c, Code: "10", Label: "Training"}}, nil
			}
			return nil, nil
		}
	}})
	f.signIn(core.StateNotReady)
	f.waitFor("logout reasons loaded", func() bool { return len(f.s.lists.logout) == 2 })

	f.ui(func() { f.s.quit() })
	f.tap(f.s.quitAsk.cancel)
	f.ui(func() { f.s.quit() })
	f.ui(func() {
		if f.app.quits != 0 {
			t.Fatalf("quits = %d before the agent chose, want 0", f.app.quits)
		}
		f.s.quitAsk.reason.SetSelected("Training")
	})
	f.tap(f.s.quitAsk.signOut)
	if got := f.sent(1); got.Kind != core.CmdLogout || got.ReasonCodeID != "22" {
		t.Errorf("sent %s reason %q, want Logout with reason 22 (Training)", got.Kind, got.ReasonCodeID)
	}
	f.waitFor("quit after the logout is confirmed", func() bool { return f.app.quits == 1 })

	f.sess.Apply(coretest.AgentUpdate(testAgent("1001", "5001", core.StateNotReady)))
	f.waitFor("signed in again", func() bool { return f.s.m.Agent.LoggedIn() })
	f.ui(func() { f.s.quit() })
	f.tap(f.s.quitAsk.justQuit)
	f.ui(func() {
		if f.app.quits != 2 {
			t.Errorf("quits = %d after Quit without signing out, want 2", f.app.quits)
		}
	})
}

// TestQuitStaysWhenSignOutFails: a refused logout keeps the app open and
// says why.
func TestQuitStaysWhenSignOutFails(t *testing.T) {
	f := newFixture(t, fixtureOpts{setup: func(p *coretest.Port) {
		p.SendFunc = func(_ context.Context, _ core.Command) error {
			return &core.FinesseError{Status: 400, Type: "Invalid State", Message: "LOGOUT not allowed from TALKING"}
		}
	}})
	f.signIn(core.StateReady)
	f.ui(func() { f.s.quit() })
	f.tap(f.s.quitAsk.signOut)
	f.waitFor("the failure shown", func() bool { return contains(f.s.errText, "Sign out") })
	f.ui(func() {
		if f.app.quits != 0 || f.s.loggingOut {
			t.Errorf("quits = %d, loggingOut = %v after a refused logout, want 0 and false", f.app.quits, f.s.loggingOut)
		}
	})
}

func TestLoginForm(t *testing.T) {
	tests := []struct {
		name    string
		sendErr error
		want    string
	}{
		{"wrong password", &core.FinesseError{Status: 401, Type: "Unauthorized"}, "Wrong agent ID or password"},
		{"locked", &core.FinesseError{Status: 401, Message: "ACCOUNT_LOCKED"}, "account is locked"},
		{"unreachable", errors.Join(errors.New("dial tcp"), core.ErrUnreachable), "Cannot reach the Finesse server"},
		{"untrusted", core.ErrUntrustedCertificate, "certificate is not trusted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, fixtureOpts{setup: func(p *coretest.Port) { p.SendFunc = coretest.Fail(tt.sendErr) }})
			f.ui(func() { test.Type(f.s.login.password, "secret") })
			f.tap(f.s.login.submit)
			f.waitFor("login error", func() bool { return contains(f.s.login.errMsg.Text, tt.want) })
		})
	}
}

func TestLoginRemembersPassword(t *testing.T) {
	sec := &fakeSecrets{stored: map[string]string{}}
	f := newFixture(t, fixtureOpts{answer: finesse, secrets: sec})
	f.waitFor("remember offered (the keychain is available)", func() bool { return !f.s.login.remember.Disabled() })
	f.ui(func() {
		test.Type(f.s.login.password, "secret")
		f.s.login.remember.SetChecked(true)
	})
	f.tap(f.s.login.submit)
	got := f.sent(1)
	if got.Kind != core.CmdLogin || got.AgentID != "1001" || got.Extension != "5001" || got.Password != "secret" {
		t.Errorf("sent %+v, want Login 1001/5001 with the typed password", got)
	}
	f.waitFor("softphone shown", func() bool { return f.s.win.Content() == f.s.phone.obj })
	f.waitFor("password stored", func() bool { return sec.get("1001") == "secret" })
}

func TestLoginWithoutKeychainSaysWhy(t *testing.T) {
	sec := &fakeSecrets{avail: errors.New("no secret service on the session bus")}
	f := newFixture(t, fixtureOpts{secrets: sec})
	f.waitFor("the reason shown", func() bool {
		return f.s.login.note.Visible() && contains(f.s.login.note.Text, "no secret service")
	})
	f.ui(func() {
		if !f.s.login.remember.Disabled() {
			t.Error("remember enabled without a keychain")
		}
	})
}

// hangingSecrets is a keychain whose every call waits for release, as a
// Secret Service without a keyring daemon does until its timeout.
type hangingSecrets struct{ release chan struct{} }

func (h hangingSecrets) Password(string) (string, error)  { <-h.release; return "", ErrNoSecret }
func (h hangingSecrets) SetPassword(string, string) error { <-h.release; return nil }
func (h hangingSecrets) Available() error                 { <-h.release; return nil }

// A keychain that does not answer must not hold the sign-in window: the
// form is usable at once, Remember is offered once the keychain answers.
func TestLoginNotHeldByHangingKeychain(t *testing.T) {
	sec := hangingSecrets{release: make(chan struct{})}
	built := make(chan *fixture, 1)
	go func() { built <- newFixture(t, fixtureOpts{secrets: sec}) }()
	var f *fixture
	select {
	case f = <-built:
	case <-time.After(10 * time.Second):
		close(sec.release)
		t.Fatal("the sign-in form waited for the keychain")
	}
	f.ui(func() {
		if !f.s.login.remember.Disabled() {
			t.Error("remember offered before the keychain answered")
		}
		test.Type(f.s.login.password, "typed")
	})
	close(sec.release)
	f.waitFor("remember offered after the keychain answered", func() bool { return !f.s.login.remember.Disabled() })
	f.ui(func() {
		if got := f.s.login.password.Text; got != "typed" {
			t.Errorf("password = %q after the keychain answered, want the typed one kept", got)
		}
	})
}

func TestLoginPrefillsStoredPassword(t *testing.T) {
	sec := &fakeSecrets{stored: map[string]string{"1001": "from-keychain"}}
	f := newFixture(t, fixtureOpts{secrets: sec})
	f.waitFor("password filled from the keychain", func() bool {
		return f.s.login.password.Text == "from-keychain" && f.s.login.remember.Checked
	})
}

func TestAsyncErrorShown(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.signIn(core.StateReady)
	f.sess.Apply(core.Update{Kind: core.UpdateError, Err: &core.FinesseError{Type: "Generic Error", Message: "CF_GENERIC"}})
	f.waitFor("async error shown", func() bool {
		return f.s.phone.errMsg.Visible() && f.s.phone.errMsg.Text == "Finesse reported an error: CF_GENERIC."
	})
}

func iconName(r fyne.Resource) string {
	if r == nil {
		return "<nil>"
	}
	return r.Name()
}

func TestLoginNeedsPassword(t *testing.T) {
	f := newFixture(t, fixtureOpts{answer: finesse})
	f.tap(f.s.login.submit)
	f.ui(func() {
		if got, want := f.s.login.errMsg.Text, "Enter your password."; got != want {
			t.Errorf("login error = %q, want %q", got, want)
		}
	})
	if n := len(f.port.Sent()); n != 0 {
		t.Errorf("%d commands sent without a password, want 0", n)
	}
}

func TestLoginAppliesNewHostsFirst(t *testing.T) {
	hosts := make(chan [2]string, 1)
	f := newFixture(t, fixtureOpts{answer: finesse, reconnect: func(_ context.Context, a, b string) error {
		hosts <- [2]string{a, b}
		return nil
	}})
	f.ui(func() {
		if f.s.login.sideA.entry.Disabled() {
			t.Error("side A read-only although Reconnect is set")
		}
		test.Type(f.s.login.sideA.entry, "fa.example.com")
		test.Type(f.s.login.password, "pw")
	})
	f.tap(f.s.login.submit)
	select {
	case got := <-hosts:
		if got != [2]string{"fa.example.com", ""} {
			t.Errorf("Reconnect(%q, %q), want (fa.example.com, \"\")", got[0], got[1])
		}
	case <-time.After(waitTimeout):
		t.Fatal("Reconnect not called")
	}
	if got := f.sent(1); got.Kind != core.CmdLogin {
		t.Errorf("sent %s after reconnecting, want Login", got.Kind)
	}
	f.waitFor("softphone shown and hosts remembered", func() bool {
		return f.s.win.Content() == f.s.phone.obj && f.s.defaults.SideA == "fa.example.com"
	})
}

// TestSignOutFromReadyOnUCCE: UCCE refuses LOGOUT from Ready with
// "Invalid State"; signing out (here from the quit prompt) goes Not Ready
// first, then logs out, then quits.
func TestSignOutFromReadyOnUCCE(t *testing.T) {
	var (
		mu    sync.Mutex
		state = core.StateReady
		sess  *core.Session
	)
	ucce := func(_ context.Context, cmd core.Command) error {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case cmd.Kind == core.CmdLogout && state != core.StateNotReady:
			return &core.FinesseError{Status: 400, Type: "Invalid State", Message: "LOGOUT only from NOT_READY"}
		case cmd.Kind == core.CmdLogout, cmd.Kind == core.CmdNotReady:
			state = core.StateNotReady
			if cmd.Kind == core.CmdLogout {
				state = core.StateLogout
			}
			go sess.Apply(coretest.AgentUpdate(testAgent("1001", "5001", state)))
		}
		return nil
	}
	f := newFixture(t, fixtureOpts{setup: func(p *coretest.Port) { p.SendFunc = ucce }})
	sess = f.sess
	f.signIn(core.StateReady)
	f.ui(func() { f.s.quit() })
	f.tap(f.s.quitAsk.signOut)
	f.waitFor("quit after signing out", func() bool { return f.app.quits == 1 })
	var got []core.CommandKind
	for i := 1; i <= 3; i++ {
		got = append(got, f.sent(i).Kind)
	}
	want := []core.CommandKind{core.CmdLogout, core.CmdNotReady, core.CmdLogout}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("commands sent (-want +got):\n%s", diff)
	}
}

// TestNoTrayUpdatesWhileQuitting: once the app quits, the shell leaves the
// tray alone. Fyne closes the tray's D-Bus connection while quitting, and
// fyne.io/systray panics on an update after that (exit status 2 seen on
// SIGTERM in the first-run smoke test).
func TestNoTrayUpdatesWhileQuitting(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.signIn(core.StateNotReady)
	var before fyne.Resource
	f.ui(func() {
		before = f.app.icon
		f.s.quitApp()
	})
	f.sess.Apply(coretest.AgentUpdate(testAgent("1001", "5001", core.StateReady)))
	f.waitFor("the model follows READY", func() bool { return f.s.m.Agent.State == core.StateReady })
	f.ui(func() {
		if f.app.quits != 1 {
			t.Errorf("quits = %d, want 1", f.app.quits)
		}
		if f.app.icon != before {
			t.Errorf("tray icon changed to %s after quitting, want it left alone", f.app.icon.Name())
		}
	})
}

// panickyTray is a tray whose D-Bus connection Fyne already closed: every
// update panics the way fyne.io/systray does.
type panickyTray struct {
	*trayApp
	err error
}

func (a *panickyTray) SetSystemTrayIcon(fyne.Resource) { panic(a.err) }

func TestTrayUpdateAfterFyneQuitDoesNotCrash(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.signIn(core.StateNotReady)
	s := f.s
	f.ui(func() {
		s.app = &panickyTray{trayApp: f.app, err: errors.New("dbus: connection closed by user")}
		s.trayKey = "" // force an update
		s.refreshTray()
		if !s.quitting.Load() {
			t.Error("a tray that is gone did not stop further tray updates")
		}
		s.quitting.Store(false)
		s.trayKey = ""
		s.app = &panickyTray{trayApp: f.app, err: errors.New("some other bug")}
		defer func() {
			if r := recover(); r == nil {
				t.Error("an unrelated panic in a tray update was swallowed")
			}
			s.app = f.app
		}()
		s.refreshTray()
	})
}

// panickyQuit is an app whose windows GLFW already forgot: Fyne's own
// SIGTERM handler terminated GLFW, so closing a window panics.
type panickyQuit struct {
	*trayApp
	err error
}

func (a *panickyQuit) Quit() { panic(a.err) }

func TestQuitAfterFyneStoppedGLFWDoesNotCrash(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	s := f.s
	f.ui(func() {
		s.app = &panickyQuit{trayApp: f.app, err: errors.New("NotInitialized: The GLFW library is not initialized")}
		s.quitApp() // must not panic
		s.app = &panickyQuit{trayApp: f.app, err: errors.New("some other bug")}
		defer func() {
			if r := recover(); r == nil {
				t.Error("an unrelated panic while quitting was swallowed")
			}
			s.app = f.app
		}()
		s.quitApp()
	})
}

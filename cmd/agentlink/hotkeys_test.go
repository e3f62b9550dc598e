package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// exchange sends lines on one end of a pipe served by serve and returns
// the answer line, or "" when the server closed without answering.
func exchange(t *testing.T, serve func(net.Conn), lines ...string) string {
	t.Helper()
	client, server := net.Pipe()
	done := make(chan struct{})
	go func() { serve(server); close(done) }()
	defer func() { client.Close(); <-done }()
	_ = client.SetDeadline(time.Now().Add(5 * time.Second))
	for _, l := range lines {
		if _, err := io.WriteString(client, l+"\n"); err != nil {
			return "" // closed on us: refused
		}
	}
	line, err := bufio.NewReader(client).ReadString('\n')
	if err != nil {
		return ""
	}
	return strings.TrimSpace(line)
}

// TestInstanceHotkeyVerbs checks the verbs on the instance channel: known
// verbs reach the handler, unknown ones and verbs with hotkeys off are
// refused, and a failure's reason comes back.
func TestInstanceHotkeyVerbs(t *testing.T) {
	t.Parallel()
	var got []string
	h := instanceHandler{show: func() { got = append(got, "show") }, hotkey: func(_ context.Context, verb string) error {
		got = append(got, verb)
		if verb == "end" {
			return errors.New("there is no call to end")
		}
		return nil
	}}
	serve := func(h instanceHandler) func(net.Conn) {
		return func(c net.Conn) { answer(context.Background(), c, h, discardLogger()) }
	}
	for _, tc := range []struct{ send, want string }{
		{"answer", "ok"},
		{"hold", "ok"},
		{"end", "error: there is no call to end"},
		{"ready", "ok"},
		{"notready", "ok"},
		{"reason3", "ok"},
		{"reason0", "unknown request"},
		{"show", "ok"},
		{"dance", "unknown request"},
		{"answer now", "unknown request"},
		{"", "unknown request"},
	} {
		if ans := exchange(t, serve(h), tc.send); ans != tc.want {
			t.Errorf("%q answered %q, want %q", tc.send, ans, tc.want)
		}
	}
	if want := "answer hold end ready notready reason3 show"; strings.Join(got, " ") != want {
		t.Errorf("handler saw %q, want %q", strings.Join(got, " "), want)
	}
	off := instanceHandler{show: func() {}}
	if ans := exchange(t, serve(off), "answer"); ans != "error: global hotkeys are off (ui.global_hotkeys)" {
		t.Errorf("answer with hotkeys off answered %q", ans)
	}
}

// TestInstanceWrongSecretRefused checks the Windows channel's check (the
// code is shared, so it runs here): a request without the right secret is
// closed unanswered and never reaches the handler.
func TestInstanceWrongSecretRefused(t *testing.T) {
	t.Parallel()
	called := 0
	h := instanceHandler{show: func() { called++ }, hotkey: func(context.Context, string) error { called++; return nil }}
	serve := func(c net.Conn) { answerWithSecret(context.Background(), c, "s3cret", h, discardLogger()) }
	for _, first := range []string{"wrong", "answer", "", "s3cret0", "S3CRET"} {
		if ans := exchange(t, serve, first, "answer"); ans != "" {
			t.Errorf("secret %q: answered %q, want the connection closed", first, ans)
		}
	}
	if called != 0 {
		t.Fatalf("the handler ran %d times for requests with a wrong secret", called)
	}
	if ans := exchange(t, serve, "s3cret", "hold"); ans != "ok" || called != 1 {
		t.Errorf("right secret: answered %q, handler calls %d; want ok and 1", ans, called)
	}
}

// TestInstanceSocketHotkey sends a verb over the real Unix socket the way
// agentlink-hotkeys does, to the Endpoint the lock reports.
func TestInstanceSocketHotkey(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	lock, err := claimInstance("/config/hotkeys", discardLogger())
	if err != nil {
		t.Skipf("no instance lock on this platform: %v", err)
	}
	defer lock.Close()
	if _, ok := lock.(noInstance); ok {
		t.Skip("no instance lock on this platform")
	}
	verbs := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go lock.Serve(ctx, instanceHandler{show: func() {}, hotkey: func(_ context.Context, v string) error { verbs <- v; return nil }})
	if filepath.Ext(lock.Endpoint()) != ".sock" {
		t.Fatalf("Endpoint() = %q, want the socket", lock.Endpoint())
	}
	c, err := net.Dial("unix", lock.Endpoint())
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(c, "hold\n")
	line, err := bufio.NewReader(c).ReadString('\n')
	c.Close()
	if err != nil || strings.TrimSpace(line) != "ok" {
		t.Fatalf("hold over the socket answered %q (%v)", line, err)
	}
	if v := <-verbs; v != "hold" {
		t.Errorf("handler got %q", v)
	}
}

// TestHotkeyAction checks which call each verb picks.
func TestHotkeyAction(t *testing.T) {
	t.Parallel()
	ringing := core.Dialog{ID: "r", AgentState: core.PartAlerting, Actions: []core.Action{core.ActionAnswer}}
	held := core.Dialog{ID: "h", AgentState: core.PartHeld, Actions: []core.Action{core.ActionRetrieve, core.ActionDrop}}
	active := core.Dialog{ID: "a", AgentState: core.PartActive, Actions: []core.Action{core.ActionHold, core.ActionDrop}}
	for _, tc := range []struct {
		ds         []core.Dialog
		verb       string
		wantAction core.Action
		wantID     string
	}{
		{[]core.Dialog{ringing}, "answer", core.ActionAnswer, "r"},
		{[]core.Dialog{ringing}, "end", "", ""},
		{[]core.Dialog{held, active}, "end", core.ActionDrop, "a"}, // the consult, not the held customer
		{[]core.Dialog{held, active}, "hold", core.ActionHold, "a"},
		{[]core.Dialog{held}, "hold", core.ActionRetrieve, "h"},
		{[]core.Dialog{held}, "end", core.ActionDrop, "h"},
		{nil, "answer", "", ""},
	} {
		a, id, ok := hotkeyAction(tc.ds, tc.verb)
		if a != tc.wantAction || id != tc.wantID || ok != (tc.wantID != "") {
			t.Errorf("%s on %d dialogs = %q %q %v, want %q %q", tc.verb, len(tc.ds), a, id, ok, tc.wantAction, tc.wantID)
		}
	}
}

// TestHotkeyConfig checks the keys: defaults, a custom one, one turned
// off. A bad combination or two actions on one key no longer stop
// AgentLink: those hotkeys are off and a problem says why in the agent's
// words (shown in the window) with the detail for the log.
func TestHotkeyConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := writeFile(t, dir, "good.toml", "[ui]\nglobal_hotkeys = true\nhotkey_answer = \"Ctrl + Shift + F9\"\nhotkey_not_ready = \"\"\n")
	cfg, err := loadConfig(good, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "answer=ctrl+shift+f9 hold=ctrl+alt+h end=ctrl+alt+e ready=ctrl+alt+r"
	if got := strings.Join(cfg.hotkeyBindings(), " "); !cfg.UI.GlobalHotkeys || got != want || len(cfg.UI.HotkeyProblems) != 0 {
		t.Errorf("bindings = %q (on: %v, problems %v), want %q", got, cfg.UI.GlobalHotkeys, cfg.UI.HotkeyProblems, want)
	}
	for name, tc := range map[string]struct{ toml, say, detail, bindings string }{
		"no modifier": {"hotkey_end = \"e\"", `The global hotkey for End call is off: "e" is not a key combination`, "ui.hotkey_end",
			"answer=ctrl+alt+a hold=ctrl+alt+h ready=ctrl+alt+r notready=ctrl+alt+n"},
		"shift only": {"hotkey_end = \"shift+e\"", "Fix ui.hotkey_end in config.toml", "needs ctrl, alt or super",
			"answer=ctrl+alt+a hold=ctrl+alt+h ready=ctrl+alt+r notready=ctrl+alt+n"},
		"bad key": {"hotkey_hold = \"ctrl+alt+pause\"", "Hold / Retrieve is off", `the key "pause" is not one AgentLink can grab`,
			"answer=ctrl+alt+a end=ctrl+alt+e ready=ctrl+alt+r notready=ctrl+alt+n"},
		"duplicate": {"hotkey_hold = \"ctrl+alt+e\"", "The global hotkeys Hold / Retrieve, End call are off: Ctrl+Alt+E is set for each of them",
			`ui.hotkey_hold and ui.hotkey_end are all "ctrl+alt+e"`, "answer=ctrl+alt+a ready=ctrl+alt+r notready=ctrl+alt+n"},
		"reason on a used key": {"[ui.hotkey_not_ready_reasons]\n\"ctrl+alt+n\" = \"Lunch\"", "Not Ready, Not Ready – Lunch are off",
			"ui.hotkey_not_ready and ui.hotkey_not_ready_reasons", "answer=ctrl+alt+a hold=ctrl+alt+h end=ctrl+alt+e ready=ctrl+alt+r"},
		"reason bad key": {"[ui.hotkey_not_ready_reasons]\n\"lunch\" = \"Lunch\"", "Not Ready – Lunch is off", "ui.hotkey_not_ready_reasons",
			"answer=ctrl+alt+a hold=ctrl+alt+h end=ctrl+alt+e ready=ctrl+alt+r notready=ctrl+alt+n"},
	} {
		path := writeFile(t, dir, strings.ReplaceAll(name, " ", "-")+".toml", "[ui]\n"+tc.toml+"\n")
		cfg, err := loadConfig(path, true, nil)
		if err != nil {
			t.Errorf("%s: loadConfig = %v, want the hotkey off and a problem", name, err)
			continue
		}
		if len(cfg.UI.HotkeyProblems) != 1 || !strings.Contains(cfg.UI.HotkeyProblems[0].Say, tc.say) ||
			!strings.Contains(cfg.UI.HotkeyProblems[0].Detail, tc.detail) {
			t.Errorf("%s: problems = %+v, want %q / %q", name, cfg.UI.HotkeyProblems, tc.say, tc.detail)
		}
		if got := strings.Join(cfg.hotkeyBindings(), " "); got != tc.bindings {
			t.Errorf("%s: bindings = %q, want %q", name, got, tc.bindings)
		}
	}
	notText := writeFile(t, dir, "not-text.toml", "[ui]\nhotkey_hold = 5\n")
	if _, err := loadConfig(notText, true, nil); err == nil || !strings.Contains(err.Error(), "ui.hotkey_hold") {
		t.Errorf("hotkey_hold = 5: loadConfig error = %v", err)
	}
}

// TestReasonHotkeyConfig: ui.hotkey_not_ready_reasons binds combinations
// to reasons in key order, as verbs reason1, reason2…; the help lists them.
func TestReasonHotkeyConfig(t *testing.T) {
	t.Parallel()
	path := writeFile(t, t.TempDir(), "reasons.toml", "[ui]\nglobal_hotkeys = true\n"+
		"[ui.hotkey_not_ready_reasons]\n\"Ctrl+Alt+2\" = \"Break\"\n\"ctrl+alt+1\" = \" Lunch \"\n\"ctrl+alt+3\" = \"12\"\n")
	cfg, err := loadConfig(path, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "answer=ctrl+alt+a hold=ctrl+alt+h end=ctrl+alt+e ready=ctrl+alt+r notready=ctrl+alt+n " +
		"reason1=ctrl+alt+1 reason2=ctrl+alt+2 reason3=ctrl+alt+3"
	if got := strings.Join(cfg.hotkeyBindings(), " "); got != want {
		t.Errorf("bindings = %q, want %q", got, want)
	}
	if h, ok := cfg.reasonHotkey("reason1"); !ok || h.Reason != "Lunch" {
		t.Errorf("reason1 = %+v %v", h, ok)
	}
	if w := cfg.hotkeyWords("reason2"); w != "Not Ready – Break" {
		t.Errorf("reason2 words = %q", w)
	}
}

// TestFindReason: a configured reason matches a label in any case, else a
// code; one that matches neither is named with the reasons there are.
func TestFindReason(t *testing.T) {
	t.Parallel()
	codes := []core.ReasonCode{{ID: "17", Code: "12", Label: "Lunch"}, {ID: "18", Code: "13", Label: "Break"}}
	for want, id := range map[string]string{"lunch": "17", " Break ": "18", "13": "18", "Meeting": "", "": ""} {
		rc, ok := findReason(codes, want)
		if ok != (id != "") || rc.ID != id {
			t.Errorf("findReason(%q) = %+v %v, want id %q", want, rc, ok, id)
		}
	}
	err := unknownReason(ReasonHotkey{Keys: "ctrl+alt+3", Reason: "Meeting"}, codes)
	want := `the global hotkey Ctrl+Alt+3 asks for the Not Ready reason "Meeting", which does not exist (the reasons are: Lunch, Break); fix ui.hotkey_not_ready_reasons in config.toml`
	if err.Error() != want {
		t.Errorf("unknownReason = %q\nwant %q", err, want)
	}
}

// TestHelperStoppedWords: why the helper stopped, for the agent.
func TestHelperStoppedWords(t *testing.T) {
	t.Parallel()
	cfg := defaultConfig()
	cfg.UI.ReasonHotkeys = []ReasonHotkey{{Keys: "ctrl+alt+1", Reason: "Lunch"}}
	for _, tc := range []struct{ taken, detail, want string }{
		{"answer ctrl+alt+a", "cannot grab", "Ctrl+Alt+A (Answer) is already used by another program. Choose another key for it (ui.hotkey_answer in config.toml) and restart AgentLink."},
		{"reason1 ctrl+alt+1", "cannot grab", "Ctrl+Alt+1 (Not Ready – Lunch) is already used by another program. Choose another key for it (ui.hotkey_not_ready_reasons in config.toml) and restart AgentLink."},
		{"", "cannot open the X11 display :9", "they work on an X11 desktop only"},
		{"", "exit status 1", "the hotkeys program stopped. The log has the details."},
	} {
		if got := helperStoppedWords(cfg, tc.taken, tc.detail); !strings.HasPrefix(got, tc.want) {
			t.Errorf("helperStoppedWords(%q, %q) = %q, want %q", tc.taken, tc.detail, got, tc.want)
		}
	}
}

// TestHotkeyHelperMissing: without agentlink-hotkeys beside AgentLink or
// on PATH the notice says so in the agent's words and the log has the
// detail.
func TestHotkeyHelperMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	var logBuf strings.Builder
	log := slog.New(slog.NewTextHandler(&logBuf, nil))
	var got []string
	runHotkeyHelper(context.Background(), defaultConfig(), "/nowhere.sock", log, func(s string) { got = append(got, s) })
	want := "Global hotkeys are off: the hotkeys program (agentlink-hotkeys) is not installed beside AgentLink. Ask your administrator to install it with AgentLink."
	if len(got) != 1 || got[0] != want {
		t.Errorf("notices = %q, want %q", got, want)
	}
	if !strings.Contains(logBuf.String(), "is not installed beside agentlink nor on PATH") {
		t.Errorf("log lacks the detail:\n%s", logBuf.String())
	}
}

// TestReasonHotkeysAtSignIn: each sign-in checks the reason hotkeys
// against the agent's Not Ready reasons and reports the one that does not
// exist; a reason hotkey then sets Not Ready with its reason.
func TestReasonHotkeysAtSignIn(t *testing.T) {
	t.Parallel()
	fin := coretest.NewFinesse("1001")
	s := core.NewSession(core.Config{Port: fin.Port(), Logger: slog.New(slog.DiscardHandler)})
	fin.Attach(s)
	hs := []ReasonHotkey{{Keys: "ctrl+alt+1", Reason: "lunch"}, {Keys: "ctrl+alt+2", Reason: "Meeting"}}
	notices := make(chan string, 4)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		watchReasonHotkeys(ctx, s, hs, slog.New(slog.DiscardHandler), func(m string) { notices <- m })
	}()
	defer func() { cancel(); <-done }()
	if err := s.Login(t.Context(), core.LoginRequest{AgentID: "1001", Password: "pw", Extension: "5001"}); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-notices:
		if !strings.Contains(m, `The global hotkey Ctrl+Alt+2 asks for the Not Ready reason "Meeting", which does not exist (the reasons are: Break, Lunch)`) {
			t.Errorf("notice = %q", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no notice for the reason that does not exist")
	}
	target := &hotkeyTarget{reasons: hs}
	target.sess.Store(s)
	if err := target.do(t.Context(), "reason1"); err != nil {
		t.Fatalf("reason1: %v", err)
	}
	if a := s.Snapshot().Agent; a.State != core.StateNotReady || a.ReasonCodeID != "2" {
		t.Errorf("after reason1: %s reason %q, want NOT_READY reason 2 (Lunch)", a.State, a.ReasonCodeID)
	}
	var failed []string
	f := func(m string) { failed = append(failed, m) }
	target.failed.Store(&f)
	if err := target.do(t.Context(), "reason2"); err == nil || len(failed) != 1 ||
		!strings.HasPrefix(failed[0], `Global hotkey Not Ready – Meeting: the global hotkey Ctrl+Alt+2 asks for`) {
		t.Errorf("reason2 = %v, window told %q", err, failed)
	}
}

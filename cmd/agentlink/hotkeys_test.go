package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
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
		{"show", "ok"},
		{"dance", "unknown request"},
		{"answer now", "unknown request"},
		{"", "unknown request"},
	} {
		if ans := exchange(t, serve(h), tc.send); ans != tc.want {
			t.Errorf("%q answered %q, want %q", tc.send, ans, tc.want)
		}
	}
	if want := "answer hold end ready notready show"; strings.Join(got, " ") != want {
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
// off, and clear errors for a bad combination and a duplicate.
func TestHotkeyConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := writeFile(t, dir, "good.toml", "[ui]\nglobal_hotkeys = true\nhotkey_answer = \"Ctrl + Shift + F9\"\nhotkey_not_ready = \"\"\n")
	cfg, err := loadConfig(good, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "answer=ctrl+shift+f9 hold=ctrl+alt+h end=ctrl+alt+e ready=ctrl+alt+r"
	if got := strings.Join(cfg.hotkeyBindings(), " "); !cfg.UI.GlobalHotkeys || got != want {
		t.Errorf("bindings = %q (on: %v), want %q", got, cfg.UI.GlobalHotkeys, want)
	}
	for name, tc := range map[string]struct{ toml, want string }{
		"no modifier": {"hotkey_end = \"e\"", "ui.hotkey_end"},
		"shift only":  {"hotkey_end = \"shift+e\"", "needs ctrl, alt or super"},
		"bad key":     {"hotkey_hold = \"ctrl+alt+pause\"", `the key "pause" is not one AgentLink can grab`},
		"bad mod":     {"hotkey_hold = \"hyper+h\"", `"hyper" is not a modifier`},
		"duplicate":   {"hotkey_hold = \"ctrl+alt+e\"", `ui.hotkey_hold and ui.hotkey_end are all "ctrl+alt+e"`},
		"not text":    {"hotkey_hold = 5", "ui.hotkey_hold"},
	} {
		path := writeFile(t, dir, strings.ReplaceAll(name, " ", "-")+".toml", "[ui]\n"+tc.toml+"\n")
		_, err := loadConfig(path, true, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: loadConfig error = %v, want it to contain %q", name, err, tc.want)
		}
	}
}

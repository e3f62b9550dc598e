package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

// TestInstanceActivationURLs checks agentlink: URLs on the instance
// channel: Answer reaches the handler with its dialog id, show shows, and
// anything malformed is refused without reaching either.
func TestInstanceActivationURLs(t *testing.T) {
	t.Parallel()
	var got []string
	h := instanceHandler{show: func() { got = append(got, "show") },
		notifyAnswer: func(id string) { got = append(got, "answer "+id) }}
	serve := func(h instanceHandler) func(net.Conn) {
		return func(c net.Conn) { answer(context.Background(), c, h, discardLogger()) }
	}
	for _, tc := range []struct{ send, want string }{
		{"agentlink:answer?dialog=16777217", "ok"},
		{"agentlink:show", "ok"},
		{"agentlink:answer?dialog=1%0Ashow", "error: agentlink:answer: \"1%0Ashow\" is not a call id"},
		{"agentlink:answer", "error: agentlink:answer needs the call: agentlink:answer?dialog=ID"},
		{"agentlink:hangup?dialog=1", "error: unknown agentlink: request \"hangup\": AgentLink knows agentlink:answer?dialog=ID and agentlink:show"},
	} {
		if ans := exchange(t, serve(h), tc.send); !strings.HasPrefix(ans, tc.want) {
			t.Errorf("%q answered %q, want it to start %q", tc.send, ans, tc.want)
		}
	}
	if want := "answer 16777217|show"; strings.Join(got, "|") != want {
		t.Errorf("handler saw %q, want %q", strings.Join(got, "|"), want)
	}
	off := instanceHandler{show: func() {}}
	if ans := exchange(t, serve(off), "agentlink:answer?dialog=1"); !strings.HasPrefix(ans, "error: ") {
		t.Errorf("answer with no notifier answered %q", ans)
	}
}

// TestProtocolLaunchHandsOver runs the command line Windows runs on a
// click in a toast (here over the Unix instance socket; on Windows the
// shared code goes over loopback TCP): the running instance gets the
// dialog id, the launch exits 0; a bad URL is a usage error that reaches
// nobody; with nobody running it says so.
func TestProtocolLaunchHandsOver(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir, err := configDir()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	sio := stdio{in: strings.NewReader(""), out: &out, err: &out}

	err = run(ctx, []string{"agentlink:answer?dialog=42"}, sio)
	if err == nil || !strings.Contains(err.Error(), "AgentLink is not running") {
		t.Errorf("with nobody running: %v, want it to say AgentLink is not running", err)
	}

	lock, err := claimInstance(dir, discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if _, ok := lock.(noInstance); ok {
		t.Skip("no instance lock on this platform")
	}
	answers := make(chan string, 4)
	go lock.Serve(ctx, instanceHandler{show: func() {}, notifyAnswer: func(id string) { answers <- id }})

	if err := run(ctx, []string{"agentlink:answer?dialog=42"}, sio); err != nil {
		t.Fatalf("protocol launch: %v (output %q)", err, out.String())
	}
	select {
	case id := <-answers:
		if id != "42" {
			t.Errorf("the running instance got dialog %q, want 42", id)
		}
	case <-ctx.Done():
		t.Fatal("the running instance never got the Answer")
	}
	var ue *usageError
	for _, bad := range [][]string{{"agentlink:answer?dialog=$(calc)"}, {"agentlink:answer?dialog=1", "--demo"}} {
		if err := run(ctx, bad, sio); !errors.As(err, &ue) {
			t.Errorf("run(%q) = %v, want a usage error", bad, err)
		}
	}
	select {
	case id := <-answers:
		t.Errorf("a refused URL reached the instance: %q", id)
	default:
	}
}

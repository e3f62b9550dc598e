package ui

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
	"github.com/agentlink/agentlink/ui/internal/wintoast"
)

// TestToastAnswerFromProtocolLaunch: on Windows an Answer click comes back
// as a dialog id on Config.NotificationAnswers (a protocol launch handed it
// over). Through the toast notifier it answers that call; the toast is then
// removed by its tag. An id whose toast was never shown sends nothing.
func TestToastAnswerFromProtocolLaunch(t *testing.T) {
	scripts := make(chan string, 16)
	toast := wintoast.NewWith("io.agentlink.app", func(_ context.Context, s string) error { scripts <- s; return nil })
	f := newFixture(t, fixtureOpts{answer: finesse, toast: toast})
	answers := make(chan string, 2)
	go f.s.followNotificationAnswers(f.s.ctx, answers)
	f.signIn(core.StateReady)
	f.sess.Apply(coretest.DialogUpdate(ringingFrom("d1", "Jane <Doe> & $Co")))
	tag := "Arg '" + base64.StdEncoding.EncodeToString([]byte("d1")) + "'"
	nextScript := func(what string) string {
		t.Helper()
		select {
		case s := <-scripts:
			return s
		case <-time.After(waitTimeout):
			t.Fatalf("no script for %s", what)
			return ""
		}
	}
	if s := nextScript("the ringing toast"); !strings.Contains(s, ".Show($toast)") || !strings.Contains(s, tag) {
		t.Fatalf("first script does not show a toast tagged d1:\n%s", s)
	}
	answers <- "d7" // no toast for it: refused by the notifier
	answers <- "d1"
	if cmd := f.sent(1); cmd.Kind != core.CmdAnswer || cmd.DialogID != "d1" {
		t.Fatalf("sent %+v, want Answer on d1", cmd)
	}
	for {
		if s := nextScript("the withdrawal"); strings.Contains(s, "History.Remove(") {
			if !strings.Contains(s, tag) {
				t.Errorf("the withdrawal removes another tag:\n%s", s)
			}
			break
		}
	}
}

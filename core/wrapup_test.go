package core_test

import (
	"errors"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// Finesse (and the simulator by default) may DELETE the dialog when the
// call ends while the agent is still in WORK_READY: the reason chosen then
// belongs to the ended call and must not fail with "no such dialog".
func TestWrapUpAfterDialogRemoved(t *testing.T) {
	f := newFixture(t, nil)
	f.login()
	f.s.Apply(coretest.DialogUpdate(active))
	f.s.Apply(coretest.Removed(active.ID))
	f.s.Apply(coretest.AgentUpdate(coretest.Agent(agentID, ext, core.StateWorkReady)))
	w := f.s.Watch(core.WatchOptions{})
	defer w.Close()

	if err := f.s.SetWrapUp(t.Context(), "", "Sale"); err != nil {
		t.Fatalf("SetWrapUp after the dialog was removed = %v, want nil", err)
	}
	ev := next(t, w)
	if ev.Kind != core.EventWrapUp || ev.Ended == nil || ev.Ended.DialogID != active.ID || ev.Ended.WrapUpReason != "Sale" {
		t.Fatalf("event = %+v (ended %+v), want WrapUp for %s with reason Sale", ev, ev.Ended, active.ID)
	}
	if n := f.port.Calls("Send"); n != 0 {
		t.Errorf("port.Send called %d times; there is no dialog at Finesse to send to", n)
	}
	// Naming the ended call works too; naming another one does not.
	if err := f.s.SetWrapUp(t.Context(), active.ID, "No sale"); err != nil {
		t.Errorf("SetWrapUp(%s) = %v", active.ID, err)
	}
	if err := f.s.SetWrapUp(t.Context(), "nope", "Sale"); !errors.Is(err, core.ErrNoSuchDialog) {
		t.Errorf("SetWrapUp(unknown) = %v, want ErrNoSuchDialog", err)
	}
}

// Outside wrap-up, with no call, there is nothing to wrap up.
func TestWrapUpNoCall(t *testing.T) {
	f := newFixture(t, nil)
	f.login()
	f.s.Apply(coretest.DialogUpdate(active))
	f.s.Apply(coretest.Removed(active.ID))
	f.s.Apply(coretest.AgentUpdate(coretest.Agent(agentID, ext, core.StateReady)))
	if err := f.s.SetWrapUp(t.Context(), "", "Sale"); !errors.Is(err, core.ErrNoSuchDialog) {
		t.Errorf("SetWrapUp while Ready with no call = %v, want ErrNoSuchDialog", err)
	}
}

// During the call the reason goes to Finesse on the live dialog.
func TestWrapUpDuringCall(t *testing.T) {
	f := newFixture(t, nil)
	f.login()
	f.s.Apply(coretest.DialogUpdate(active))
	f.reply(func(cmd core.Command) []core.Update {
		d := active
		d.WrapUpReason = cmd.WrapUpReason
		return coretest.Echo(cmd, coretest.DialogUpdate(d))
	})
	if err := f.s.SetWrapUp(t.Context(), "", "Sale"); err != nil {
		t.Fatalf("SetWrapUp during the call = %v", err)
	}
	sent := f.port.Sent()
	if len(sent) != 1 || sent[0].Kind != core.CmdWrapUp || sent[0].DialogID != active.ID {
		t.Fatalf("sent = %+v, want one WrapUp on %s", sent, active.ID)
	}
	w := f.s.Watch(core.WatchOptions{})
	defer w.Close()
	f.s.Apply(coretest.Removed(active.ID))
	if ev := next(t, w); ev.Kind != core.EventDialogEnded || ev.Ended.WrapUpReason != "Sale" {
		t.Errorf("DialogEnded summary = %+v, want the reason Sale", ev.Ended)
	}
}

// A successful SEND_DTMF publishes nothing: silence after the 202 is success.
func TestSendDTMFQuietIsSuccess(t *testing.T) {
	f := newFixture(t, func(c *core.Config) { c.DTMFQuiet = 100 * time.Millisecond })
	f.login()
	f.s.Apply(coretest.DialogUpdate(active))
	start := time.Now()
	if err := f.s.SendDTMF(t.Context(), "", "12#"); err != nil {
		t.Fatalf("SendDTMF with no event after 202 = %v, want nil", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("SendDTMF took %s; the quiet window is 100ms", d)
	}
}

// An asynchronous error inside the window is still reported.
func TestSendDTMFAsyncError(t *testing.T) {
	f := newFixture(t, func(c *core.Config) { c.DTMFQuiet = 2 * time.Second })
	f.login()
	f.s.Apply(coretest.DialogUpdate(active))
	f.reply(func(cmd core.Command) []core.Update {
		return []core.Update{{Kind: core.UpdateError, RequestID: cmd.RequestID,
			Err: &core.FinesseError{Type: "Generic Error", Message: "CF_VALUE_OUT_OF_RANGE"}}}
	})
	var fe *core.FinesseError
	if err := f.s.SendDTMF(t.Context(), "", "1"); !errors.As(err, &fe) {
		t.Errorf("SendDTMF with an async error = %v, want the FinesseError", err)
	}
}

// A Login as another agent must not replace the live session.
func TestLoginOtherAgentRefused(t *testing.T) {
	f := newFixture(t, nil)
	f.login()
	err := f.s.Login(t.Context(), core.LoginRequest{AgentID: "1002", Password: "x", Extension: "5002"})
	if !errors.Is(err, core.ErrOtherAgent) {
		t.Fatalf("Login as 1002 while 1001 is signed in = %v, want ErrOtherAgent", err)
	}
	if n := f.port.Calls("Send"); n != 0 {
		t.Errorf("port.Send called %d times for a refused Login", n)
	}
	if a := f.s.Snapshot().Agent; a.ID != agentID || !a.LoggedIn() {
		t.Errorf("agent after refused Login = %+v", a)
	}
}

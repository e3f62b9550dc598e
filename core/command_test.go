package core_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// callFixture returns a fixture with a signed-in agent and three dialogs:
// d1 ringing, d2 active and d3 held.
func callFixture(t *testing.T, edit func(*core.Config)) *fixture {
	t.Helper()
	f := newFixture(t, edit)
	f.login()
	for _, d := range []core.Dialog{alerting, active, held} {
		f.s.Apply(coretest.DialogUpdate(d))
	}
	return f
}

func agentIn(st, pending core.AgentState) core.Update {
	a := coretest.Agent(agentID, ext, st)
	a.PendingState = pending
	return coretest.AgentUpdate(a)
}

var consult = func() core.Dialog {
	d := coretest.Dialog("d9", ext, "5002", core.PartInitiating, core.ActionDrop)
	d.AssociatedID = "d2"
	return d
}()

// observedCases are commands whose outcome arrives without a request id:
// the session must recognise the state they asked for.
var observedCases = []struct {
	name   string
	cmd    core.Command
	answer core.Update
}{
	{"Ready", core.Command{Kind: core.CmdReady}, agentIn(core.StateReady, "")},
	{"Ready pending", core.Command{Kind: core.CmdReady}, agentIn(core.StateTalking, core.StateReady)},
	{"NotReady", core.Command{Kind: core.CmdNotReady, ReasonCodeID: "12"}, agentIn(core.StateNotReady, "")},
	{"NotReady pending", core.Command{Kind: core.CmdNotReady}, agentIn(core.StateTalking, core.StateNotReady)},
	{"NotReady work", core.Command{Kind: core.CmdNotReady}, agentIn(core.StateWork, "")},
	{"Logout", core.Command{Kind: core.CmdLogout}, agentIn(core.StateLogout, "")},
	{"Logout pending", core.Command{Kind: core.CmdLogout}, agentIn(core.StateTalking, core.StateLogout)},
	{"MakeCall", core.Command{Kind: core.CmdMakeCall, Number: "5002"},
		coretest.DialogUpdate(coretest.Dialog("d8", ext, "5002", core.PartInitiating, core.ActionDrop))},
	{"Answer", core.Command{Kind: core.CmdAnswer, DialogID: "d1"},
		coretest.DialogUpdate(with(alerting, core.PartActive, core.ActionHold))},
	{"Hold", core.Command{Kind: core.CmdHold, DialogID: "d2"},
		coretest.DialogUpdate(with(active, core.PartHeld, core.ActionRetrieve))},
	{"Retrieve", core.Command{Kind: core.CmdRetrieve, DialogID: "d3"},
		coretest.DialogUpdate(with(held, core.PartActive, core.ActionHold))},
	{"Release removed", core.Command{Kind: core.CmdRelease, DialogID: "d2"}, coretest.Removed("d2")},
	{"Release dropped", core.Command{Kind: core.CmdRelease, DialogID: "d2"},
		coretest.DialogUpdate(with(active, core.PartDropped))},
	{"Consult", core.Command{Kind: core.CmdConsult, DialogID: "d2", Number: "5002"}, coretest.DialogUpdate(consult)},
	{"Transfer", core.Command{Kind: core.CmdTransfer, DialogID: "d3"}, coretest.Removed("d3")},
	{"Conference", core.Command{Kind: core.CmdConference, DialogID: "d3"},
		coretest.DialogUpdate(func() core.Dialog { d := held; d.SecondaryID = "d2"; return d }())},
	{"SingleStepTransfer", core.Command{Kind: core.CmdSingleStepTransfer, DialogID: "d2", Number: "5003"}, coretest.Removed("d2")},
	{"SendDTMF", core.Command{Kind: core.CmdSendDTMF, DialogID: "d2", Digits: "12#"}, coretest.DialogUpdate(active)},
	{"UpdateCallData", core.Command{Kind: core.CmdUpdateCallData, DialogID: "d2",
		Variables: []core.CallVariable{{Name: "callVariable1", Value: "x"}}},
		coretest.DialogUpdate(func() core.Dialog {
			d := active
			d.Variables = []core.CallVariable{{Name: "callVariable1", Value: "x"}}
			return d
		}())},
	{"WrapUp", core.Command{Kind: core.CmdWrapUp, DialogID: "d3", WrapUpReason: "Sale"},
		coretest.DialogUpdate(func() core.Dialog { d := held; d.WrapUpReason = "Sale"; return d }())},
}

func TestExecuteObservedState(t *testing.T) {
	t.Parallel()
	for _, tt := range observedCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := callFixture(t, nil)
			f.reply(func(core.Command) []core.Update { return []core.Update{tt.answer} })
			if err := f.s.Execute(t.Context(), tt.cmd); err != nil {
				t.Fatalf("Execute(%s) = %v, want nil", tt.cmd.Kind, err)
			}
		})
	}
}

// TestExecuteByRequestID answers every command with an update that changes
// nothing but echoes the request id: that alone must confirm it.
func TestExecuteByRequestID(t *testing.T) {
	t.Parallel()
	for _, tt := range observedCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := callFixture(t, nil)
			f.reply(func(cmd core.Command) []core.Update {
				return coretest.Echo(cmd, coretest.DialogUpdate(alerting))
			})
			if err := f.s.Execute(t.Context(), tt.cmd); err != nil {
				t.Fatalf("Execute(%s) = %v, want nil", tt.cmd.Kind, err)
			}
			sent := f.port.Sent()
			if len(sent) != 1 || len(sent[0].RequestID) != 32 {
				t.Fatalf("sent %+v, want one command with a 32-hex-digit request id", sent)
			}
		})
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.reply(func(cmd core.Command) []core.Update {
		return []core.Update{agentIn(core.StateNotReady, "")}
	})
	err := f.s.Login(t.Context(), core.LoginRequest{AgentID: agentID, Password: "pw", Extension: ext})
	if err != nil {
		t.Fatalf("Login() = %v, want nil", err)
	}
	want := core.Command{Kind: core.CmdLogin, AgentID: agentID, Password: "pw", Extension: ext}
	got := f.port.Sent()[0]
	got.RequestID = ""
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sent command mismatch (-want +got):\n%s", diff)
	}
	// Signing in again changes nothing in Finesse and is confirmed at once.
	f.port.SendFunc = nil
	if err := f.s.Login(t.Context(), core.LoginRequest{AgentID: agentID, Password: "pw", Extension: ext}); err != nil {
		t.Errorf("second Login() = %v, want nil", err)
	}
}

// TestLoginExtensionBeforeAgent checks that dialogs arriving before the
// agent's first update use the extension the agent signed in with.
func TestLoginExtensionBeforeAgent(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.reply(func(core.Command) []core.Update {
		a := coretest.Agent(agentID, "", core.StateNotReady)
		return []core.Update{coretest.AgentUpdate(a), coretest.DialogUpdate(alerting)}
	})
	w := f.s.Watch(core.WatchOptions{})
	defer w.Close()
	if err := f.s.Login(t.Context(), core.LoginRequest{AgentID: agentID, Password: "pw", Extension: ext}); err != nil {
		t.Fatalf("Login() = %v", err)
	}
	next(t, w) // the agent
	ev := next(t, w)
	if ev.Kind != core.EventDialog || ev.Dialog.AgentState != core.PartAlerting {
		t.Errorf("event = %v %+v, want Dialog with agent ALERTING", ev.Kind, ev.Dialog)
	}
}

func TestExecuteErrors(t *testing.T) {
	t.Parallel()
	syncErr := &core.FinesseError{Status: 400, Type: "Invalid State", Message: "CF_INVALID_STATE"}
	tests := []struct {
		name    string
		send    func(f *fixture) func(context.Context, core.Command) error
		want    error  // errors.Is target
		wantFin string // Type of the *FinesseError, if one is wanted
	}{
		{"sync Finesse error", func(*fixture) func(context.Context, core.Command) error {
			return coretest.Fail(syncErr)
		}, nil, "Invalid State"},
		{"transport error", func(*fixture) func(context.Context, core.Command) error {
			return coretest.Fail(core.ErrUnreachable)
		}, core.ErrUnreachable, ""},
		{"async error by request id", func(f *fixture) func(context.Context, core.Command) error {
			return coretest.Reply(f.s, func(cmd core.Command) []core.Update {
				return []core.Update{{Kind: core.UpdateError, RequestID: cmd.RequestID, DialogID: "d2",
					Err: &core.FinesseError{Type: "Generic Error", Data: "20"}}}
			})
		}, nil, "Generic Error"},
		{"async error by dialog", func(f *fixture) func(context.Context, core.Command) error {
			return coretest.Reply(f.s, func(cmd core.Command) []core.Update {
				return []core.Update{{Kind: core.UpdateError, DialogID: "d2",
					Err: &core.FinesseError{Type: "Invalid Input"}}}
			})
		}, nil, "Invalid Input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := callFixture(t, nil)
			f.port.SendFunc = tt.send(f)
			err := f.s.Hold(t.Context(), "d2")
			if err == nil {
				t.Fatal("Hold() = nil, want an error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Hold() = %v, want errors.Is %v", err, tt.want)
			}
			var fe *core.FinesseError
			if tt.wantFin != "" && (!errors.As(err, &fe) || fe.Type != tt.wantFin) {
				t.Errorf("Hold() = %v, want a *FinesseError of type %q", err, tt.wantFin)
			}
		})
	}
}

// TestExecuteAsyncErrorOtherDialog checks that an error about another
// dialog does not fail a command.
func TestExecuteAsyncErrorOtherDialog(t *testing.T) {
	t.Parallel()
	f := callFixture(t, nil)
	f.reply(func(cmd core.Command) []core.Update {
		return []core.Update{
			{Kind: core.UpdateError, DialogID: "d3", Err: &core.FinesseError{Type: "Generic Error"}},
			coretest.DialogUpdate(with(active, core.PartHeld, core.ActionRetrieve)),
		}
	})
	if err := f.s.Hold(t.Context(), "d2"); err != nil {
		t.Errorf("Hold() = %v, want nil", err)
	}
}

func TestExecuteTimeout(t *testing.T) {
	hold := core.Command{Kind: core.CmdHold, DialogID: "d2"}
	tests := []struct {
		name   string
		cmd    core.Command
		answer []core.Update
	}{
		{"no answer", hold, nil},
		{"unrelated dialog", hold, []core.Update{coretest.DialogUpdate(with(alerting, core.PartActive))}},
		{"same dialog, state not reached", hold, []core.Update{coretest.DialogUpdate(active)}},
		{"other request id", hold, []core.Update{func() core.Update {
			u := coretest.DialogUpdate(active)
			u.RequestID = "someone-else"
			return u
		}()}},
		{"not ready, old reason", core.Command{Kind: core.CmdNotReady, ReasonCodeID: "12"}, []core.Update{func() core.Update {
			a := coretest.Agent(agentID, ext, core.StateNotReady)
			a.ReasonCodeID = "11"
			return coretest.AgentUpdate(a)
		}()}},
		{"make call, incoming call rings", core.Command{Kind: core.CmdMakeCall, Number: "5002"},
			[]core.Update{coretest.DialogUpdate(coretest.Dialog("d8", ext, caller, core.PartAlerting, core.ActionAnswer))}},
		{"transfer, dialog unchanged", core.Command{Kind: core.CmdTransfer, DialogID: "d3"},
			[]core.Update{coretest.DialogUpdate(held)}},
		{"consult, unrelated call", core.Command{Kind: core.CmdConsult, DialogID: "d2", Number: "5002"},
			[]core.Update{coretest.DialogUpdate(coretest.Dialog("d8", ext, "5002", core.PartInitiating))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := callFixture(t, func(c *core.Config) { c.CommandTimeout = 10 * time.Second })
				f.reply(func(core.Command) []core.Update { return tt.answer })
				start := time.Now()
				err := f.s.Execute(t.Context(), tt.cmd)
				if !errors.Is(err, core.ErrCommandTimeout) {
					t.Fatalf("Execute(%s) = %v, want ErrCommandTimeout", tt.cmd.Kind, err)
				}
				if got := time.Since(start); got != 10*time.Second {
					t.Errorf("Execute(%s) returned after %v, want 10s", tt.cmd.Kind, got)
				}
				synctest.Wait()
			})
		})
	}
}

// TestErrorUpdateWithoutError checks that a malformed error update echoing
// the request id is not taken for success.
func TestErrorUpdateWithoutError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := callFixture(t, nil)
		f.reply(func(cmd core.Command) []core.Update {
			return coretest.Echo(cmd, core.Update{Kind: core.UpdateError})
		})
		if err := f.s.Hold(t.Context(), "d2"); !errors.Is(err, core.ErrCommandTimeout) {
			t.Errorf("Hold() = %v, want ErrCommandTimeout", err)
		}
		synctest.Wait()
	})
}

// TestExecuteDialogEnded checks that a command on a call that ends before
// it is confirmed fails at once instead of timing out.
func TestExecuteDialogEnded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cmd  core.Command
		want error // nil: the removal confirms the command
	}{
		{"answer", core.Command{Kind: core.CmdAnswer, DialogID: "d1"}, core.ErrNoSuchDialog},
		{"hold", core.Command{Kind: core.CmdHold, DialogID: "d1"}, core.ErrNoSuchDialog},
		{"dtmf", core.Command{Kind: core.CmdSendDTMF, DialogID: "d1", Digits: "1"}, core.ErrNoSuchDialog},
		{"release", core.Command{Kind: core.CmdRelease, DialogID: "d1"}, nil},
		{"transfer", core.Command{Kind: core.CmdTransfer, DialogID: "d1"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, nil)
			f.login()
			f.s.Apply(coretest.DialogUpdate(coretest.Dialog("d1", ext, caller, core.PartActive,
				core.ActionAnswer, core.ActionHold, core.ActionSendDTMF, core.ActionDrop, core.ActionTransfer)))
			f.reply(func(core.Command) []core.Update { return []core.Update{coretest.Removed("d1")} })
			err := f.s.Execute(t.Context(), tt.cmd)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Execute(%s) = %v, want %v", tt.cmd.Kind, err, tt.want)
			}
		})
	}
}

func TestExecuteContextCancel(t *testing.T) {
	t.Parallel()
	f := callFixture(t, nil)
	ctx, cancel := context.WithCancel(t.Context())
	f.port.SendFunc = func(context.Context, core.Command) error {
		cancel() // accepted, then the caller gives up
		return nil
	}
	if err := f.s.Hold(ctx, "d2"); !errors.Is(err, context.Canceled) {
		t.Errorf("Hold() = %v, want context.Canceled", err)
	}
}

// TestExecuteOutcomeBeforeSendReturns covers a notification that overtakes
// the HTTP response: the pending entry exists before Send, so it counts.
func TestExecuteOutcomeBeforeSendReturns(t *testing.T) {
	t.Parallel()
	f := callFixture(t, nil)
	f.port.SendFunc = func(_ context.Context, cmd core.Command) error {
		f.s.Apply(coretest.DialogUpdate(with(active, core.PartHeld, core.ActionRetrieve)))
		return nil
	}
	if err := f.s.Hold(t.Context(), "d2"); err != nil {
		t.Errorf("Hold() = %v, want nil", err)
	}
}

func TestSetState(t *testing.T) {
	t.Parallel()
	f := callFixture(t, nil)
	err := f.s.SetState(t.Context(), core.StateTalking, "")
	if !errors.Is(err, core.ErrInvalidCommand) || !strings.Contains(err.Error(), "TALKING") {
		t.Errorf("SetState(TALKING) = %v, want ErrInvalidCommand naming TALKING", err)
	}
	f.reply(func(core.Command) []core.Update { return []core.Update{agentIn(core.StateReady, "")} })
	if err := f.s.SetState(t.Context(), core.StateReady, ""); err != nil {
		t.Errorf("SetState(READY) = %v", err)
	}
	if got := f.port.Sent()[0].Kind; got != core.CmdReady {
		t.Errorf("sent %v, want Ready", got)
	}
}

// TestExecuteConcurrent runs many commands at once; each must get its own
// request id and outcome, and none may stay pending.
func TestExecuteConcurrent(t *testing.T) {
	t.Parallel()
	const n = 50
	f := callFixture(t, nil)
	f.reply(func(cmd core.Command) []core.Update {
		if cmd.Kind == core.CmdSendDTMF && cmd.Digits == "#" {
			return []core.Update{{Kind: core.UpdateError, RequestID: cmd.RequestID,
				Err: &core.FinesseError{Type: "Generic Error"}}}
		}
		return coretest.Echo(cmd, coretest.DialogUpdate(active))
	})
	errs := make(chan error, n)
	for i := range n {
		digits := "1"
		if i%2 == 1 {
			digits = "#"
		}
		go func() {
			errs <- f.s.Execute(t.Context(), core.Command{Kind: core.CmdSendDTMF, DialogID: "d2",
				Digits: digits, RequestID: "caller-set"})
		}()
	}
	failed := 0
	for range n {
		if err := <-errs; err != nil {
			var fe *core.FinesseError
			if !errors.As(err, &fe) {
				t.Errorf("Execute() = %v, want nil or a *FinesseError", err)
			}
			failed++
		}
	}
	if failed != n/2 {
		t.Errorf("%d commands failed, want %d", failed, n/2)
	}
	ids := make(map[string]bool)
	for _, cmd := range f.port.Sent() {
		ids[cmd.RequestID] = true
	}
	if len(ids) != n || ids["caller-set"] {
		t.Errorf("%d distinct request ids (caller's kept: %v), want %d fresh ones", len(ids), ids["caller-set"], n)
	}
}

func TestExecuteCancelledBeforeSend(t *testing.T) {
	t.Parallel()
	f := callFixture(t, nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := f.s.Hold(ctx, "d2"); !errors.Is(err, context.Canceled) {
		t.Errorf("Hold() = %v, want context.Canceled", err)
	}
	if n := f.port.Calls("Send"); n != 0 {
		t.Errorf("port.Send called %d times, want 0", n)
	}
}

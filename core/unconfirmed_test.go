package core_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// Issue 15, item 4: "not delivered" is told from "delivered, unconfirmed",
// and an unconfirmed command's real outcome is published once known.

// unconfirmed runs cmd on a port that sends nothing back (a 202 whose
// notification never comes) and returns its error and a watcher started
// before it.
func unconfirmed(t *testing.T, f *fixture, cmd core.Command) (*core.UnconfirmedError, *core.Watcher) {
	t.Helper()
	w := f.s.Watch(core.WatchOptions{})
	t.Cleanup(w.Close)
	f.port.SendFunc = func(context.Context, core.Command) error { return nil }
	err := f.s.Execute(t.Context(), cmd)
	var ue *core.UnconfirmedError
	if !errors.As(err, &ue) || !errors.Is(err, core.ErrCommandTimeout) || !errors.Is(err, core.ErrUnconfirmed) || ue.RequestID == "" {
		t.Fatalf("Execute(%s) = %v, want an UnconfirmedError wrapping ErrCommandTimeout", cmd.Kind, err)
	}
	drain(w)
	return ue, w
}

func outcomeOf(t *testing.T, w *core.Watcher) *core.CommandOutcome {
	t.Helper()
	for _, ev := range drain(w) {
		if ev.Kind == core.EventCommandOutcome {
			return ev.Outcome
		}
	}
	return nil
}

// TestUnconfirmedMakeCallTurnsOutApplied: a MakeCall whose confirmation
// came late is reported applied when the outbound call shows up, so the
// CRM knows not to dial again.
func TestUnconfirmedMakeCallTurnsOutApplied(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, func(c *core.Config) { c.CommandTimeout = 10 * time.Second })
		f.login()
		ue, w := unconfirmed(t, f, core.Command{Kind: core.CmdMakeCall, Number: "5002"})
		f.s.Apply(coretest.DialogUpdate(coretest.Dialog("d9", ext, "5002", core.PartInitiating)))
		o := outcomeOf(t, w)
		if o == nil || o.RequestID != ue.RequestID || o.Outcome != core.OutcomeApplied || o.Kind != core.CmdMakeCall {
			t.Fatalf("outcome = %+v, want MakeCall %s applied", o, ue.RequestID)
		}
		f.s.Apply(coretest.DialogUpdate(coretest.Dialog("d10", ext, "5003", core.PartInitiating)))
		if o := outcomeOf(t, w); o != nil {
			t.Errorf("a second outcome for one command: %+v", o)
		}
	})
}

// TestUnconfirmedRefusedByAsyncError: a late asynchronous error for the
// request settles it as not applied, with Finesse's error.
func TestUnconfirmedRefusedByAsyncError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := callFixture(t, func(c *core.Config) { c.CommandTimeout = 10 * time.Second })
		ue, w := unconfirmed(t, f, core.Command{Kind: core.CmdHold, DialogID: "d2"})
		fe := &core.FinesseError{Type: "Invalid State", Message: "CF_INVALID_OBJECT_STATE", RequestID: ue.RequestID}
		f.s.Apply(core.Update{Kind: core.UpdateError, Err: fe, RequestID: ue.RequestID})
		o := outcomeOf(t, w)
		if o == nil || o.Outcome != core.OutcomeNotApplied || o.Err == nil || o.Err.Message != "CF_INVALID_OBJECT_STATE" {
			t.Fatalf("outcome = %+v, want not applied with Finesse's error", o)
		}
	})
}

// TestUnconfirmedAbsentFromResync: a Ready lost with the connection
// (the request may have been written) is reported not applied when the
// state read after the reconnect, a command timeout later, still says Not
// Ready; and applied when it says Ready.
func TestUnconfirmedAbsentFromResync(t *testing.T) {
	for _, tt := range []struct {
		after core.AgentState
		want  core.Outcome
	}{{core.StateNotReady, core.OutcomeNotApplied}, {core.StateReady, core.OutcomeApplied}} {
		t.Run(tt.want.String(), func(t *testing.T) {
			f := newFixture(t, nil)
			f.login()
			w := f.s.Watch(core.WatchOptions{})
			defer w.Close()
			f.port.SendFunc = func(context.Context, core.Command) error {
				return fmt.Errorf("%w: PUT /finesse/api/User/1001: connection reset by peer", core.ErrUnreachable)
			}
			err := f.s.Execute(t.Context(), core.Command{Kind: core.CmdReady})
			var ue *core.UnconfirmedError
			if !errors.As(err, &ue) || !errors.Is(err, core.ErrUnreachable) {
				t.Fatalf("Ready over a connection lost after the request = %v, want unconfirmed and unreachable", err)
			}
			drain(w)
			f.clock.Advance(core.DefaultCommandTimeout)
			f.s.Apply(core.Update{Kind: core.UpdateResync, Agent: ptr(coretest.Agent(agentID, ext, tt.after))})
			if o := outcomeOf(t, w); o == nil || o.RequestID != ue.RequestID || o.Outcome != tt.want {
				t.Fatalf("outcome after a resync showing %s = %+v, want %s", tt.after, o, tt.want)
			}
		})
	}
}

// TestNotDeliveredIsPlain: a request that never reached Finesse fails
// with ErrNotDelivered, is not unconfirmed, and gets no outcome later.
func TestNotDeliveredIsPlain(t *testing.T) {
	f := newFixture(t, nil)
	f.login()
	w := f.s.Watch(core.WatchOptions{})
	defer w.Close()
	f.port.SendFunc = func(context.Context, core.Command) error {
		return fmt.Errorf("%w: %w: dial tcp 10.0.0.1:8445: connection refused", core.ErrNotDelivered, core.ErrUnreachable)
	}
	err := f.s.Execute(t.Context(), core.Command{Kind: core.CmdMakeCall, Number: "5002"})
	if !errors.Is(err, core.ErrNotDelivered) || errors.Is(err, core.ErrUnconfirmed) {
		t.Fatalf("MakeCall that never left = %v, want ErrNotDelivered only", err)
	}
	drain(w)
	f.clock.Advance(core.UnconfirmedWindow)
	f.s.Apply(core.Update{Kind: core.UpdateResync, Agent: ptr(coretest.Agent(agentID, ext, core.StateNotReady))})
	if o := outcomeOf(t, w); o != nil {
		t.Errorf("an undelivered command got an outcome: %+v", o)
	}
}

// TestUnconfirmedUnknownAfterWindow: nothing settles a Transfer; after
// UnconfirmedWindow it is reported unknown (once).
func TestUnconfirmedUnknownAfterWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := callFixture(t, func(c *core.Config) { c.CommandTimeout = 10 * time.Second })
		ue, w := unconfirmed(t, f, core.Command{Kind: core.CmdTransfer, DialogID: "d3"})
		f.clock.Advance(core.UnconfirmedWindow)
		f.s.Apply(coretest.AgentUpdate(coretest.Agent(agentID, ext, core.StateTalking)))
		if o := outcomeOf(t, w); o == nil || o.RequestID != ue.RequestID || o.Outcome != core.OutcomeUnknown {
			t.Fatalf("outcome after the window = %+v, want unknown", o)
		}
	})
}

func ptr[T any](v T) *T { return &v }

package finesse

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

const waitEvent = 5 * time.Second

func agentPart(d core.Dialog) core.Participant {
	p, _ := d.Participant("5001")
	return p
}

// dialogWhere waits until dialog id satisfies cond.
func (e *simEnv) dialogWhere(t *testing.T, what, id string, cond func(core.Dialog) bool) core.Dialog {
	t.Helper()
	v := e.sink.waitFor(t, what, waitEvent, func(v view) bool {
		d, ok := v.Dialogs[id]
		return ok && cond(d)
	})
	return v.Dialogs[id]
}

// sendAndSeeID sends cmd with a known request id and waits for an update
// carrying it (Finesse echoes requestId, reference §6.4).
func (e *simEnv) sendAndSeeID(t *testing.T, cmd core.Command) core.Update {
	t.Helper()
	cmd.RequestID = newRequestID()
	e.send(t, cmd)
	v := e.sink.waitFor(t, string(cmd.Kind)+" update with its request id", waitEvent, func(v view) bool {
		return findRID(v.Updates, cmd.RequestID) != nil
	})
	return *findRID(v.Updates, cmd.RequestID)
}

func findRID(ups []core.Update, rid string) *core.Update {
	for i := range ups {
		if ups[i].RequestID == rid {
			return &ups[i]
		}
	}
	return nil
}

func TestSimIncomingCallFlow(t *testing.T) {
	t.Parallel()
	e := startEnv(t, finessesim.Config{Seed: 2, EventOrder: finessesim.Random}, DirectTLS)
	e.login(t)
	if u := e.sendAndSeeID(t, core.Command{Kind: core.CmdReady}); u.Kind != core.UpdateAgent || u.Agent.State != core.StateReady {
		t.Fatalf("READY update = %+v", u)
	}
	id, err := e.sim.InjectCall(finessesim.CallSpec{AgentID: "1001", ANI: "4085550100", Variables: []finessesim.Var{{Name: "callVariable1", Value: "ACME-42"}}})
	if err != nil {
		t.Fatal(err)
	}
	d := e.dialogWhere(t, "alerting dialog", id, func(d core.Dialog) bool { return d.State == core.DialogAlerting })
	if v, _ := d.Variable("callVariable1"); v != "ACME-42" || d.From != "4085550100" {
		t.Errorf("dialog = %+v, want caller 4085550100 and callVariable1=ACME-42", d)
	}
	e.sink.waitFor(t, "agent RESERVED", waitEvent, agentIs(core.StateReserved))
	steps := []struct {
		cmd  core.Command
		want core.ParticipantState
	}{
		{core.Command{Kind: core.CmdAnswer, DialogID: id}, core.PartActive},
		{core.Command{Kind: core.CmdHold, DialogID: id}, core.PartHeld},
		{core.Command{Kind: core.CmdRetrieve, DialogID: id}, core.PartActive},
	}
	for _, s := range steps {
		s.cmd.RequestID = newRequestID()
		e.send(t, s.cmd)
		e.dialogWhere(t, string(s.cmd.Kind), id, func(d core.Dialog) bool { return agentPart(d).State == s.want })
	}
	e.sink.waitFor(t, "agent TALKING", waitEvent, agentIs(core.StateTalking))
	e.send(t, core.Command{Kind: core.CmdSendDTMF, DialogID: id, Digits: "12#"})
	e.send(t, core.Command{Kind: core.CmdUpdateCallData, DialogID: id, Variables: []core.CallVariable{{Name: "callVariable2", Value: "case-9"}}})
	e.dialogWhere(t, "call data updated", id, func(d core.Dialog) bool { v, _ := d.Variable("callVariable2"); return v == "case-9" })
	e.send(t, core.Command{Kind: core.CmdRelease, DialogID: id})
	e.sink.waitFor(t, "dialog removed and agent in wrap-up or ready", waitEvent, func(v view) bool {
		_, ok := v.Dialogs[id]
		return !ok && (v.Agent.State == core.StateWorkReady || v.Agent.State == core.StateReady)
	})
	if got := dtmfOf(e.sim, id); got != "" && got != "12#" {
		t.Errorf("sim saw DTMF %q, want 12#", got)
	}
}

func dtmfOf(sim *finessesim.Sim, id string) string {
	for _, d := range sim.Dialogs() {
		if d.ID == id {
			return d.DTMF
		}
	}
	return ""
}

func TestSimAsyncErrorCorrelated(t *testing.T) {
	t.Parallel()
	e := startEnv(t, finessesim.Config{Seed: 3}, DirectTLS)
	e.login(t)
	e.send(t, core.Command{Kind: core.CmdReady})
	e.sink.waitFor(t, "READY", waitEvent, agentIs(core.StateReady))
	id, err := e.sim.InjectCall(finessesim.CallSpec{AgentID: "1001"})
	if err != nil {
		t.Fatal(err)
	}
	e.dialogWhere(t, "alerting", id, func(d core.Dialog) bool { return d.State == core.DialogAlerting })
	// HOLD is not in an alerting participant's actions: Finesse accepts the
	// PUT (202) and reports the failure asynchronously with our requestId.
	u := e.sendAndSeeID(t, core.Command{Kind: core.CmdHold, DialogID: id})
	if u.Kind != core.UpdateError || u.Err == nil || u.DialogID != id || u.Err.RequestID != u.RequestID {
		t.Fatalf("update = %+v (err %+v), want an UpdateError for dialog %s with our request id", u, u.Err, id)
	}
}

func TestSimMakeCallConsultTransfer(t *testing.T) {
	t.Parallel()
	e := startEnv(t, finessesim.Config{Seed: 4, ExternalAnswerDelay: 20 * time.Millisecond}, StartTLS)
	e.login(t)
	e.send(t, core.Command{Kind: core.CmdMakeCall, Number: "4085550111"})
	v := e.sink.waitFor(t, "outbound call active", waitEvent, func(v view) bool {
		for _, d := range v.Dialogs {
			if d.State == core.DialogActive && d.To == "4085550111" {
				return true
			}
		}
		return false
	})
	var orig string
	for id := range v.Dialogs {
		orig = id
	}
	e.send(t, core.Command{Kind: core.CmdConsult, DialogID: orig, Number: "4085550222"})
	v = e.sink.waitFor(t, "consult active and original held", waitEvent, func(v view) bool {
		o, ok := v.Dialogs[orig]
		if !ok || agentPart(o).State != core.PartHeld || len(v.Dialogs) != 2 {
			return false
		}
		for id, d := range v.Dialogs {
			if id != orig && d.State == core.DialogActive {
				return true
			}
		}
		return false
	})
	e.send(t, core.Command{Kind: core.CmdTransfer, DialogID: orig})
	e.sink.waitFor(t, "both dialogs gone after transfer", waitEvent, func(v view) bool { return len(v.Dialogs) == 0 })
	if len(e.sim.Dialogs()) == 0 {
		t.Log("sim ended the transferred call (both parties external)")
	}
}

func TestSimRESTFault503(t *testing.T) {
	t.Parallel()
	e := startEnv(t, finessesim.Config{Seed: 5}, DirectTLS)
	e.login(t)
	if err := e.sim.SetRESTFault(finessesim.NodeA, finessesim.Fault{Status: 503}); err != nil {
		t.Fatal(err)
	}
	err := e.link.Send(context.Background(), core.Command{Kind: core.CmdReady})
	var fe *core.FinesseError
	if !errors.Is(err, core.ErrOutOfService) || !errors.As(err, &fe) || fe.Status != 503 {
		t.Fatalf("err = %v, want a 503 FinesseError matching ErrOutOfService", err)
	}
	if _, err := e.link.FetchAgent(context.Background()); !errors.Is(err, core.ErrOutOfService) {
		t.Fatalf("FetchAgent err = %v, want ErrOutOfService after retries", err)
	}
}

func TestSimLockout(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 6, LockoutAfter: 3, LockoutFor: time.Minute})
	e := runLink(t, sim, linkConfig(sim, DirectTLS, t))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	bad := core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "wrong", Extension: "5001"}
	for i := 0; i < 3; i++ {
		if err := e.link.Send(ctx, bad); !errors.Is(err, core.ErrWrongCredentials) {
			t.Fatalf("attempt %d: err = %v, want ErrWrongCredentials", i+1, err)
		}
	}
	good := core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "secret1", Extension: "5001"}
	if err := e.link.Send(ctx, good); !errors.Is(err, core.ErrAccountLocked) {
		t.Fatalf("after 3 wrong passwords: err = %v, want ErrAccountLocked", err)
	}
	if st := e.link.Status(); st.Status != core.OutOfService || st.Reason == "" {
		t.Errorf("Status = %+v, want OUT_OF_SERVICE with a reason", st)
	}
}

// TestSimForcedLogoutAvoided keeps the link idle for three times the
// simulator's forced-logout grace: presence must keep the agent signed in.
// This asserts an absence, so it waits on a deadline timer.
func TestSimForcedLogoutAvoided(t *testing.T) {
	t.Parallel()
	const grace = 2 * time.Second
	e := startEnv(t, finessesim.Config{Seed: 7, ForcedLogoutGrace: grace, PingInterval: 500 * time.Millisecond}, DirectTLS)
	e.login(t)
	<-time.After(3 * grace)
	info, _ := e.sim.Agent("1001")
	if info.State != "NOT_READY" || !info.Present {
		t.Fatalf("after %s idle: sim agent = %+v, want NOT_READY with presence", 3*grace, info)
	}
	v, _ := e.sink.snapshot()
	if v.Agent.State != core.StateNotReady {
		t.Errorf("link's view of the agent = %s, want NOT_READY", v.Agent.State)
	}
}

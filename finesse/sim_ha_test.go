package finesse

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// activeCall puts agent 1001 READY, routes a call to it and answers it.
func (e *simEnv) activeCall(t *testing.T) string {
	t.Helper()
	e.send(t, core.Command{Kind: core.CmdReady})
	e.sink.waitFor(t, "READY", waitEvent, agentIs(core.StateReady))
	id, err := e.sim.InjectCall(finessesim.CallSpec{AgentID: "1001"})
	if err != nil {
		t.Fatal(err)
	}
	e.dialogWhere(t, "alerting", id, func(d core.Dialog) bool { return d.State == core.DialogAlerting })
	e.send(t, core.Command{Kind: core.CmdAnswer, DialogID: id})
	e.dialogWhere(t, "answered", id, func(d core.Dialog) bool { return agentPart(d).State == core.PartActive })
	return id
}

// resyncsAfter counts UpdateResync among the updates after index from.
func resyncsAfter(ups []core.Update, from int) int {
	n := 0
	for _, u := range ups[from:] {
		if u.Kind == core.UpdateResync {
			n++
		}
	}
	return n
}

// simDialogIDs returns the ids of the sim dialogs agent 1001 takes part in.
func simDialogIDs(sim *finessesim.Sim) map[string]bool {
	info, _ := sim.Agent("1001")
	ids := map[string]bool{}
	for _, id := range info.Dialogs {
		ids[id] = true
	}
	return ids
}

// TestSimXMPPDropResync: a call ends while the notification connection is
// down, so its DELETE is lost; the resync after reconnecting must remove it
// (no phantom dialog) and must not duplicate anything.
func TestSimXMPPDropResync(t *testing.T) {
	t.Parallel()
	e := startEnv(t, finessesim.Config{Seed: 11}, DirectTLS)
	e.login(t)
	id := e.activeCall(t)
	before, _ := e.sink.snapshot()
	// Slow REST down (for the rest of the test) so the reconnect cannot beat
	// the hang-up below.
	if err := e.sim.SetRESTFault(finessesim.NodeA, finessesim.Fault{Latency: 300 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if err := e.sim.DropXMPP(finessesim.NodeA); err != nil {
		t.Fatal(err)
	}
	if err := e.sim.HangUp(id); err != nil {
		t.Fatal(err)
	}
	e.sink.waitFor(t, "link reported the drop", waitEvent, func(v view) bool { return v.System.Status == core.OutOfService })
	v := e.sink.waitFor(t, "back IN_SERVICE on A", waitEvent, func(v view) bool {
		return v.System.Status == core.InService && v.System.Node == core.NodeA
	})
	if n := resyncsAfter(v.Updates, len(before.Updates)); n == 0 {
		t.Fatal("no UpdateResync after the reconnect")
	}
	if _, ok := v.Dialogs[id]; ok {
		t.Errorf("dialog %s still in the model after resync: phantom", id)
	}
	for _, u := range v.Updates[len(before.Updates):] {
		if u.Kind == core.UpdateDialogRemoved && u.DialogID == id {
			t.Errorf("the DELETE of %s arrived as a notification; the test did not exercise the gap", id)
		}
	}
	if want := simDialogIDs(e.sim); len(want) != len(v.Dialogs) {
		t.Errorf("model has %d dialogs, simulator %d", len(v.Dialogs), len(want))
	}
	if v.Agent.State == core.StateTalking {
		t.Errorf("agent still TALKING after resync, want the post-call state")
	}
}

// TestSimFailoverToB kills side A during an active call: the link must be
// IN_SERVICE on B, with the call intact and the agent still signed in,
// well within 5 s. It uses the default ping interval and backoff.
func TestSimFailoverToB(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 12})
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.PingInterval, cfg.Backoff, cfg.OutOfServiceGrace = 0, BackoffConfig{}, 0
	e := runLink(t, sim, cfg)
	e.login(t)
	id := e.activeCall(t)
	start := time.Now()
	if err := sim.KillNode(finessesim.NodeA); err != nil {
		t.Fatal(err)
	}
	v := e.sink.waitFor(t, "IN_SERVICE on B", 5*time.Second, func(v view) bool {
		return v.System.Status == core.InService && v.System.Node == core.NodeB && v.System.XMPPConnected
	})
	elapsed := time.Since(start)
	t.Logf("failover A->B: node kill to IN_SERVICE on B with state restored in %v", elapsed)
	if d, ok := v.Dialogs[id]; !ok || agentPart(d).State != core.PartActive {
		t.Fatalf("dialog %s after failover = %+v (present %v), want the active call", id, d, ok)
	}
	waitSim(t, "agent TALKING with presence on B", simAgentIs(sim, "TALKING"))
	if v.Agent.State != core.StateTalking {
		t.Errorf("link's agent = %s, want TALKING", v.Agent.State)
	}
	// Commands now go to B.
	e.send(t, core.Command{Kind: core.CmdRelease, DialogID: id})
	e.sink.waitFor(t, "call released through B", waitEvent, func(v view) bool { _, ok := v.Dialogs[id]; return !ok })
}

// TestSimOutOfServiceLiveXMPP: OUT_OF_SERVICE over a live connection keeps
// the connection, waits, and resyncs on IN_SERVICE on the same side.
func TestSimOutOfServiceLiveXMPP(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 13})
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.OutOfServiceGrace = time.Minute // never move to B here
	e := runLink(t, sim, cfg)
	e.login(t)
	if err := sim.SetInService(finessesim.NodeA, false); err != nil {
		t.Fatal(err)
	}
	v := e.sink.waitFor(t, "OUT_OF_SERVICE with XMPP kept", waitEvent, func(v view) bool {
		return v.System.Status == core.OutOfService && v.System.XMPPConnected && v.System.Reason != ""
	})
	mark := len(v.Updates)
	if err := sim.SetInService(finessesim.NodeA, true); err != nil {
		t.Fatal(err)
	}
	v = e.sink.waitFor(t, "IN_SERVICE on A again", waitEvent, func(v view) bool {
		return v.System.Status == core.InService && v.System.Node == core.NodeA
	})
	if resyncsAfter(v.Updates, mark) == 0 {
		t.Error("no resync after IN_SERVICE")
	}
	if v.Agent.State != core.StateNotReady {
		t.Errorf("agent = %s, want NOT_READY kept", v.Agent.State)
	}
}

// TestSimOutOfServiceMovesToB: side A stays OUT_OF_SERVICE while B is in
// service; after the grace the link moves to B.
func TestSimOutOfServiceMovesToB(t *testing.T) {
	t.Parallel()
	e := startEnv(t, finessesim.Config{Seed: 14}, StartTLS)
	e.login(t)
	if err := e.sim.SetInService(finessesim.NodeA, false); err != nil {
		t.Fatal(err)
	}
	v := e.sink.waitFor(t, "IN_SERVICE on B", 3*waitEvent, func(v view) bool {
		return v.System.Status == core.InService && v.System.Node == core.NodeB
	})
	if v.Agent.State != core.StateNotReady {
		t.Errorf("agent = %s after the move, want NOT_READY", v.Agent.State)
	}
	waitSim(t, "agent NOT_READY with presence on B", simAgentIs(e.sim, "NOT_READY"))
}

// TestSimBothDownThenRestore: with both sides dead a Login fails fast with
// a clear error; the supervisor keeps retrying with backoff and comes up on
// its own once a side is back.
func TestSimBothDownThenRestore(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 15})
	e := runLink(t, sim, linkConfig(sim, DirectTLS, t))
	for _, n := range []finessesim.NodeID{finessesim.NodeA, finessesim.NodeB} {
		if err := sim.KillNode(n); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := e.link.Send(ctx, core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "secret1", Extension: "5001"})
	if !errors.Is(err, core.ErrUnreachable) {
		t.Fatalf("login with both sides dead: err = %v, want ErrUnreachable", err)
	}
	if st := e.link.Status(); st.Status != core.OutOfService || st.Reason == "" {
		t.Errorf("Status = %+v, want OUT_OF_SERVICE with a reason", st)
	}
	if err := sim.RestoreNode(finessesim.NodeB); err != nil {
		t.Fatal(err)
	}
	e.sink.waitFor(t, "IN_SERVICE on B after restore", waitEvent, func(v view) bool {
		return v.System.Status == core.InService && v.System.Node == core.NodeB
	})
	e.login(t)
}

// waitCallOnB waits until the link is IN_SERVICE on side B with XMPP up and
// checks that dialog id came along ACTIVE and the simulator still sees the
// agent TALKING and present. what names the cause in the log with the time
// taken since start.
func (e *simEnv) waitCallOnB(t *testing.T, what, id string, start time.Time) view {
	t.Helper()
	v := e.sink.waitFor(t, "IN_SERVICE on B", 2*waitEvent, func(v view) bool {
		return v.System.Status == core.InService && v.System.Node == core.NodeB && v.System.XMPPConnected
	})
	t.Logf("%s -> IN_SERVICE on B: %v", what, time.Since(start))
	if d, ok := v.Dialogs[id]; !ok || agentPart(d).State != core.PartActive {
		t.Fatalf("dialog %s after the move = %+v (present %v), want the active call", id, d, ok)
	}
	waitSim(t, "agent TALKING with presence on B", simAgentIs(e.sim, "TALKING"))
	return v
}

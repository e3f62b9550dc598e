package finesse

import (
	"context"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestSimConsultTransferToAgent: agent 1001 consults agent 1002 (each with
// its own link), 1002 answers, 1001 transfers. 1001 ends with no dialogs;
// 1002 holds the surviving original call with secondaryId set.
func TestSimConsultTransferToAgent(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 31})
	a := runLink(t, sim, linkConfig(sim, DirectTLS, t))
	b := runLink(t, sim, linkConfig(sim, StartTLS, t))
	a.login(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.link.Send(ctx, core.Command{Kind: core.CmdLogin, AgentID: "1002", Password: "secret2", Extension: "5002"}); err != nil {
		t.Fatalf("login 1002: %v", err)
	}
	b.sink.waitFor(t, "1002 NOT_READY", waitEvent, agentIs(core.StateNotReady))
	orig := a.activeCall(t)
	a.send(t, core.Command{Kind: core.CmdConsult, DialogID: orig, Number: "5002"})
	v := b.sink.waitFor(t, "consult alerting at 1002", waitEvent, func(v view) bool { return len(v.Dialogs) == 1 })
	var consult string
	for id := range v.Dialogs {
		consult = id
	}
	b.send(t, core.Command{Kind: core.CmdAnswer, DialogID: consult})
	a.dialogWhere(t, "consult active at 1001", consult, func(d core.Dialog) bool { return d.State == core.DialogActive })
	a.send(t, core.Command{Kind: core.CmdTransfer, DialogID: orig})
	a.sink.waitFor(t, "1001 left with no dialogs", waitEvent, func(v view) bool { return len(v.Dialogs) == 0 })
	v = b.sink.waitFor(t, "1002 holds the original", waitEvent, func(v view) bool {
		d, ok := v.Dialogs[orig]
		return ok && len(v.Dialogs) == 1 && d.SecondaryID == consult
	})
	if p, _ := v.Dialogs[orig].Participant("5002"); p.State != core.PartActive {
		t.Errorf("1002's participant = %+v, want ACTIVE", p)
	}
}

func TestSimPlainHTTP(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 32, PlainHTTP: true})
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.PlainHTTP = true
	e := runLink(t, sim, cfg)
	e.login(t)
	e.send(t, core.Command{Kind: core.CmdReady})
	e.sink.waitFor(t, "READY over plain HTTP", waitEvent, agentIs(core.StateReady))
}

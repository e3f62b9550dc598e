package finesse

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestSimREST503MovesToOtherSide: side A's REST answers 503 to everything
// while its XMPP stays up, so every command fails although nothing else
// says A is down. After a streak of 503s the side counts as unusable: the
// agent is told why, and the link moves to B with the call intact.
func TestSimREST503MovesToOtherSide(t *testing.T) {
	t.Parallel()
	e := startEnv(t, finessesim.Config{Seed: 73}, DirectTLS)
	e.login(t)
	id := e.activeCall(t)
	before, _ := e.sink.snapshot()
	if err := e.sim.SetRESTFault(finessesim.NodeA, finessesim.Fault{Status: 503}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for range unavailableStreak {
		err := e.link.Send(context.Background(), core.Command{Kind: core.CmdHold, DialogID: id})
		if !errors.Is(err, core.ErrOutOfService) {
			t.Fatalf("Hold on a 503 side: err = %v, want ErrOutOfService", err)
		}
	}
	v := e.waitCallOnB(t, "REST 503 on A", id, start)
	said := false
	for _, u := range v.Updates[len(before.Updates):] {
		if u.Kind == core.UpdateSystem && u.System.Status == core.OutOfService && strings.Contains(u.System.Reason, "503") {
			said = true
		}
	}
	if !said {
		t.Error("no OUT_OF_SERVICE naming the 503s was published before the move")
	}
	e.send(t, core.Command{Kind: core.CmdHold, DialogID: id})
}

// TestSimREST503OneSideRecoversInPlace: with B down too, the link stays on A,
// says A refuses requests, and comes back IN_SERVICE on A when the 503s end.
func TestSimREST503OneSideRecoversInPlace(t *testing.T) {
	t.Parallel()
	e := startEnv(t, finessesim.Config{Seed: 74}, DirectTLS)
	e.login(t)
	if err := e.sim.KillNode(finessesim.NodeB); err != nil {
		t.Fatal(err)
	}
	if err := e.sim.SetRESTFault(finessesim.NodeA, finessesim.Fault{Status: 503}); err != nil {
		t.Fatal(err)
	}
	for range unavailableStreak {
		_ = e.link.Send(context.Background(), core.Command{Kind: core.CmdReady})
	}
	e.sink.waitFor(t, "OUT_OF_SERVICE on A naming the 503s", waitEvent, func(v view) bool {
		return v.System.Status == core.OutOfService && v.System.Node == core.NodeA && strings.Contains(v.System.Reason, "503")
	})
	if err := e.sim.SetRESTFault(finessesim.NodeA, finessesim.Fault{}); err != nil {
		t.Fatal(err)
	}
	e.sink.waitFor(t, "IN_SERVICE on A again", 2*waitEvent, func(v view) bool {
		return v.System.Status == core.InService && v.System.Node == core.NodeA
	})
	e.send(t, core.Command{Kind: core.CmdReady})
}

package finesse

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// Issue 15, item 4, against the simulator: a command Finesse never
// received is "not delivered"; one it received but did not answer in time
// is not, so core treats it as unconfirmed.

func TestSimSlowAnswerMayHaveArrived(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 81})
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.RESTTimeout = 300 * time.Millisecond
	e := runLink(t, sim, cfg)
	e.login(t)
	if err := sim.SetRESTFault(finessesim.NodeA, finessesim.Fault{Latency: 2 * time.Second}); err != nil {
		t.Fatal(err)
	}
	err := e.link.Send(context.Background(), core.Command{Kind: core.CmdReady})
	if !errors.Is(err, core.ErrUnreachable) || errors.Is(err, core.ErrNotDelivered) {
		t.Fatalf("Ready on a side that answers too late: %v, want unreachable and possibly delivered", err)
	}
}

func TestSimNoListenerNotDelivered(t *testing.T) {
	t.Parallel()
	e := startEnv(t, finessesim.Config{Seed: 82}, DirectTLS)
	e.login(t)
	for _, n := range []finessesim.NodeID{finessesim.NodeA, finessesim.NodeB} {
		if err := e.sim.KillNode(n); err != nil {
			t.Fatal(err)
		}
	}
	// Once the link saw the sides go, its kept-alive connections are gone
	// too; before that a request may be written into a socket the node
	// already closed, which is rightly "may have arrived".
	e.sink.waitFor(t, "OUT_OF_SERVICE after both sides died", 2*waitEvent, func(v view) bool {
		return v.System.Status == core.OutOfService
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := e.link.Send(ctx, core.Command{Kind: core.CmdMakeCall, Number: "5002"})
	if err == nil || errors.Is(err, core.ErrUnreachable) && !errors.Is(err, core.ErrNotDelivered) {
		t.Fatalf("MakeCall with both sides down: %v, want an error that is not 'may have arrived'", err)
	}
	t.Logf("MakeCall with both sides down: %v", err)
}

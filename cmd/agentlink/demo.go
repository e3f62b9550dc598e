package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"time"

	"github.com/agentlink/agentlink/finesse"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// demoCallEvery is how often the demo offers a call to a READY agent. The
// environment variable AGENTLINK_DEMO_CALL_INTERVAL (a Go duration) changes
// it, for tests and screen recordings.
const demoCallEvery = 20 * time.Second

// demoEnv is the in-process two-node Finesse simulator of --demo and the
// demo agent signed in on it.
type demoEnv struct {
	sim   *finessesim.Sim
	agent finessesim.AgentConfig
	every time.Duration
	rng   *rand.Rand // owned by generateCalls
}

// startDemo starts both simulator nodes on loopback with random ports.
func startDemo(ctx context.Context, log *slog.Logger) (*demoEnv, error) {
	sim, err := finessesim.Start(ctx, finessesim.Config{
		Seed:   time.Now().UnixNano(),
		Logger: log.With("component", "simulator"),
		// A team book large enough that the directory reads it in Range pages.
		PhoneBooks: finessesim.PhoneBookConfig{LargeTeamBook: 2500},
	})
	if err != nil {
		return nil, err
	}
	every := demoCallEvery
	if v := os.Getenv("AGENTLINK_DEMO_CALL_INTERVAL"); v != "" {
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			every = d
		}
	}
	return &demoEnv{
		sim:   sim,
		agent: finessesim.DefaultAgents()[0],
		every: every,
		rng:   rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7)),
	}, nil
}

// Close stops the simulator.
func (d *demoEnv) Close() error { return d.sim.Close() }

// finesseConfig points the link at both simulator nodes over TLS, trusting
// the simulator's CA.
func (d *demoEnv) finesseConfig(log *slog.Logger) finesse.Config {
	node := func(id finessesim.NodeID) finesse.Endpoint {
		n := d.sim.Node(id)
		return finesse.Endpoint{Host: n.Host(), RESTPort: n.RESTPort(), XMPPPort: n.XMPPTLSPort()}
	}
	return finesse.Config{
		SideA:   node("A"),
		SideB:   node("B"),
		CAFile:  d.sim.CAFile(),
		AgentID: d.agent.ID,
		Logger:  log.With("component", "finesse"),
	}
}

// passwordLookup answers Login requests without a password for the demo
// agent, and asks the keychain for anyone else.
func (d *demoEnv) passwordLookup(next func(string) (string, error)) func(string) (string, error) {
	return func(agentID string) (string, error) {
		if agentID == d.agent.ID {
			return d.agent.Password, nil
		}
		return next(agentID)
	}
}

// announce tells the user what the demo is doing and how to drive it.
func (d *demoEnv) announce(w io.Writer) {
	fmt.Fprintf(w, "Demo: Finesse simulator side A %s, side B %s, control API %s\n",
		d.sim.Node("A").RESTURL(), d.sim.Node("B").RESTURL(), d.sim.ControlURL())
	fmt.Fprintf(w, "Demo: agent %s (%s %s), extension %s, password %q; a call arrives every ~%s while the agent is READY\n",
		d.agent.ID, d.agent.FirstName, d.agent.LastName, d.agent.Extension, d.agent.Password, d.every)
}

// demoCallers are the callers the demo invents.
var demoCallers = []struct{ ani, name, account string }{
	{"+14155550123", "Dana Whitfield", "ACME-1042"},
	{"+442079460958", "Oliver Grant", "ACME-2210"},
	{"+4930901820", "Lena Vogt", "ACME-3307"},
	{"+33142685300", "Camille Laurent", "ACME-4471"},
}

// generateCalls offers a call to the demo agent every d.every (with some
// jitter) while the agent is READY, and has the caller hang up after a
// while if the agent has not ended the call.
func (d *demoEnv) generateCalls(ctx context.Context) error {
	for {
		jitter := time.Duration(d.rng.Int64N(int64(d.every/4) + 1))
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(d.every - d.every/8 + jitter):
		}
		if a, ok := d.sim.Agent(d.agent.ID); !ok || a.State != "READY" {
			continue
		}
		c := demoCallers[d.rng.IntN(len(demoCallers))]
		id, err := d.sim.InjectCall(finessesim.CallSpec{
			AgentID: d.agent.ID, ANI: c.ani, DNIS: "8005550100",
			Variables: []finessesim.Var{
				{Name: "callVariable1", Value: c.account},
				{Name: "callVariable2", Value: "Billing"},
				{Name: "user.customer.name", Value: c.name},
			},
		})
		if err != nil {
			continue // the agent changed state meanwhile
		}
		talk := 45*time.Second + time.Duration(d.rng.Int64N(int64(45*time.Second)))
		time.AfterFunc(talk, func() {
			if ctx.Err() == nil {
				_ = d.sim.HangUp(id) // the agent may have ended it already
			}
		})
	}
}

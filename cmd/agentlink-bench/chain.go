package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse"
	"github.com/agentlink/agentlink/finesse/finessesim"
	"github.com/agentlink/agentlink/localbridge"
)

// The chain's agent: the simulator's 1002 has wrap-up NOT_ALLOWED, so a call
// that ends puts it straight back to READY (the soak needs that). 1003 is
// the agent of the direct baseline in figure 2.
var (
	chainAgent  = finessesim.AgentConfig{ID: "1002", Password: "secret2", Extension: "5002"}
	directAgent = finessesim.AgentConfig{ID: "1003", Password: "secret3", Extension: "5003"}
)

// startTimeout bounds bringing a chain up and signing the agent in.
const startTimeout = 20 * time.Second

// chain is the app's stack wired like cmd/agentlink does it, in this
// process: simulator -> finesse.Link -> core.Session -> localbridge.Server.
type chain struct {
	sim   *finessesim.Sim
	link  *finesse.Link
	sess  *core.Session
	srv   *localbridge.Server
	token string

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// startChain starts the simulator, the link, the session and the bridge,
// and waits until the bridge listens. The agent is not signed in yet.
func startChain(ctx context.Context) (*chain, error) {
	sim, err := finessesim.Start(ctx, finessesim.Config{Seed: 6, Logger: discardLogger()})
	if err != nil {
		return nil, fmt.Errorf("start simulator: %w", err)
	}
	ep := func(id finessesim.NodeID) finesse.Endpoint {
		n := sim.Node(id)
		return finesse.Endpoint{Host: n.Host(), RESTPort: n.RESTPort(), XMPPPort: n.XMPPTLSPort()}
	}
	// Link and session use their defaults, as the app does.
	link, err := finesse.NewLink(finesse.Config{SideA: ep(finessesim.NodeA), SideB: ep(finessesim.NodeB),
		CAFile: sim.CAFile(), AgentID: chainAgent.ID, Logger: discardLogger()})
	if err != nil {
		_ = sim.Close()
		return nil, fmt.Errorf("new link: %w", err)
	}
	c := &chain{sim: sim, link: link, sess: core.NewSession(core.Config{Port: link, Logger: discardLogger()})}
	if c.token, err = localbridge.GenerateToken(); err != nil {
		_ = sim.Close()
		return nil, fmt.Errorf("bridge token: %w", err)
	}
	c.srv, err = localbridge.New(localbridge.Config{Addr: "127.0.0.1:0", Session: c.sess, Token: c.token,
		Version: "bench", Logger: discardLogger(),
		// Fan-out measures many toolbars of this one process: above the caps.
		MaxConns: 4096, MaxConnsPerProcess: 4096})
	if err != nil {
		_ = sim.Close()
		return nil, fmt.Errorf("new bridge: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c.cancel = cancel
	c.wg.Go(func() { _ = link.Run(runCtx, c.sess) })
	c.wg.Go(func() { _ = c.srv.Run(runCtx) })
	select {
	case <-c.srv.Ready():
		return c, nil
	case <-time.After(startTimeout):
		c.Close()
		return nil, errors.New("bridge did not start listening within 20s")
	}
}

// Close stops everything the chain started and waits for it.
func (c *chain) Close() {
	c.cancel()
	c.wg.Wait()
	_ = c.sim.Close()
}

// login signs the chain's agent in and makes it READY, through the session
// (the bridge is not what any figure measures here).
func (c *chain) login(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	err := c.sess.Login(ctx, core.LoginRequest{AgentID: chainAgent.ID, Password: chainAgent.Password, Extension: chainAgent.Extension})
	if err != nil {
		return fmt.Errorf("login %s: %w", chainAgent.ID, err)
	}
	if err := c.sess.SetState(ctx, core.StateReady, ""); err != nil {
		return fmt.Errorf("set READY: %w", err)
	}
	return nil
}

// dial connects n toolbar clients (Hello + Connect each).
func (c *chain) dial(ctx context.Context, n int) ([]*toolbar, error) {
	out := make([]*toolbar, 0, n)
	for range n {
		tb, err := dialToolbar(ctx, c.srv.Addr(), c.token)
		if err != nil {
			closeAll(out)
			return nil, err
		}
		out = append(out, tb)
	}
	return out, nil
}

// userNode is the pub-sub node of an agent's User notifications.
func userNode(agentID string) string { return "/finesse/api/User/" + agentID }

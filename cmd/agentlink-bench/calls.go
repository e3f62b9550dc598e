package main

import (
	"context"
	"fmt"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// pollEvery is how often setup steps (never a measured figure) re-check the
// session's state.
const pollEvery = time.Millisecond

// waitSession polls the session until ok holds, for at most timeout.
func (c *chain) waitSession(ctx context.Context, timeout time.Duration, what string, ok func(core.Snapshot) bool) error {
	deadline := time.Now().Add(timeout)
	for {
		if ok(c.sess.Snapshot()) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: not reached within %v", what, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollEvery):
		}
	}
}

// dialogIn returns the dialog with id from s.
func dialogIn(s core.Snapshot, id string) (core.Dialog, bool) {
	for _, d := range s.Dialogs {
		if d.ID == id {
			return d, true
		}
	}
	return core.Dialog{}, false
}

// answeredCall injects a call to the chain's agent and answers it through
// the session: the agent is TALKING on the returned dialog.
func (c *chain) answeredCall(ctx context.Context) (string, error) {
	id, err := c.sim.InjectCall(finessesim.CallSpec{AgentID: chainAgent.ID, ANI: "5550100", DNIS: "8000"})
	if err != nil {
		return "", fmt.Errorf("inject call: %w", err)
	}
	err = c.waitSession(ctx, requestTimeout, "call "+id+" ringing", func(s core.Snapshot) bool {
		d, ok := dialogIn(s, id)
		return ok && d.Allows(core.ActionAnswer)
	})
	if err != nil {
		return "", err
	}
	actx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	if err := c.sess.Answer(actx, id); err != nil {
		return "", fmt.Errorf("answer %s: %w", id, err)
	}
	return id, nil
}

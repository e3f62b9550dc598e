package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// Figure 4 settings.
const (
	failoverRuns    = 5
	failoverClients = 10
	failoverTarget  = 5 * time.Second
	failoverTimeout = 30 * time.Second
)

// runFailover is figure 4: with the agent on a call and toolbars
// connected, side A is killed; the time is until every toolbar has a
// System IN_SERVICE event for side B, after which each checks with GetState
// that the agent is still TALKING on the same dialog. Each run uses a
// fresh chain; the figure is the median of failoverRuns.
func runFailover(ctx context.Context) []Row {
	const name = "failover A -> B, every toolbar IN_SERVICE on B with agent and dialog restored (median of 5)"
	var times []time.Duration
	for i := range failoverRuns {
		d, err := failoverOnce(ctx)
		if err != nil {
			return []Row{failRow(4, name, fmt.Errorf("run %d: %w", i+1, err))}
		}
		times = append(times, d)
	}
	row := durRow(4, name, Median(times), failoverTarget)
	row.Note = fmt.Sprintf("runs: %v", roundAll(times))
	return []Row{row}
}

func roundAll(ds []time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = d.Round(time.Millisecond)
	}
	return out
}

func failoverOnce(ctx context.Context) (time.Duration, error) {
	c, err := startChain(ctx)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	if err := c.login(ctx); err != nil {
		return 0, err
	}
	id, err := c.answeredCall(ctx)
	if err != nil {
		return 0, err
	}
	tbs, err := c.dial(ctx, failoverClients)
	if err != nil {
		return 0, err
	}
	defer closeAll(tbs)
	onB := make(chan time.Time, failoverClients)
	for _, tb := range tbs {
		tb.SetOnEvent(func(ev Event) {
			if ev.Name == "System" && ev.Data.Status == "IN_SERVICE" && ev.Data.Node == "B" {
				onB <- ev.At
			}
		})
	}
	start := time.Now()
	if err := c.sim.KillNode(finessesim.NodeA); err != nil {
		return 0, fmt.Errorf("kill side A: %w", err)
	}
	var last time.Time
	deadline := time.After(failoverTimeout)
	for got := range failoverClients {
		select {
		case at := <-onB:
			if at.After(last) {
				last = at
			}
		case <-deadline:
			return 0, fmt.Errorf("%d of %d toolbars saw IN_SERVICE on side B within %v", got, failoverClients, failoverTimeout)
		}
	}
	for i, tb := range tbs {
		if err := checkRestored(ctx, tb, id); err != nil {
			return 0, fmt.Errorf("toolbar %d after failover: %w", i, err)
		}
	}
	return last.Sub(start), nil
}

// checkRestored asks the bridge for the state and checks the agent is
// TALKING on dialog id with its participant ACTIVE.
func checkRestored(ctx context.Context, tb *toolbar, id string) error {
	res, err := tb.request(ctx, "GetState", nil)
	if err != nil {
		return err
	}
	var snap struct {
		System  eventData   `json:"system"`
		Agent   eventData   `json:"agent"`
		Dialogs []eventData `json:"dialogs"`
	}
	if err := json.Unmarshal(res, &snap); err != nil {
		return fmt.Errorf("GetState result: %w", err)
	}
	if snap.System.Status != "IN_SERVICE" || snap.System.Node != "B" {
		return fmt.Errorf("system %s on side %q, want IN_SERVICE on B", snap.System.Status, snap.System.Node)
	}
	if snap.Agent.State != "TALKING" {
		return fmt.Errorf("agent %s, want TALKING", snap.Agent.State)
	}
	if len(snap.Dialogs) != 1 || snap.Dialogs[0].ID != id || snap.Dialogs[0].AgentState != "ACTIVE" {
		return fmt.Errorf("dialogs %+v, want only %s with the agent ACTIVE", snap.Dialogs, id)
	}
	return nil
}

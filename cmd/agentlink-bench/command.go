package main

import (
	"context"
	"fmt"
	"time"
)

// Figure 2 settings. Commands are paced below the bridge's per-connection
// rate limit (50/s): a rate_limited answer is not what is measured here.
const (
	commandRounds  = 200
	commandPace    = 25 * time.Millisecond
	overheadTarget = 500 * time.Microsecond
)

// runCommand is figure 2: SetState through the bridge (toolbar -> app ->
// Finesse REST -> notification -> toolbar) against the same PUT done
// straight against the simulator with a bare XMPP session waiting for the
// notification. The two alternate so that load on the machine hits both
// alike; they use two agents so neither sees the other's events.
func runCommand(ctx context.Context, c *chain) []Row {
	direct, tb, err := commandSetup(ctx, c)
	if err != nil {
		return []Row{failRow(2, "command overhead", err)}
	}
	defer tb.Close()
	states := [2]string{"NOT_READY", "READY"}
	var viaBridge, straight []time.Duration
	tick := time.NewTicker(commandPace)
	defer tick.Stop()
	for i := range commandRounds {
		st := states[i%2]
		d, err := direct.stateRoundTrip(ctx, st)
		if err != nil {
			return []Row{failRow(2, "command overhead (direct)", err)}
		}
		straight = append(straight, d)
		b, err := bridgeRoundTrip(ctx, tb, st)
		if err != nil {
			return []Row{failRow(2, "command overhead (bridge)", err)}
		}
		viaBridge = append(viaBridge, b)
		<-tick.C
	}
	sb, sd := Summarize(viaBridge), Summarize(straight)
	over := durRow(2, "command overhead at the median (bridge p50 - direct p50)", sb.P50-sd.P50, overheadTarget)
	over.Note = fmt.Sprintf("%d SetState round trips each way", commandRounds)
	return []Row{
		durRow(2, "SetState straight to the simulator (REST + XMPP), p50", sd.P50, 0),
		durRow(2, "SetState straight to the simulator (REST + XMPP), p99", sd.P99, 0),
		durRow(2, "SetState through the bridge, p50", sb.P50, 0),
		durRow(2, "SetState through the bridge, p99", sb.P99, 0),
		over,
	}
}

// commandSetup signs the direct agent in over its own REST+XMPP client and
// connects one toolbar to the chain.
func commandSetup(ctx context.Context, c *chain) (*directClient, *toolbar, error) {
	direct := newDirectClient(c.sim, directAgent, 1)
	if err := direct.connectXMPP(c.sim); err != nil {
		return nil, nil, err
	}
	if _, err := direct.stateRoundTrip(ctx, "LOGIN"); err != nil {
		return nil, nil, fmt.Errorf("direct login: %w", err)
	}
	tbs, err := c.dial(ctx, 1)
	if err != nil {
		return nil, nil, err
	}
	return direct, tbs[0], nil
}

// bridgeRoundTrip sends SetState and waits for both its response and the
// AgentState event with the new state.
func bridgeRoundTrip(ctx context.Context, tb *toolbar, state string) (time.Duration, error) {
	seen := make(chan time.Time, 4)
	tb.SetOnEvent(func(ev Event) {
		if ev.Name == "AgentState" && ev.Data.State == state {
			select {
			case seen <- ev.At:
			default:
			}
		}
	})
	defer tb.SetOnEvent(nil)
	start := time.Now()
	if _, err := tb.request(ctx, "SetState", map[string]string{"state": state}); err != nil {
		return 0, err
	}
	answered := time.Now()
	select {
	case at := <-seen:
		if answered.After(at) {
			at = answered
		}
		return at.Sub(start), nil
	case <-time.After(requestTimeout):
		return 0, fmt.Errorf("no AgentState %s event within %v", state, requestTimeout)
	}
}

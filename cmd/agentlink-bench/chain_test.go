package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
)

// TestChainFigures runs the chain figures briefly against the real
// simulator, link, session and bridge: every row must be measured (none
// FAILED), and the correctness checks of the soak must hold. Speed targets
// are not asserted: they depend on the machine.
func TestChainFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole chain several times")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	tests := []struct {
		name string
		run  func(c *chain) []Row
	}{
		{"fan-out", func(c *chain) []Row { return runFanout(ctx, c, 10) }},
		{"soak", func(c *chain) []Row { return runSoak(ctx, c, 100) }},
		{"command round trips", func(c *chain) []Row { return commandRows(t, ctx, c) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := startChain(ctx)
			if err != nil {
				t.Fatalf("startChain() = %v", err)
			}
			defer c.Close()
			if err := c.login(ctx); err != nil {
				t.Fatalf("login() = %v", err)
			}
			checkRows(t, tt.run(c))
		})
	}
	t.Run("failover", func(t *testing.T) { checkRows(t, runFailover(ctx)) })
	t.Run("app fan-out stage", func(t *testing.T) {
		agent := core.Agent{ID: chainAgent.ID, State: core.StateTalking, Extension: chainAgent.Extension}
		d := core.Dialog{ID: "1", State: core.DialogActive, From: "5550100", To: chainAgent.Extension}
		if got, err := appRateStep1(ctx, agent, d, 200); err != nil || got < 150 {
			t.Errorf("appRateStep1(200/s) = %.0f/s, %v; want about 200/s, nil", got, err)
		}
	})
}

// commandRows times a few round trips each way (figure 2 runs 200).
func commandRows(t *testing.T, ctx context.Context, c *chain) []Row {
	t.Helper()
	direct, tb, err := commandSetup(ctx, c)
	if err != nil {
		t.Fatalf("commandSetup() = %v", err)
	}
	defer tb.Close()
	for i, st := range []string{"NOT_READY", "READY", "NOT_READY"} {
		d, err := direct.stateRoundTrip(ctx, st)
		if err != nil || d <= 0 {
			t.Fatalf("direct round trip %d = %v, %v", i, d, err)
		}
		b, err := bridgeRoundTrip(ctx, tb, st)
		if err != nil || b <= 0 {
			t.Fatalf("bridge round trip %d = %v, %v", i, b, err)
		}
	}
	return []Row{durRow(2, "command", time.Millisecond, 0)}
}

func checkRows(t *testing.T, rows []Row) {
	t.Helper()
	if len(rows) == 0 {
		t.Fatal("no rows")
	}
	for _, r := range rows {
		if r.Status == StatusFailed {
			t.Errorf("row %q failed: %s", r.Metric, r.Note)
		}
		if r.Unit == "check" && r.Status != StatusMet {
			t.Errorf("check %q not met: %s", r.Metric, r.Note)
		}
		if strings.HasPrefix(r.Metric, "soak") && r.Unit == "" {
			t.Errorf("row %q has no unit", r.Metric)
		}
	}
}

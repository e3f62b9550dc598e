package main

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestBadLoginKeepsSession runs the real binary headless against the
// simulator: a toolbar's Login with a wrong password, and a Login as another
// agent, leave the signed-in session exactly as it was (issue 10: "Sessions
// are not broken by a bad request"; issue 9 defect 5): no OUT_OF_SERVICE for
// the toolbars, presence kept (so no forced logout), commands still work.
func TestBadLoginKeepsSession(t *testing.T) {
	requireKeyring(t)
	bin := testBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	password := "pw-" + rand.Text()
	agents := finessesim.DefaultAgents()
	agents[0].Password = password
	// A short forced-logout grace: a session whose presence the bad Login
	// broke would be signed out by Finesse within the test.
	const grace = 2 * time.Second
	sim, err := finessesim.Start(ctx, finessesim.Config{Agents: agents, Seed: 5, ForcedLogoutGrace: grace})
	if err != nil {
		t.Fatalf("finessesim.Start: %v", err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	cfgPath, xdg := writeHeadlessConfig(t, sim)
	storePassword(ctx, t, bin, cfgPath, xdg, password)
	app := startApp(ctx, t, bin, xdg, "badlogin", nil, "--headless", "--config", cfgPath)
	hb := &headlessBridge{b: dialBridge(ctx, t, app)}
	hb.waitFor(ctx, t, "agent 1001 signed in (NOT_READY)", isAgentState("NOT_READY"))

	outage := isSystem("OUT_OF_SERVICE", "")
	refused := func(id, code string) func(smokeFrame) bool {
		return func(f smokeFrame) bool {
			if outage(f) {
				t.Fatalf("System OUT_OF_SERVICE after a bad Login; frames: %s", hb.recent())
			}
			if f.ID != id {
				return false
			}
			if f.OK || f.Error == nil || f.Error.Code != code {
				t.Fatalf("%s answered ok=%v error=%+v, want %s", id, f.OK, f.Error, code)
			}
			return true
		}
	}
	badAt := time.Now()
	hb.send(ctx, t, "typo", "Login", map[string]string{"agentId": "1001", "extension": "5001", "password": "typo"})
	hb.waitFor(ctx, t, "wrong password refused", refused("typo", "wrong_credentials"))
	hb.send(ctx, t, "other", "Login", map[string]string{"agentId": "1002", "extension": "5002", "password": "secret2"})
	hb.waitFor(ctx, t, "other agent refused", refused("other", "agent_mismatch"))

	hb.command(ctx, t, "ready", "SetState", map[string]string{"state": "READY"}, func(f smokeFrame) bool {
		if outage(f) {
			t.Fatalf("System OUT_OF_SERVICE after a bad Login; frames: %s", hb.recent())
		}
		return isAgentState("READY")(f)
	})
	// Absence of a forced logout can only be observed over a window: the
	// simulator's grace, twice over, from the bad Login.
	time.Sleep(time.Until(badAt.Add(2 * grace)))
	if a, ok := sim.Agent("1001"); !ok || !a.Present || a.State != "READY" {
		t.Errorf("agent 1001 at Finesse after the bad Logins = %+v; want READY with presence", a)
	}
	snap := hb.getState(ctx, t)
	if snap.System.Status != "IN_SERVICE" || snap.Agent.State != "READY" {
		t.Errorf("GetState = system %s agent %s, want IN_SERVICE and READY", snap.System.Status, snap.Agent.State)
	}
	app.stop(t)
}

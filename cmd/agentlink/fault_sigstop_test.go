package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"syscall"
	"testing"
	"time"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// Fault suite (issue 15): the real binary frozen with SIGSTOP while a call
// ends at the far end. The simulator pings every second and drops a client
// silent for three pings, then signs an agent without presence out after
// faultGrace (Finesse: 10 s pings, 60 s grace; scaled down so the test is
// fast). After SIGCONT the app must tell the truth within faultDeadline:
// DialogEnded for the call, and the agent signed out if Finesse signed it
// out.
const (
	faultPing     = time.Second
	faultGrace    = 3 * time.Second
	faultDeadline = 20 * time.Second
)

// TestFaultSIGSTOPShort freezes the app for less than the simulator's
// patience: its XMPP session survives, the hang-up arrives when it wakes.
//
//	CI=true scripts/test-env.sh go test -race -run FaultSIGSTOP -v ./cmd/agentlink/
func TestFaultSIGSTOPShort(t *testing.T) {
	ctx, sim, app, hb := startFaultApp(t, "sigstop-short")
	id := injectAnswer(ctx, t, sim, hb)
	stop(t, app)
	if err := sim.HangUp(id); err != nil {
		t.Fatal(err)
	}
	time.Sleep(faultPing) // the fault itself: a one-second freeze, shorter than three missed pings
	if a, _ := sim.Agent("1001"); !a.Present {
		t.Fatalf("the simulator dropped the session during a short stop (%+v): the test no longer tests a short stop", a)
	}
	resume(t, app)
	waitEnded(ctx, t, hb, id)
	waitAgentMatchesSim(ctx, t, hb, sim)
	app.stop(t)
}

// TestFaultSIGSTOPLong freezes the app until Finesse has dropped its XMPP
// session and signed the agent out at the end of the call.
func TestFaultSIGSTOPLong(t *testing.T) {
	ctx, sim, app, hb := startFaultApp(t, "sigstop-long")
	id := injectAnswer(ctx, t, sim, hb)
	stop(t, app)
	// Wait, in the simulator's terms, for the forced logout to be pending
	// (the call is still up), then end the call at the far end.
	waitSim(ctx, t, sim, "forced logout pending", func(a finessesim.AgentInfo) bool {
		return !a.Present && a.PendingState == "LOGOUT"
	})
	if err := sim.HangUp(id); err != nil {
		t.Fatal(err)
	}
	waitSim(ctx, t, sim, "agent signed out by Finesse", func(a finessesim.AgentInfo) bool { return a.State == "LOGOUT" })
	resumed := time.Now()
	resume(t, app)
	sawEnd, sawLogout := false, false
	hb.waitFor(ctx, t, "DialogEnded and the agent LOGOUT after SIGCONT", func(f smokeFrame) bool {
		sawEnd = sawEnd || isEnded(id)(f)
		sawLogout = sawLogout || isAgentState("LOGOUT")(f)
		return sawEnd && sawLogout
	})
	t.Logf("after a %v-grace forced logout: the truth reached the client %v after SIGCONT", faultGrace, time.Since(resumed))
	waitAgentMatchesSim(ctx, t, hb, sim)
	app.stop(t)
}

// startFaultApp starts the simulator with the short ping and grace, the
// app headless against it, and a bridge client on agent 1001 in READY.
func startFaultApp(t *testing.T, name string) (context.Context, *finessesim.Sim, *demoApp, *headlessBridge) {
	t.Helper()
	requireKeyring(t)
	bin := testBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	password := "pw-" + rand.Text()
	agents := finessesim.DefaultAgents()
	agents[0].Password = password
	sim, err := finessesim.Start(ctx, finessesim.Config{Agents: agents, Seed: 11,
		ForcedLogoutGrace: faultGrace, PingInterval: faultPing})
	if err != nil {
		t.Fatalf("finessesim.Start: %v", err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	cfgPath, xdg := writeHeadlessConfig(t, sim)
	storePassword(ctx, t, bin, cfgPath, xdg, password)
	app := startApp(ctx, t, bin, xdg, name, nil, "--headless", "--config", cfgPath)
	hb := &headlessBridge{b: dialBridge(ctx, t, app)}
	hb.waitFor(ctx, t, "agent 1001 signed in", isAgentState("NOT_READY"))
	hb.command(ctx, t, "ready", "SetState", map[string]string{"state": "READY"}, isAgentState("READY"))
	return ctx, sim, app, hb
}

func stop(t *testing.T, a *demoApp) {
	t.Helper()
	if err := a.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	// A stopped process must never outlive the test: SIGKILL works on it,
	// but a SIGTERM from a later cleanup would wait for a SIGCONT.
	t.Cleanup(func() { _ = a.cmd.Process.Signal(syscall.SIGCONT) })
}

func resume(t *testing.T, a *demoApp) {
	t.Helper()
	if err := a.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
}

func isEnded(id string) func(smokeFrame) bool {
	return func(f smokeFrame) bool {
		var s struct{ ID string }
		return f.Event == "DialogEnded" && json.Unmarshal(f.Data, &s) == nil && s.ID == id
	}
}

func waitEnded(ctx context.Context, t *testing.T, hb *headlessBridge, id string) {
	t.Helper()
	start := time.Now()
	hb.waitFor(ctx, t, "DialogEnded "+id+" after SIGCONT", isEnded(id))
	t.Logf("DialogEnded %v after SIGCONT", time.Since(start))
}

// waitSim polls the simulator's view of agent 1001 until ok.
func waitSim(ctx context.Context, t *testing.T, sim *finessesim.Sim, what string, ok func(finessesim.AgentInfo) bool) {
	t.Helper()
	deadline := time.Now().Add(faultDeadline)
	for {
		a, _ := sim.Agent("1001")
		if ok(a) {
			return
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			t.Fatalf("simulator: %s not reached; agent %+v", what, a)
		}
		time.Sleep(50 * time.Millisecond) // polling the simulator's state, which has no event for tests
	}
}

// waitAgentMatchesSim waits until the app's GetState agrees with Finesse
// (the simulator) about the agent's state.
func waitAgentMatchesSim(ctx context.Context, t *testing.T, hb *headlessBridge, sim *finessesim.Sim) {
	t.Helper()
	deadline := time.Now().Add(faultDeadline)
	for {
		a, _ := sim.Agent("1001")
		got := hb.getState(ctx, t)
		if got.Agent.State == a.State && len(got.Dialogs) == len(a.Dialogs) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the app says agent %s with %d calls, Finesse says %s with %d", got.Agent.State, len(got.Dialogs), a.State, len(a.Dialogs))
		}
		time.Sleep(200 * time.Millisecond) // re-asking GetState; the state may have settled before this client looked
	}
}

package finesse

import (
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// Issue 15's fault suite, at the link: a half-open side (its connections
// stay up but nothing answers on them, as behind a dead firewall or a
// frozen VM) and a slow REST side.

// TestSimHalfOpenSideFailsOver: side A stops answering on XMPP and REST
// alike without closing anything; the link notices (missed pings, REST
// timeouts bounded by RESTTimeout) and moves to B with the call intact.
func TestSimHalfOpenSideFailsOver(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 91})
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.HandshakeTimeout, cfg.RESTTimeout = time.Second, time.Second
	e := runLink(t, sim, cfg)
	e.login(t)
	id := e.activeCall(t)
	start := time.Now()
	if err := sim.SetRESTFault(finessesim.NodeA, finessesim.Fault{Latency: time.Hour}); err != nil {
		t.Fatal(err)
	}
	if err := sim.SetXMPPBlackhole(finessesim.NodeA, true); err != nil {
		t.Fatal(err)
	}
	e.waitCallOnB(t, "side A half-open", id, start)
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("moved to B after %v, want < 15s", d)
	}
	e.send(t, core.Command{Kind: core.CmdHold, DialogID: id}) // B serves commands
}

// TestSimSlowRESTStillWorks: a REST side that answers slowly, within
// RESTTimeout, is slow, not down: commands succeed, the link stays on A.
func TestSimSlowRESTStillWorks(t *testing.T) {
	t.Parallel()
	e := startEnv(t, finessesim.Config{Seed: 92}, DirectTLS)
	e.login(t)
	if err := e.sim.SetRESTFault(finessesim.NodeA, finessesim.Fault{Latency: 800 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	e.send(t, core.Command{Kind: core.CmdReady})
	e.sink.waitFor(t, "READY through a slow side", waitEvent, agentIs(core.StateReady))
	if d := time.Since(start); d < 800*time.Millisecond {
		t.Errorf("Ready took %v: the fault did not slow it", d)
	}
	if v, _ := e.sink.snapshot(); v.System.Node != core.NodeA || v.System.Status != core.InService {
		t.Errorf("after slow answers: %+v, want IN_SERVICE on A", v.System)
	}
}

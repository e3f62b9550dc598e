package finesse

import (
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestSimWebappDownRecoversOnSameSide: the "finesse" user's presence goes
// unavailable (Tomcat down, XMPP up). The agent is told the side is out of
// service and why; the link keeps its XMPP session (so Finesse does not
// start the 60 s forced-logout clock) and, when the presence returns,
// comes back IN_SERVICE on the same side with the call intact.
func TestSimWebappDownRecoversOnSameSide(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 60})
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.OutOfServiceGrace = time.Minute // stay on A: this test is about recovery in place
	e := runLink(t, sim, cfg)
	e.login(t)
	id := e.activeCall(t)
	before, _ := e.sink.snapshot()

	if err := sim.SetFinessePresence(finessesim.NodeA, false); err != nil {
		t.Fatal(err)
	}
	v := e.sink.waitFor(t, "OUT_OF_SERVICE on A naming the web application", waitEvent, func(v view) bool {
		return v.System.Status == core.OutOfService && v.System.Node == core.NodeA
	})
	if !strings.Contains(v.System.Reason, "web application") || !v.System.XMPPConnected {
		t.Errorf("System = %+v, want the web application named as the cause, XMPP still connected", v.System)
	}
	if err := sim.SetFinessePresence(finessesim.NodeA, true); err != nil {
		t.Fatal(err)
	}
	v = e.sink.waitFor(t, "IN_SERVICE on A again", waitEvent, func(v view) bool {
		return v.System.Status == core.InService && v.System.Node == core.NodeA
	})
	if d, ok := v.Dialogs[id]; !ok || agentPart(d).State != core.PartActive {
		t.Errorf("dialog %s = %+v (present %v), want the active call kept", id, d, ok)
	}
	for _, u := range v.Updates[len(before.Updates):] {
		if u.Kind == core.UpdateSystem && !u.System.XMPPConnected {
			t.Errorf("XMPP went down during a web app outage (%+v): presence must stay up", *u.System)
		}
	}
	if !simAgentIs(sim, "TALKING")() {
		info, _ := sim.Agent("1001")
		t.Errorf("sim agent = %+v, want present and TALKING", info)
	}
}

// TestSimWebappDownMovesToOtherSide: the web app on A stays down past the
// grace period while B is IN_SERVICE, so the link moves to B (SystemInfo on
// A still says IN_SERVICE: only the presence tells) and restores the call.
func TestSimWebappDownMovesToOtherSide(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 61})
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.OutOfServiceGrace = 100 * time.Millisecond
	e := runLink(t, sim, cfg)
	e.login(t)
	id := e.activeCall(t)
	start := time.Now()
	if err := sim.SetFinessePresence(finessesim.NodeA, false); err != nil {
		t.Fatal(err)
	}
	e.waitCallOnB(t, "web app down on A", id, start)
}

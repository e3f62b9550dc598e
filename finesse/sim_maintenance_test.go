package finesse

import (
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestSimMaintenanceMovesToOtherSide: side A goes into maintenance
// (finesseMMode IN_PROGRESS, still IN_SERVICE). The link tells the agent,
// moves to B with the call intact, and sends Finesse the NOT_READY 50045
// notice, which leaves the agent TALKING.
func TestSimMaintenanceMovesToOtherSide(t *testing.T) {
	t.Parallel()
	e := startEnv(t, finessesim.Config{Seed: 70}, DirectTLS)
	e.login(t)
	id := e.activeCall(t)
	start := time.Now()
	if err := e.sim.SetMaintenance(finessesim.NodeA, "IN_PROGRESS"); err != nil {
		t.Fatal(err)
	}
	v := e.waitCallOnB(t, "maintenance on A", id, start)
	if !anySystemReason(v.Updates, "maintenance") {
		t.Error("no System update told the agent about the maintenance")
	}
	waitSim(t, "the move notice, agent still TALKING on B", func() bool {
		info, _ := e.sim.Agent("1001")
		return info.MaintenanceNotices == 1 && info.State == "TALKING" && info.Present
	})
}

// TestSimMaintenanceWaitsForAPlaceToGo: with B down, a link on A in
// maintenance stays on A (still usable) and moves once B is back.
func TestSimMaintenanceWaitsForAPlaceToGo(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 71})
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.OutOfServiceGrace = 200 * time.Millisecond
	e := runLink(t, sim, cfg)
	e.login(t)
	if err := sim.KillNode(finessesim.NodeB); err != nil {
		t.Fatal(err)
	}
	if err := sim.SetMaintenance(finessesim.NodeA, "IN_PROGRESS"); err != nil {
		t.Fatal(err)
	}
	e.send(t, core.Command{Kind: core.CmdReady}) // A still takes commands
	e.sink.waitFor(t, "READY on A", waitEvent, func(v view) bool {
		return v.Agent.State == core.StateReady && v.System.Node == core.NodeA && v.System.Status == core.InService
	})
	if err := sim.RestoreNode(finessesim.NodeB); err != nil {
		t.Fatal(err)
	}
	e.sink.waitFor(t, "IN_SERVICE on B once B is back", 2*waitEvent, func(v view) bool {
		return v.System.Status == core.InService && v.System.Node == core.NodeB && v.Agent.State == core.StateReady
	})
}

// TestSimStartAvoidsSideInMaintenance: a link that starts while A is in
// maintenance goes straight to B.
func TestSimStartAvoidsSideInMaintenance(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 72})
	if err := sim.SetMaintenance(finessesim.NodeA, "IN_PROGRESS"); err != nil {
		t.Fatal(err)
	}
	e := runLink(t, sim, linkConfig(sim, DirectTLS, t))
	e.login(t)
	if st := e.link.Status(); st.Node != core.NodeB {
		t.Errorf("signed in on side %s, want B (A is in maintenance)", st.Node)
	}
}

func anySystemReason(ups []core.Update, word string) bool {
	for _, u := range ups {
		if u.Kind == core.UpdateSystem && strings.Contains(u.System.Reason, word) {
			return true
		}
	}
	return false
}

func TestDraining(t *testing.T) {
	for mode, want := range map[string]bool{
		"": false, "IN_PROGRESS": true, "in_progress ": true, "INITIATING": true,
		"COMPLETED": true, "FAILED": false, "NONE": false, "SOMETHING_NEW": false,
	} {
		if got := draining(mode); got != want {
			t.Errorf("draining(%q) = %v, want %v", mode, got, want)
		}
	}
}

package finesse

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestSimXMPPDeadMovesToOtherSide: side A's notification service hangs (its
// XMPP port accepts and never answers) while A's REST and SystemInfo keep
// answering IN_SERVICE and side B is healthy. A usable side needs XMPP too,
// so the link moves to B with the call intact, well within Finesse's 60 s
// presence rule (issue: it used to retry A for ever).
func TestSimXMPPDeadMovesToOtherSide(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 71})
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.HandshakeTimeout = time.Second
	e := runLink(t, sim, cfg)
	e.login(t)
	id := e.activeCall(t)
	start := time.Now()
	if err := sim.SetXMPPBlackhole(finessesim.NodeA, true); err != nil {
		t.Fatal(err)
	}
	e.waitCallOnB(t, "XMPP black-holed on A", id, start)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("moved to B after %v, want < 10s", d)
	}
}

// TestSimXMPPDeadBothSidesKeepsTrying: with both sides' XMPP dead, the link
// keeps trying (a side whose XMPP failed is a last resort, not excluded) and
// comes up as soon as one side answers again.
func TestSimXMPPDeadBothSidesKeepsTrying(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 72})
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.HandshakeTimeout = 300 * time.Millisecond
	e := runLink(t, sim, cfg)
	e.login(t)
	for _, n := range []finessesim.NodeID{finessesim.NodeA, finessesim.NodeB} {
		if err := sim.SetXMPPBlackhole(n, true); err != nil {
			t.Fatal(err)
		}
	}
	e.sink.waitFor(t, "OUT_OF_SERVICE", waitEvent, func(v view) bool { return v.System.Status == core.OutOfService })
	if err := sim.SetXMPPBlackhole(finessesim.NodeA, false); err != nil {
		t.Fatal(err)
	}
	e.sink.waitFor(t, "IN_SERVICE on A again", 2*waitEvent, func(v view) bool {
		return v.System.Status == core.InService && v.System.Node == core.NodeA && v.System.XMPPConnected
	})
}

// TestHumanReasonNamesTheSideOnce: reasons built from errors that already
// name a side must not read "side A: side A: …".
func TestHumanReasonNamesTheSideOnce(t *testing.T) {
	err := fmt.Errorf("side A: %w", errors.New("xmpp connect 127.0.0.1:5223: connection refused"))
	got := humanReason(core.NodeA, err)
	if strings.Count(got, "side A") != 1 {
		t.Errorf("humanReason = %q, want side A named once", got)
	}
	got = humanReason(core.NodeB, errors.New("connection refused"))
	if !strings.HasPrefix(got, "side B: connection refused") {
		t.Errorf("humanReason = %q, want it to name side B", got)
	}
}

package finesse

import (
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

func TestSimLoginBothTLSModes(t *testing.T) {
	t.Parallel()
	for _, mode := range []XMPPTLSMode{DirectTLS, StartTLS} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, finessesim.Config{Seed: 1}, mode)
			e.login(t)
			v := e.sink.waitFor(t, "IN_SERVICE on A", 5*time.Second, func(v view) bool {
				return v.System.Status == core.InService && v.System.Node == core.NodeA && v.System.XMPPConnected
			})
			if st := e.link.Status(); st != v.System {
				t.Errorf("Status() = %+v, want %+v", st, v.System)
			}
			waitSim(t, "agent NOT_READY with presence", simAgentIs(e.sim, "NOT_READY"))
		})
	}
}

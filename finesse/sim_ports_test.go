package finesse

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestSimFailoverPortsFromSystemInfo: side B's configured ports are wrong
// (A's XMPP port, as an app with one xmpp_port for both sides has) or
// missing; failover to B still works because SystemInfo advertises B's
// real ports (the simulator's nodes listen on different ports of one host).
func TestSimFailoverPortsFromSystemInfo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		sideB func(a, b *finessesim.Node) Endpoint
	}{
		{"B given A's XMPP port", func(a, b *finessesim.Node) Endpoint {
			return Endpoint{Host: b.Host(), RESTPort: b.RESTPort(), XMPPPort: a.XMPPTLSPort()}
		}},
		{"B given no ports", func(_, b *finessesim.Node) Endpoint {
			return Endpoint{Host: b.Host()}
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim := startSim(t, finessesim.Config{Seed: int64(40 + i)})
			var logs syncBuffer
			cfg := linkConfig(sim, DirectTLS, t)
			a, b := sim.Node(finessesim.NodeA), sim.Node(finessesim.NodeB)
			cfg.SideB = tt.sideB(a, b)
			cfg.Logger = newTextLogger(&logs)
			e := runLink(t, sim, cfg)
			e.login(t)
			id := e.activeCall(t)
			start := time.Now()
			if err := sim.KillNode(finessesim.NodeA); err != nil {
				t.Fatal(err)
			}
			e.waitCallOnB(t, "side A killed, B's ports from SystemInfo", id, start)
			want := fmt.Sprintf("side=B host=%s restPort=%d", b.Host(), b.RESTPort())
			wantX := fmt.Sprintf("xmppPort=%d xmppFrom=systeminfo", b.XMPPTLSPort())
			if !hasLogLine(logs.String(), "finesse ports chosen", want, wantX) {
				t.Errorf("no debug line %q with %q and %q in the log:\n%s", "finesse ports chosen", want, wantX, logs.String())
			}
		})
	}
}

// hasLogLine reports whether one line of log contains every part.
func hasLogLine(log string, parts ...string) bool {
	for _, line := range strings.Split(log, "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(line, p)
		}
		if ok {
			return true
		}
	}
	return false
}

package finesse

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestSimSetEndpoints: a link started without servers (first run) signs in
// once SetEndpoints names a simulator, then moves, still signed in, to a
// second simulator whose XMPP port it must learn again from SystemInfo.
func TestSimSetEndpoints(t *testing.T) {
	t.Parallel()
	sim1 := startSim(t, finessesim.Config{Seed: 61})
	sim2 := startSim(t, finessesim.Config{Seed: 62})
	cfg := linkConfig(sim1, DirectTLS, t)
	cfg.SideA, cfg.SideB = Endpoint{}, Endpoint{}
	cfg.CAFile = bothCAs(t, sim1, sim2)
	l, err := NewLink(cfg)
	if err != nil {
		t.Fatalf("NewLink without servers: %v", err)
	}
	e := runLinkWith(t, sim1, l)

	a1, b1 := sim1.Node(finessesim.NodeA), sim1.Node(finessesim.NodeB)
	if err := l.SetEndpoints(Endpoint{Host: a1.Host(), RESTPort: a1.RESTPort(), XMPPPort: a1.XMPPTLSPort()},
		Endpoint{Host: b1.Host(), RESTPort: b1.RESTPort(), XMPPPort: b1.XMPPTLSPort()}); err != nil {
		t.Fatalf("SetEndpoints(sim1): %v", err)
	}
	e.login(t)
	waitSim(t, "agent NOT_READY with presence on sim1", simAgentIs(sim1, "NOT_READY"))

	// No XMPP port: the default (5223) is wrong, sim2's SystemInfo has it,
	// and nothing learned from sim1 may be reused.
	a2 := sim2.Node(finessesim.NodeA)
	if err := l.SetEndpoints(Endpoint{Host: a2.Host(), RESTPort: a2.RESTPort()}, Endpoint{}); err != nil {
		t.Fatalf("SetEndpoints(sim2): %v", err)
	}
	e.sink.waitFor(t, "the move announced", waitEvent, func(v view) bool {
		return v.System.Status == core.OutOfService && v.System.Reason == "connecting to the new Finesse servers"
	})
	e.sink.waitFor(t, "IN_SERVICE on sim2", 2*waitEvent, func(v view) bool {
		return v.System.Status == core.InService && v.System.XMPPConnected
	})
	waitSim(t, "agent re-signed in with presence on sim2", simAgentIs(sim2, "NOT_READY"))
	waitSim(t, "presence gone from sim1", func() bool {
		info, _ := sim1.Agent("1001")
		return !info.Present
	})
	if got, want := l.endpoint(0).XMPPPort, a2.XMPPTLSPort(); got != want {
		t.Errorf("XMPP port on sim2 = %d, want %d (from its SystemInfo)", got, want)
	}
	e.send(t, core.Command{Kind: core.CmdReady})
	waitSim(t, "READY on sim2", simAgentIs(sim2, "READY"))
}

// bothCAs writes one PEM file trusting both simulators' CAs.
func bothCAs(t *testing.T, sims ...*finessesim.Sim) string {
	t.Helper()
	var pem []byte
	for _, s := range sims {
		b, err := os.ReadFile(s.CAFile())
		if err != nil {
			t.Fatal(err)
		}
		pem = append(pem, b...)
	}
	path := filepath.Join(t.TempDir(), "cas.pem")
	if err := os.WriteFile(path, pem, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSimSetEndpointsInterruptsProbe: a Login waiting on a server that
// never answers completes on the new servers as soon as SetEndpoints names
// them, not after the stuck probe's timeout.
func TestSimSetEndpointsInterruptsProbe(t *testing.T) {
	t.Parallel()
	stuck, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stuck.Close() })
	probing := make(chan struct{}, 1)
	go func() {
		var held []net.Conn // accepted and never answered
		defer func() {
			for _, c := range held {
				_ = c.Close()
			}
		}()
		for {
			c, err := stuck.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
			select {
			case probing <- struct{}{}:
			default:
			}
		}
	}()
	sim := startSim(t, finessesim.Config{Seed: 63})
	cfg := linkConfig(sim, DirectTLS, t)
	a := cfg.SideA
	cfg.SideA, cfg.SideB = Endpoint{Host: "127.0.0.1", RESTPort: stuck.Addr().(*net.TCPAddr).Port}, Endpoint{}
	cfg.RESTTimeout = time.Minute
	e := runLink(t, sim, cfg)
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		done <- l2login(ctx, e.link)
	}()
	select {
	case <-probing: // the supervisor is now stuck in its SystemInfo probe
	case <-time.After(waitEvent):
		t.Fatal("the link never probed the stuck server")
	}
	start := time.Now()
	if err := e.link.SetEndpoints(a, Endpoint{}); err != nil {
		t.Fatal(err)
	}
	// Waiting out the stuck probe would take probeTimeout.
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Login after SetEndpoints: %v", err)
		}
	case <-time.After(probeTimeout - 500*time.Millisecond):
		t.Fatal("Login still waiting on the stuck server after SetEndpoints")
	}
	t.Logf("signed in %v after SetEndpoints", time.Since(start))
	waitSim(t, "agent NOT_READY on the simulator", simAgentIs(sim, "NOT_READY"))
}

func l2login(ctx context.Context, l *Link) error {
	return l.Send(ctx, core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "secret1", Extension: "5001"})
}

package finesse

import (
	"context"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// recSink is a recording core.Sink that also keeps a tiny model (agent,
// dialogs, system) the way a session would, so tests can wait for states
// and check there are no phantom or duplicate dialogs.
type recSink struct {
	mu      sync.Mutex
	ups     []core.Update
	agent   core.Agent
	dialogs map[string]core.Dialog
	system  core.System
	changed chan struct{} // closed and replaced on every Apply
}

func newRecSink() *recSink {
	return &recSink{dialogs: map[string]core.Dialog{}, changed: make(chan struct{})}
}

func (r *recSink) Apply(u core.Update) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ups = append(r.ups, u)
	switch u.Kind {
	case core.UpdateAgent:
		r.agent = *u.Agent
	case core.UpdateDialog:
		r.dialogs[u.Dialog.ID] = *u.Dialog
	case core.UpdateDialogRemoved:
		delete(r.dialogs, u.DialogID)
	case core.UpdateSystem:
		r.system = *u.System
	case core.UpdateResync:
		r.agent = *u.Agent
		r.dialogs = map[string]core.Dialog{}
		for _, d := range u.Dialogs {
			r.dialogs[d.ID] = d
		}
	}
	close(r.changed)
	r.changed = make(chan struct{})
}

// view is what a wait condition sees.
type view struct {
	Agent   core.Agent
	Dialogs map[string]core.Dialog
	System  core.System
	Updates []core.Update
}

func (r *recSink) snapshot() (view, chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ds := make(map[string]core.Dialog, len(r.dialogs))
	for k, v := range r.dialogs {
		ds[k] = v
	}
	return view{r.agent, ds, r.system, append([]core.Update(nil), r.ups...)}, r.changed
}

// waitFor waits until cond holds, failing the test after timeout.
func (r *recSink) waitFor(t *testing.T, what string, timeout time.Duration, cond func(v view) bool) view {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		v, ch := r.snapshot()
		if cond(v) {
			return v
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("timed out after %s waiting for %s; agent=%+v system=%+v dialogs=%d updates=%d",
				timeout, what, v.Agent, v.System, len(v.Dialogs), len(v.Updates))
		}
	}
}

// simEnv is a running simulator, a Link on it and its Run goroutine.
type simEnv struct {
	sim    *finessesim.Sim
	link   *Link
	sink   *recSink
	cancel context.CancelFunc
	done   chan struct{}
}

func newTextLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func testLogger(t *testing.T) *slog.Logger {
	if os.Getenv("FINESSE_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func startSim(t *testing.T, cfg finessesim.Config) *finessesim.Sim {
	t.Helper()
	sim, err := finessesim.Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("finessesim.Start: %v", err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	return sim
}

func linkConfig(sim *finessesim.Sim, mode XMPPTLSMode, t *testing.T) Config {
	ep := func(id finessesim.NodeID) Endpoint {
		n := sim.Node(id)
		port := n.XMPPTLSPort()
		if mode == StartTLS {
			port = n.XMPPStartTLSPort()
		}
		return Endpoint{Host: n.Host(), RESTPort: n.RESTPort(), XMPPPort: port}
	}
	return Config{
		SideA: ep(finessesim.NodeA), SideB: ep(finessesim.NodeB), XMPPTLS: mode, CAFile: sim.CAFile(),
		PingInterval: 500 * time.Millisecond, HandshakeTimeout: 5 * time.Second, RESTTimeout: 5 * time.Second,
		OutOfServiceGrace: time.Second, Backoff: BackoffConfig{Min: 50 * time.Millisecond, Max: 500 * time.Millisecond},
		Logger: testLogger(t),
	}
}

// startEnv starts a simulator and a running link on it.
func startEnv(t *testing.T, simCfg finessesim.Config, mode XMPPTLSMode) *simEnv {
	t.Helper()
	sim := startSim(t, simCfg)
	return runLink(t, sim, linkConfig(sim, mode, t))
}

func runLink(t *testing.T, sim *finessesim.Sim, cfg Config) *simEnv {
	t.Helper()
	l, err := NewLink(cfg)
	if err != nil {
		t.Fatalf("NewLink: %v", err)
	}
	return runLinkWith(t, sim, l)
}

func runLinkWith(t *testing.T, sim *finessesim.Sim, l *Link) *simEnv {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	e := &simEnv{sim: sim, link: l, sink: newRecSink(), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(e.done)
		_ = l.Run(ctx, e.sink)
	}()
	t.Cleanup(e.stop)
	return e
}

func (e *simEnv) stop() {
	e.cancel()
	<-e.done
}

// login signs agent 1001 in on extension 5001 and waits for NOT_READY.
func (e *simEnv) login(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.link.Send(ctx, core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "secret1", Extension: "5001"}); err != nil {
		t.Fatalf("login: %v", err)
	}
	e.sink.waitFor(t, "agent NOT_READY after login", 5*time.Second, func(v view) bool {
		return v.Agent.State == core.StateNotReady && v.Agent.Extension == "5001"
	})
}

func (e *simEnv) send(t *testing.T, cmd core.Command) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.link.Send(ctx, cmd); err != nil {
		t.Fatalf("Send(%s): %v", cmd.Kind, err)
	}
}

func agentIs(st core.AgentState) func(v view) bool {
	return func(v view) bool { return v.Agent.State == st }
}

// waitSim polls the simulator (it has no change feed) until cond holds.
func waitSim(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(waitEvent)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("timed out waiting for the simulator: %s", what)
		}
	}
}

// simAgentIs reports whether the simulator has agent 1001 in state st with
// an available presence.
func simAgentIs(sim *finessesim.Sim, st string) func() bool {
	return func() bool {
		info, _ := sim.Agent("1001")
		return info.State == st && info.Present
	}
}

package finesse

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// sessEnv is a simulator, a Link on it and a real core.Session fed by it:
// the whole client path the softphone and the bridge use.
type sessEnv struct {
	sim  *finessesim.Sim
	link *Link
	s    *core.Session
}

func startSession(t *testing.T, simCfg finessesim.Config) *sessEnv {
	t.Helper()
	sim := startSim(t, simCfg)
	l, err := NewLink(linkConfig(sim, DirectTLS, t))
	if err != nil {
		t.Fatalf("NewLink: %v", err)
	}
	s := core.NewSession(core.Config{Port: l, Logger: testLogger(t), CommandTimeout: 5 * time.Second,
		DTMFQuiet: 300 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = l.Run(ctx, s)
	}()
	t.Cleanup(func() { cancel(); <-done })
	e := &sessEnv{sim: sim, link: l, s: s}
	if err := e.do(core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "secret1", Extension: "5001"}); err != nil {
		t.Fatalf("Login: %v", err)
	}
	return e
}

func (e *sessEnv) do(cmd core.Command) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return e.s.Execute(ctx, cmd)
}

// wait waits, on the session's own events, until cond holds.
func (e *sessEnv) wait(t *testing.T, what string, cond func(core.Snapshot) bool) core.Snapshot {
	t.Helper()
	w := e.s.Watch(core.WatchOptions{})
	defer w.Close()
	deadline := time.After(waitEvent)
	for {
		if snap := e.s.Snapshot(); cond(snap) {
			return snap
		}
		select {
		case <-w.Events():
		case <-deadline:
			t.Fatalf("timed out waiting for %s; snapshot %+v", what, e.s.Snapshot())
		}
	}
}

// answeredCall makes agent 1001 Ready, routes a call to them and answers it.
func (e *sessEnv) answeredCall(t *testing.T) string {
	t.Helper()
	if err := e.do(core.Command{Kind: core.CmdReady}); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	id, err := e.sim.InjectCall(finessesim.CallSpec{AgentID: "1001"})
	if err != nil {
		t.Fatal(err)
	}
	e.wait(t, "the call ringing", func(s core.Snapshot) bool { return len(s.Dialogs) == 1 })
	if err := e.do(core.Command{Kind: core.CmdAnswer, DialogID: id}); err != nil {
		t.Fatalf("Answer: %v", err)
	}
	return id
}

func inWrapUp(s core.Snapshot) bool { return s.Agent.InWrapUp() }

// Wrap-up works whether Finesse keeps the call in the agent's Dialogs
// during wrap-up or DELETEs it when the call ends (issue 9, defect 1).
func TestSessionWrapUpBothModes(t *testing.T) {
	for _, keep := range []bool{false, true} {
		t.Run(map[bool]string{false: "dialog deleted at call end", true: "dialog kept in wrap-up"}[keep], func(t *testing.T) {
			t.Parallel()
			e := startSession(t, finessesim.Config{Seed: 31, KeepDialogInWrapUp: keep})
			w := e.s.Watch(core.WatchOptions{})
			defer w.Close()
			id := e.answeredCall(t)
			if err := e.sim.HangUp(id); err != nil {
				t.Fatal(err)
			}
			e.wait(t, "wrap-up", inWrapUp)
			if err := e.do(core.Command{Kind: core.CmdWrapUp, WrapUpReason: "Billing question"}); err != nil {
				t.Fatalf("WrapUp in wrap-up = %v, want nil", err)
			}
			if keep {
				waitSim(t, "the reason at Finesse", func() bool { return simReason(e.sim, id) == "Billing question" })
			}
			if err := e.do(core.Command{Kind: core.CmdReady}); err != nil {
				t.Fatalf("Ready after wrap-up: %v", err)
			}
			// The CRM hears of the reason with the call: in the DialogEnded
			// summary (kept) or in a WrapUp event after it (deleted).
			if got := reasonHeard(t, w, id); got != "Billing question" {
				t.Errorf("reason the CRM heard for %s = %q", id, got)
			}
		})
	}
}

// The reason chosen during the call reaches Finesse at once, in both modes,
// and the call-ended summary carries it.
func TestSessionWrapUpDuringCall(t *testing.T) {
	for _, keep := range []bool{false, true} {
		t.Run(map[bool]string{false: "deleted", true: "kept"}[keep], func(t *testing.T) {
			t.Parallel()
			e := startSession(t, finessesim.Config{Seed: 32, KeepDialogInWrapUp: keep})
			w := e.s.Watch(core.WatchOptions{})
			defer w.Close()
			id := e.answeredCall(t)
			if err := e.do(core.Command{Kind: core.CmdWrapUp, WrapUpReason: "Sales inquiry"}); err != nil {
				t.Fatalf("WrapUp during the call = %v", err)
			}
			if got := simReason(e.sim, id); got != "Sales inquiry" {
				t.Errorf("Finesse's wrapUpReason = %q, want it set during the call", got)
			}
			if err := e.sim.HangUp(id); err != nil {
				t.Fatal(err)
			}
			e.wait(t, "wrap-up", inWrapUp)
			if err := e.do(core.Command{Kind: core.CmdReady}); err != nil {
				t.Fatalf("Ready: %v", err)
			}
			if got := reasonHeard(t, w, id); got != "Sales inquiry" {
				t.Errorf("reason in the call-ended summary = %q", got)
			}
		})
	}
}

// simReason is the wrapUpReason the simulator holds for dialog id.
func simReason(sim *finessesim.Sim, id string) string {
	for _, d := range sim.Dialogs() {
		if d.ID == id {
			return d.WrapUpReason
		}
	}
	return ""
}

// reasonHeard reads events until the agent is READY again and the call has
// ended (in either order) and returns the last wrap-up reason published for
// dialog id (DialogEnded or WrapUp).
func reasonHeard(t *testing.T, w *core.Watcher, id string) string {
	t.Helper()
	reason, ended, ready := "", false, false
	deadline := time.After(waitEvent)
	for {
		select {
		case ev := <-w.Events():
			if (ev.Kind == core.EventDialogEnded || ev.Kind == core.EventWrapUp) && ev.Ended.DialogID == id {
				ended = true
				if ev.Ended.WrapUpReason != "" {
					reason = ev.Ended.WrapUpReason
				}
			}
			if ev.Kind == core.EventAgent {
				ready = ev.Agent.State == core.StateReady // the READY before the call does not count
			}
			if ended && ready {
				return reason
			}
		case <-deadline:
			t.Fatalf("no READY after the call ended (ended=%v, reason %q)", ended, reason)
		}
	}
}

// A successful SEND_DTMF publishes nothing; it must still report success
// well inside the command timeout (issue 9, defect 2).
func TestSessionDTMFSucceeds(t *testing.T) {
	t.Parallel()
	e := startSession(t, finessesim.Config{Seed: 33})
	id := e.answeredCall(t)
	start := time.Now()
	if err := e.do(core.Command{Kind: core.CmdSendDTMF, Digits: "12#"}); err != nil {
		t.Fatalf("SendDTMF = %v, want nil", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("SendDTMF took %s", d)
	}
	for _, d := range e.sim.Dialogs() {
		if d.ID == id && d.DTMF != "12#" {
			t.Errorf("simulator received DTMF %q, want 12#", d.DTMF)
		}
	}
}

// A wrong-password Login leaves the signed-in session exactly as it was:
// no out-of-service, presence kept, commands still work; a Login as another
// agent is refused until Logout (issue 10; issue 9 defect 5).
func TestSessionBadLoginKeepsSession(t *testing.T) {
	t.Parallel()
	e := startSession(t, finessesim.Config{Seed: 34})
	w := e.s.Watch(core.WatchOptions{})
	defer w.Close()
	err := e.do(core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "typo", Extension: "5001"})
	if !errors.Is(err, core.ErrWrongCredentials) {
		t.Fatalf("Login with a wrong password = %v, want ErrWrongCredentials", err)
	}
	err = e.do(core.Command{Kind: core.CmdLogin, AgentID: "1002", Password: "secret2", Extension: "5002"})
	if !errors.Is(err, core.ErrOtherAgent) {
		t.Fatalf("Login as 1002 while 1001 is signed in = %v, want ErrOtherAgent", err)
	}
	// The session still works on the same connection.
	if err := e.do(core.Command{Kind: core.CmdReady}); err != nil {
		t.Fatalf("Ready after the bad Logins = %v", err)
	}
	for {
		select {
		case ev := <-w.Events():
			if ev.Kind == core.EventSystem && ev.System.Status != core.InService {
				t.Fatalf("system went %s (%s) after a bad Login", ev.System.Status, ev.System.Reason)
			}
			if ev.Kind == core.EventAgent && ev.Agent.State == core.StateReady {
				goto ready
			}
		case <-time.After(waitEvent):
			t.Fatal("no READY event")
		}
	}
ready:
	if a, ok := e.sim.Agent("1001"); !ok || !a.Present {
		t.Errorf("agent 1001 at Finesse = %+v; presence must stay up", a)
	}
	if st := e.link.Status(); st.Status != core.InService {
		t.Errorf("link status = %+v", st)
	}
	// After Logout another agent may sign in.
	if err := e.do(core.Command{Kind: core.CmdLogout}); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if err := e.do(core.Command{Kind: core.CmdLogin, AgentID: "1002", Password: "secret2", Extension: "5002"}); err != nil {
		t.Fatalf("Login as 1002 after Logout = %v", err)
	}
}

package coretest_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// sink records updates.
type sink struct {
	mu  sync.Mutex // guards got
	got []core.Update
	ch  chan struct{} // one signal per update
}

func (s *sink) Apply(u core.Update) {
	s.mu.Lock()
	s.got = append(s.got, u)
	s.mu.Unlock()
	s.ch <- struct{}{}
}

func TestReply(t *testing.T) {
	t.Parallel()
	sk := &sink{ch: make(chan struct{}, 2)}
	p := &coretest.Port{}
	p.SendFunc = coretest.Reply(sk, func(cmd core.Command) []core.Update {
		return append(coretest.Echo(cmd, coretest.Removed("d1")),
			coretest.AgentUpdate(coretest.Agent("1", "5001", core.StateReady)))
	})
	if err := p.Send(t.Context(), core.Command{Kind: core.CmdReady, RequestID: "r1"}); err != nil {
		t.Fatalf("Send() = %v", err)
	}
	for range 2 {
		select {
		case <-sk.ch:
		case <-time.After(5 * time.Second):
			t.Fatal("reply not applied")
		}
	}
	sk.mu.Lock()
	defer sk.mu.Unlock()
	if sk.got[0].RequestID != "r1" || sk.got[0].DialogID != "d1" || sk.got[1].Agent.State != core.StateReady {
		t.Errorf("applied %+v, want the echoed removal then the agent", sk.got)
	}
}

func TestPortRecords(t *testing.T) {
	t.Parallel()
	p := &coretest.Port{}
	ctx := t.Context()
	go func() {
		_ = p.Send(context.Background(), core.Command{Kind: core.CmdReady})
		_ = p.Send(context.Background(), core.Command{Kind: core.CmdHold, DialogID: "d2"})
	}()
	sent, err := p.WaitSent(2, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := []core.Command{{Kind: core.CmdReady}, {Kind: core.CmdHold, DialogID: "d2"}}
	if diff := cmp.Diff(want, sent); diff != "" {
		t.Errorf("sent mismatch (-want +got):\n%s", diff)
	}
	if _, err := p.WaitSent(3, 10*time.Millisecond); err == nil {
		t.Error("WaitSent(3) = nil error, want a timeout")
	}
	if _, err := p.FetchAgent(ctx); err != nil {
		t.Error(err)
	}
	if _, err := p.FetchDialogs(ctx); err != nil {
		t.Error(err)
	}
	if got := p.Calls("Send") + p.Calls("FetchAgent") + p.Calls("FetchDialogs"); got != 4 {
		t.Errorf("calls = %d, want 4", got)
	}
}

func TestFail(t *testing.T) {
	t.Parallel()
	p := &coretest.Port{SendFunc: coretest.Fail(core.ErrUnreachable)}
	if err := p.Send(t.Context(), core.Command{Kind: core.CmdReady}); !errors.Is(err, core.ErrUnreachable) {
		t.Errorf("Send() = %v, want ErrUnreachable", err)
	}
}

func TestDialog(t *testing.T) {
	t.Parallel()
	d := coretest.Dialog("d1", "5001", "6125551234", core.PartAlerting, core.ActionAnswer)
	p, ok := d.Participant("5001")
	if d.State != core.DialogAlerting || !ok || p.State != core.PartAlerting || p.Actions[0] != core.ActionAnswer {
		t.Errorf("Dialog() = %+v", d)
	}
}

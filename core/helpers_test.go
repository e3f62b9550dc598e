package core_test

import (
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

const (
	agentID = "1001"
	ext     = "5001"
	caller  = "6125551234"
	waitFor = 5 * time.Second // deadline for events that should arrive at once
)

// clock is a settable Now for the session.
type clock struct {
	mu sync.Mutex // guards t
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

type fixture struct {
	s     *core.Session
	port  *coretest.Port
	clock *clock
}

// newFixture returns a session on a fake port with a fake clock; edit may
// change the config (it runs before NewSession).
func newFixture(t *testing.T, edit func(*core.Config)) *fixture {
	t.Helper()
	f := &fixture{port: &coretest.Port{}, clock: newClock()}
	cfg := core.Config{
		Port:           f.port,
		Logger:         slog.New(slog.DiscardHandler),
		Now:            f.clock.Now,
		CommandTimeout: waitFor,
	}
	if edit != nil {
		edit(&cfg)
	}
	f.s = core.NewSession(cfg)
	t.Cleanup(func() {
		if n := f.s.PendingCount(); n != 0 {
			t.Errorf("pending commands after test = %d, want 0", n)
		}
	})
	return f
}

// login puts a signed-in NOT_READY agent on extension ext into the model.
func (f *fixture) login() {
	f.s.Apply(coretest.AgentUpdate(coretest.Agent(agentID, ext, core.StateNotReady)))
}

// reply makes the port answer every command with answer's updates.
func (f *fixture) reply(answer func(core.Command) []core.Update) {
	f.port.SendFunc = coretest.Reply(f.s, answer)
}

// next returns the watcher's next event, failing the test after a deadline.
func next(t *testing.T, w *core.Watcher) core.Event {
	t.Helper()
	select {
	case ev, ok := <-w.Events():
		if !ok {
			t.Fatalf("events closed early, Err() = %v", w.Err())
		}
		return ev
	case <-time.After(waitFor):
		t.Fatal("no event within deadline")
	}
	return core.Event{}
}

// drain returns the events already buffered on the watcher.
func drain(w *core.Watcher) []core.Event {
	var evs []core.Event
	for {
		select {
		case ev, ok := <-w.Events():
			if !ok {
				return evs
			}
			evs = append(evs, ev)
		default:
			return evs
		}
	}
}

func kinds(evs []core.Event) []core.EventKind {
	out := make([]core.EventKind, len(evs))
	for i, ev := range evs {
		out[i] = ev.Kind
	}
	return out
}

// Dialogs used across tests; the agent is on ext.
var (
	alerting = coretest.Dialog("d1", ext, caller, core.PartAlerting, core.ActionAnswer)
	active   = coretest.Dialog("d2", ext, caller, core.PartActive,
		core.ActionHold, core.ActionDrop, core.ActionConsultCall, core.ActionSendDTMF,
		core.ActionTransferSST, core.ActionUpdateCallData)
	held = coretest.Dialog("d3", ext, caller, core.PartHeld,
		core.ActionRetrieve, core.ActionTransfer, core.ActionConference, core.ActionDrop,
		core.ActionUpdateCallData)
)

// with returns d with the agent's participant changed to st and actions.
func with(d core.Dialog, st core.ParticipantState, actions ...core.Action) core.Dialog {
	d.Participants = append([]core.Participant(nil), d.Participants...)
	for i, p := range d.Participants {
		if p.Address == ext {
			p.State, p.Actions = st, actions
			d.Participants[i] = p
		}
	}
	return d
}

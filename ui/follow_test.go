package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/agentlink/agentlink/core"
)

// scriptWatcher is a watcher that delivers fixed events and then closes
// with err.
type scriptWatcher struct {
	snap    core.Snapshot
	resumed bool
	ch      chan core.Event
	err     error
}

func newScriptWatcher(snap core.Snapshot, resumed bool, err error, evs ...core.Event) *scriptWatcher {
	w := &scriptWatcher{snap: snap, resumed: resumed, ch: make(chan core.Event, len(evs)), err: err}
	for _, ev := range evs {
		w.ch <- ev
	}
	if err != nil {
		close(w.ch)
	}
	return w
}

func (w *scriptWatcher) Snapshot() core.Snapshot   { return w.snap }
func (w *scriptWatcher) Resumed() bool             { return w.resumed }
func (w *scriptWatcher) Events() <-chan core.Event { return w.ch }
func (w *scriptWatcher) Err() error                { return w.err }
func (w *scriptWatcher) Close()                    {}

// scriptSession hands out prepared watchers and records the options.
type scriptSession struct {
	mu       sync.Mutex // guards watchers, opts
	watchers []watcher
	opts     []core.WatchOptions
}

func (s *scriptSession) Watch(o core.WatchOptions) watcher {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts = append(s.opts, o)
	w := s.watchers[0]
	if len(s.watchers) > 1 {
		s.watchers = s.watchers[1:]
	}
	return w
}

func (s *scriptSession) Execute(context.Context, core.Command) error { return nil }
func (s *scriptSession) ReasonCodes(context.Context, core.ReasonCategory) ([]core.ReasonCode, error) {
	return nil, nil
}
func (s *scriptSession) WrapUpReasons(context.Context) ([]core.WrapUpReason, error) { return nil, nil }

// TestFollowResumesAfterSlowWatcher checks that a watcher cut off for
// falling behind is replaced by one resuming after the last event seen,
// and that what the new watcher brings (replayed events on top of the
// model, or a fresh snapshot) ends up in the model.
func TestFollowResumesAfterSlowWatcher(t *testing.T) {
	ready := agentIn(core.StateReady)
	talking := agentIn(core.StateTalking)
	tests := []struct {
		name      string
		watchers  []watcher
		wantSince uint64
		wantSeq   uint64
	}{
		{"resumed replay", []watcher{
			newScriptWatcher(core.Snapshot{Seq: 4, Agent: agentIn(core.StateNotReady)}, false, core.ErrSlowWatcher,
				core.Event{Seq: 5, Kind: core.EventAgent, Agent: &ready}),
			newScriptWatcher(core.Snapshot{}, true, nil, core.Event{Seq: 6, Kind: core.EventAgent, Agent: &talking}),
		}, 5, 6},
		{"cut off before any event, fresh snapshot", []watcher{
			newScriptWatcher(core.Snapshot{Seq: 4, Agent: agentIn(core.StateNotReady)}, false, core.ErrSlowWatcher),
			newScriptWatcher(core.Snapshot{Seq: 9, Agent: talking}, false, nil),
		}, 4, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sess := &scriptSession{watchers: tt.watchers}
			s, wake, stop := startScripted(t, sess)
			defer stop()
			deadline := time.After(waitTimeout)
			for {
				s.uiMu.Lock()
				st, seq := s.m.Agent.State, s.m.Seq
				s.uiMu.Unlock()
				if st == core.StateTalking && seq == tt.wantSeq {
					break
				}
				select {
				case <-wake:
				case <-deadline:
					t.Fatalf("model at seq %d state %s, want seq %d TALKING", seq, st, tt.wantSeq)
				}
			}
			sess.mu.Lock()
			defer sess.mu.Unlock()
			if len(sess.opts) != 2 || sess.opts[0].Since != 0 || sess.opts[1].Since != tt.wantSince {
				t.Errorf("watch options = %+v, want a fresh watch then Since %d", sess.opts, tt.wantSince)
			}
		})
	}
}

// startScripted boots a shell over sess; stop ends it and waits.
func startScripted(t *testing.T, sess sessionAPI) (*shell, <-chan struct{}, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	s := newShell(ctx, test.NewTempApp(t), sess, Config{})
	wake := make(chan struct{}, 1)
	s.changed = func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	s.uiMu.Lock()
	wait := s.boot()
	s.uiMu.Unlock()
	return s, wake, func() { cancel(); wait(); s.bg.Wait() }
}

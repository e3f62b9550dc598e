package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/agentlink/agentlink/ui/internal/desknotify"
)

// shownNote is one notification the fake server was asked to show.
type shownNote struct {
	ID uint32
	desknotify.Notification
}

// fakeNotifier is a notification server for the shell's tests: it records
// what is shown and withdrawn, and the test plays the agent's clicks. The
// real server's side is tested against dunst in ui/internal/desknotify.
type fakeNotifier struct {
	caps   []string
	events chan desknotify.Event

	mu        sync.Mutex // guards the fields below
	next      uint32
	shown     []shownNote
	open      map[uint32]bool
	withdrawn []uint32
	changed   chan struct{}
}

func newFakeNotifier(caps ...string) *fakeNotifier {
	return &fakeNotifier{caps: caps, events: make(chan desknotify.Event, 8), open: map[uint32]bool{},
		changed: make(chan struct{}, 1)}
}

func (n *fakeNotifier) Capabilities(context.Context) ([]string, error) { return n.caps, nil }
func (n *fakeNotifier) Events() <-chan desknotify.Event                { return n.events }

func (n *fakeNotifier) Notify(_ context.Context, note desknotify.Notification) (uint32, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	id := note.Replaces
	if id == 0 || !n.open[id] {
		n.next++
		id = n.next
	}
	n.open[id] = true
	n.shown = append(n.shown, shownNote{id, note})
	n.signal()
	return id, nil
}

func (n *fakeNotifier) Withdraw(_ context.Context, id uint32) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	delete(n.open, id)
	n.withdrawn = append(n.withdrawn, id)
	n.signal()
	return nil
}

func (n *fakeNotifier) signal() {
	select {
	case n.changed <- struct{}{}:
	default:
	}
}

// click plays the agent invoking action on notification id.
func (n *fakeNotifier) click(id uint32, action string) {
	n.events <- desknotify.Event{ID: id, Action: action}
}

// wait waits until cond, called with the fake locked, holds.
func (n *fakeNotifier) wait(t *testing.T, what string, cond func(n *fakeNotifier) bool) {
	t.Helper()
	deadline := time.After(waitTimeout)
	for {
		n.mu.Lock()
		ok := cond(n)
		n.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-n.changed:
		case <-deadline:
			n.mu.Lock()
			defer n.mu.Unlock()
			t.Fatalf("timed out waiting for %s; shown %+v, withdrawn %v", what, n.shown, n.withdrawn)
		}
	}
}

// last is the last notification shown (the fake locked).
func (n *fakeNotifier) last() shownNote {
	if len(n.shown) == 0 {
		return shownNote{}
	}
	return n.shown[len(n.shown)-1]
}

// isWithdrawn says whether id was withdrawn (the fake locked).
func (n *fakeNotifier) isWithdrawn(id uint32) bool {
	for _, w := range n.withdrawn {
		if w == id {
			return true
		}
	}
	return false
}

package core

import (
	"crypto/rand"
	"encoding/hex"
)

// MaxWatchBuffer is the largest per-watcher buffer [Session.Watch] grants.
const MaxWatchBuffer = 1 << 16

// Watcher receives a session's events. Get one from [Session.Watch]; call
// Close when done. Its methods are safe for concurrent use.
//
// Events share their pointer fields with other watchers and the session's
// replay ring: treat them as read-only.
type Watcher struct {
	s       *Session   // non-nil; read-only
	ch      chan Event // closed by the session when the watcher ends
	snap    Snapshot   // read-only after Watch
	resumed bool       // read-only after Watch

	// closed and err are guarded by s.mu.
	closed bool
	err    error
}

// Watch registers a watcher. The snapshot (or the replayed events) and the
// registration happen under one lock, so the watcher neither misses nor
// repeats an event: the first event it receives has Snapshot().Seq+1, or,
// when it resumed, opts.Since+1.
//
// With opts.Since set, opts.Epoch this session's epoch and every later event still in the ring, those events
// are put on the channel first and Resumed reports true; Snapshot is then
// the current state, which the replayed events lead to. Otherwise (Since
// too old, or ahead of the session) the watcher starts from a fresh
// snapshot and Resumed reports false.
//
// A Buffer above MaxWatchBuffer is lowered to it, so that a bad value
// cannot exhaust memory.
func (s *Session) Watch(opts WatchOptions) *Watcher {
	buf := opts.Buffer
	if buf <= 0 {
		buf = s.wbuf
	}
	buf = min(buf, MaxWatchBuffer)
	s.mu.Lock()
	defer s.mu.Unlock()
	w := &Watcher{s: s, snap: s.snapshotLocked()}
	var replay []Event
	if opts.Since > 0 && opts.Epoch == s.epoch {
		replay, w.resumed = s.ring.since(opts.Since, s.seq)
	}
	w.ch = make(chan Event, len(replay)+buf)
	for _, ev := range replay {
		w.ch <- ev // cannot block: the buffer has room for all of them
	}
	s.watchers[w] = struct{}{}
	return w
}

// Snapshot returns the state the watcher starts from. Each call returns
// the same dialogs: copy them before changing them.
func (w *Watcher) Snapshot() Snapshot { return w.snap }

// Resumed reports whether the watcher replays the events after
// WatchOptions.Since instead of starting from its snapshot.
func (w *Watcher) Resumed() bool { return w.resumed }

// Events returns the event channel: replayed events first, then every new
// event. It is closed when the watcher ends; Err says why.
func (w *Watcher) Events() <-chan Event { return w.ch }

// Err returns ErrSlowWatcher if the watcher was cut off for falling behind,
// and nil while it runs or after Close.
func (w *Watcher) Err() error {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	return w.err
}

// Close ends the watcher and closes its channel. It is idempotent.
func (w *Watcher) Close() {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	w.s.endWatcherLocked(w, nil)
}

func (s *Session) endWatcherLocked(w *Watcher, err error) {
	if w.closed {
		return
	}
	w.closed = true
	w.err = err
	delete(s.watchers, w)
	close(w.ch)
}

// publishLocked numbers ev, keeps it for replay and hands it to every
// watcher without blocking. A watcher whose buffer is full is cut off: the
// session must never wait for a consumer.
func (s *Session) publishLocked(ev Event) {
	s.seq++
	ev.Seq = s.seq
	ev.At = s.now()
	s.ring.push(ev)
	for w := range s.watchers {
		select {
		case w.ch <- ev:
		default:
			s.log.Warn("watcher cut off", "seq", ev.Seq, "buffer", cap(w.ch))
			s.endWatcherLocked(w, ErrSlowWatcher)
		}
	}
}

// newEpoch returns 8 random bytes in hex: two sessions (two runs of the
// app) never share an epoch, so a seq is never resumed into another's
// stream.
func newEpoch() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

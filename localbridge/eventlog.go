package localbridge

import (
	"sync"
	"time"
)

// logSize bounds the monitor's log of recent events and errors.
const logSize = 200

// Log levels of monitor entries.
const (
	levelInfo  = "info"
	levelWarn  = "warn"
	levelError = "error"
)

// logEntry is one line of the Connector Monitor's log.
type logEntry struct {
	At      string `json:"at"`
	Level   string `json:"level"`
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// eventLog is a bounded ring of recent events, kept server-side so the
// monitor shows what happened before it was opened.
type eventLog struct {
	now func() time.Time // read-only
	mu  sync.Mutex       // guards entries and next
	buf []logEntry       // ring of logSize
	n   int              // entries written in total
}

func newEventLog(now func() time.Time) *eventLog {
	return &eventLog{now: now, buf: make([]logEntry, logSize)}
}

func (l *eventLog) add(level, kind, msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf[l.n%logSize] = logEntry{At: wireTime(l.now()), Level: level, Kind: kind, Message: msg}
	l.n++
}

// list returns the entries, newest first.
func (l *eventLog) list() []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := min(l.n, logSize)
	out := make([]logEntry, 0, k)
	for i := 1; i <= k; i++ {
		out = append(out, l.buf[(l.n-i)%logSize])
	}
	return out
}

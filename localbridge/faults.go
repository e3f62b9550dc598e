package localbridge

import (
	"strings"
	"sync"
	"time"

	"github.com/agentlink/agentlink/core"
)

// faultRows bounds the monitor's Faults panel: the open faults and the
// latest cleared ones.
const faultRows = 50

// monitorFault is one row of the Connector Monitor's Faults panel (issue
// 15): what went wrong, since when, and when it cleared ("" while open).
type monitorFault struct {
	Kind    string `json:"kind"`
	Detail  string `json:"detail"`
	Since   string `json:"since"`
	Cleared string `json:"cleared,omitempty"`
	key     string // identifies the fault for clear; "" = cleared at once
}

// faultBoard keeps the faults the bridge sees (System events, slow
// toolbars) or is told of (the app's log file, the call outbox), so the
// agent and support see each one as it happens and when it cleared.
type faultBoard struct {
	now      func() time.Time // read-only
	mu       sync.Mutex       // guards the fields below
	rows     []monitorFault   // oldest first
	lastNode core.Node        // the side last IN_SERVICE, for failovers
}

func newFaultBoard(now func() time.Time) *faultBoard { return &faultBoard{now: now} }

// raise opens a fault under key; an open one with the same key and kind
// only gets the newer detail, one of another kind is cleared first.
func (b *faultBoard) raise(key, kind, detail string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := range b.rows {
		r := &b.rows[i]
		if r.key == key && r.Cleared == "" {
			if r.Kind == kind {
				r.Detail = detail
				return
			}
			r.Cleared = wireTime(b.now())
		}
	}
	b.appendLocked(monitorFault{key: key, Kind: kind, Detail: detail, Since: wireTime(b.now())})
}

// happened records a fault that is over as soon as it is seen (a failover,
// a toolbar cut off).
func (b *faultBoard) happened(kind, detail string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	at := wireTime(b.now())
	b.appendLocked(monitorFault{Kind: kind, Detail: detail, Since: at, Cleared: at})
}

// clear closes the open faults whose key starts with prefix.
func (b *faultBoard) clear(prefix string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := range b.rows {
		if r := &b.rows[i]; r.key != "" && r.Cleared == "" && strings.HasPrefix(r.key, prefix) {
			r.Cleared = wireTime(b.now())
		}
	}
}

// appendLocked adds a row, dropping the oldest cleared one when full (open
// faults stay listed however old).
func (b *faultBoard) appendLocked(f monitorFault) {
	if len(b.rows) >= faultRows {
		for i, r := range b.rows {
			if r.Cleared != "" {
				b.rows = append(b.rows[:i], b.rows[i+1:]...)
				break
			}
		}
	}
	b.rows = append(b.rows, f)
}

// list returns the rows newest first, open faults before cleared ones.
func (b *faultBoard) list() []monitorFault {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]monitorFault, 0, len(b.rows))
	for _, open := range []bool{true, false} {
		for i := len(b.rows) - 1; i >= 0; i-- {
			if (b.rows[i].Cleared == "") == open {
				out = append(out, b.rows[i])
			}
		}
	}
	return out
}

// observe derives side faults from a System event: a side out of service
// (and why: Finesse's status, its web app, a 503 streak), notifications
// (XMPP) down, and a failover when service resumes on the other side.
func (b *faultBoard) observe(sys core.System) {
	key := "side:" + string(sys.Node)
	b.mu.Lock()
	never := b.lastNode == "" && sys.Node == ""
	b.mu.Unlock()
	switch {
	case sys.Status == "", never && sys.Status != core.InService:
		// Not connected yet since the app started: the sign-in's own
		// errors say why; the panel is for what breaks afterwards.
	case sys.Status != core.InService && !sys.XMPPConnected:
		b.raise(key, "notifications down", sideLabel(sys)+sys.Reason)
	case sys.Status != core.InService && strings.Contains(sys.Reason, "503"):
		b.raise(key, "side refuses requests (503)", sideLabel(sys)+sys.Reason)
	case sys.Status != core.InService:
		b.raise(key, "side out of service", sideLabel(sys)+sys.Reason)
	case !sys.XMPPConnected:
		b.raise(key, "notifications down", sideLabel(sys)+"in service but XMPP is not connected")
	default:
		b.clear("side:")
		b.mu.Lock()
		from := b.lastNode
		b.lastNode = sys.Node
		b.mu.Unlock()
		if from != "" && from != sys.Node {
			b.happened("failover", "from side "+string(from)+" to side "+string(sys.Node))
		}
	}
}

func sideLabel(sys core.System) string {
	if sys.Node == "" {
		return ""
	}
	return "side " + string(sys.Node) + ": "
}

// RaiseFault shows a fault in the Connector Monitor until ClearFault(key):
// for faults the app sees outside the bridge, such as a log file that
// cannot be written or a call outbox kept in memory only.
func (s *Server) RaiseFault(key, kind, detail string) {
	s.faults.raise("app:"+key, kind, detail)
	s.notifyMonitor()
}

// ClearFault marks the fault raised under key as cleared.
func (s *Server) ClearFault(key string) {
	s.faults.clear("app:" + key)
	s.notifyMonitor()
}

// noteSlowClient records a toolbar cut off for not reading its events.
func (s *Server) noteSlowClient(c *client) {
	who := c.id
	if c.origin != "" {
		who += " (" + originLabel(c.origin) + ")"
	}
	s.faults.happened("toolbar too slow", who+" cut off; it reconnects with since, other toolbars unaffected")
	go s.notifyMonitor() // enqueue's callers may hold s.mu
}

package localbridge

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// The command audit trail (field notes §4, proposal 9): which toolbar, from
// which origin, did what to the agent's phone, and what came of it. It is
// kept in memory for the Connector Monitor (and its JSON export) and logged
// at info level, so a log file keeps it across restarts. Read-only queries
// (Get*, Ping, Hello, Connect) are not audited. Passwords are never
// recorded, and DTMF digits only by count: they are often PINs or card
// numbers.

// auditSize bounds the in-memory trail.
const auditSize = 500

// auditedCommands are the commands that act on the agent's phone.
var auditedCommands = map[string]bool{
	"Login": true, "Logout": true, "SetState": true, "MakeCall": true, "Answer": true, "Hold": true,
	"Retrieve": true, "Release": true, "Transfer": true, "Conference": true, "Consult": true,
	"SingleStepTransfer": true, "SendDTMF": true, "UpdateCallData": true, "SetWrapUp": true, "AckCallLog": true,
}

// auditEntry is one audited command; its JSON form is what the monitor
// shows and exports.
type auditEntry struct {
	At     string `json:"at"`
	Client string `json:"client"`
	Origin string `json:"origin"`
	Peer   string `json:"peer"` // the OS user and process, not claimed but looked up
	// EmbeddedBy is the CRM origin that frames the bridge's own toolbar
	// when the command came from it, so the trail names the CRM and not
	// only the bridge's own origin.
	EmbeddedBy string `json:"embeddedBy,omitempty"`
	Command    string `json:"command"`
	Detail     string `json:"detail"`
	Outcome    string `json:"outcome"` // "ok" or the error code
	Error      string `json:"error,omitempty"`
	Millis     int64  `json:"ms"`
}

// auditTrail is a bounded ring of audit entries.
type auditTrail struct {
	mu  sync.Mutex // guards buf and n
	buf []auditEntry
	n   int // entries written in total
}

func newAuditTrail() *auditTrail { return &auditTrail{buf: make([]auditEntry, auditSize)} }

func (a *auditTrail) add(e auditEntry) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.buf[a.n%auditSize] = e
	a.n++
}

// list returns up to max entries, newest first.
func (a *auditTrail) list(max int) []auditEntry {
	a.mu.Lock()
	defer a.mu.Unlock()
	k := min(a.n, auditSize, max)
	out := make([]auditEntry, 0, k)
	for i := 1; i <= k; i++ {
		out = append(out, a.buf[(a.n-i)%auditSize])
	}
	return out
}

// recordCommand audits one finished command (rerr nil: it succeeded).
func (s *Server) recordCommand(c *client, req wireRequest, rerr *RequestError, took time.Duration) {
	e := auditEntry{
		At: wireTime(s.cfg.Now()), Client: c.id, Origin: originLabel(c.origin), EmbeddedBy: c.embedder, Peer: peerLabel(c.peer), Command: req.Cmd,
		Detail: auditDetail(req.Args), Outcome: "ok", Millis: took.Milliseconds(),
	}
	if rerr != nil {
		e.Outcome, e.Error = rerr.Code, truncate(rerr.Message, 200)
	}
	s.audit.add(e)
	s.log.Info("bridge command", "client", e.Client, "origin", e.Origin, "embeddedBy", e.EmbeddedBy, "peer", e.Peer, "cmd", e.Command,
		"detail", e.Detail, "outcome", e.Outcome, "ms", e.Millis)
	s.notifyMonitor()
}

// auditArgs are the arguments worth recording. There is deliberately no
// password field: it is never decoded here.
type auditArgs struct {
	AgentID      string            `json:"agentId"`
	Extension    string            `json:"extension"`
	State        string            `json:"state"`
	ReasonCodeID string            `json:"reasonCodeId"`
	DialogID     string            `json:"dialogId"`
	Number       string            `json:"number"`
	Digits       string            `json:"digits"`
	Reason       string            `json:"reason"`
	Variables    map[string]string `json:"variables"`
	ID           string            `json:"id"`     // AckCallLog
	CRMRef       string            `json:"crmRef"` // AckCallLog
}

// auditDetail summarises a command's arguments as "key=value" pairs.
func auditDetail(raw json.RawMessage) string {
	var a auditArgs
	if len(raw) == 0 || json.Unmarshal(raw, &a) != nil {
		return ""
	}
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+truncate(v, 64))
		}
	}
	add("agent", a.AgentID)
	add("extension", a.Extension)
	add("state", a.State)
	add("reason", a.ReasonCodeID)
	add("dialog", a.DialogID)
	add("number", a.Number)
	if a.Digits != "" {
		add("digits", fmt.Sprintf("%d sent (not recorded)", len(a.Digits)))
	}
	add("wrapUp", a.Reason)
	add("call", a.ID)
	add("crmRef", a.CRMRef)
	if len(a.Variables) > 0 {
		add("variables", strings.Join(slices.Sorted(maps.Keys(a.Variables)), ","))
	}
	return strings.Join(parts, " ")
}

// serveMonitorAudit exports the whole trail as a JSON download.
func (s *Server) serveMonitorAudit(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Disposition", `attachment; filename="agentlink-audit.json"`)
	writeJSON(w, http.StatusOK, s.audit.list(auditSize))
}

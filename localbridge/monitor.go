package localbridge

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// Monitor access: a one-time ticket from MonitorURL, exchanged for a
// session cookie. Only hashes are kept.
const (
	ticketTTL     = 60 * time.Second
	sessionTTL    = 12 * time.Hour
	monitorCookie = "agentlink_monitor"
)

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// MonitorURL returns a URL that opens the Connector Monitor in the agent's
// browser. Its ticket works once, within 60 s.
func (s *Server) MonitorURL() (string, error) {
	port := s.listenPort()
	if port == "" {
		return "", errors.New("localbridge: not listening yet")
	}
	t, err := GenerateToken()
	if err != nil {
		return "", err
	}
	now := s.cfg.Now()
	s.mu.Lock()
	for _, m := range []map[string]time.Time{s.tickets, s.sessions} {
		for k, exp := range m {
			if now.After(exp) {
				delete(m, k)
			}
		}
	}
	s.tickets[hashSecret(t)] = now.Add(ticketTTL)
	s.mu.Unlock()
	return fmt.Sprintf("http://127.0.0.1:%s/monitor/?ticket=%s", port, t), nil
}

// redeem consumes a ticket; it reports whether it was valid.
func (s *Server) redeem(ticket string) bool {
	k := hashSecret(ticket)
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.tickets[k]
	delete(s.tickets, k)
	return ok && !s.cfg.Now().After(exp)
}

func (s *Server) validSession(r *http.Request) bool {
	ck, err := r.Cookie(monitorCookie)
	if err != nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.sessions[hashSecret(ck.Value)]
	return ok && !s.cfg.Now().After(exp)
}

// monitorAuthorized lets a monitor request through with a session cookie or
// the token, or exchanges a ticket for a cookie (and redirects to drop the
// ticket from the address bar). It writes the refusal itself.
func (s *Server) monitorAuthorized(w http.ResponseWriter, r *http.Request) bool {
	if s.validSession(r) || s.validToken(r) {
		return true
	}
	ticket := r.URL.Query().Get("ticket")
	if ticket == "" {
		writeError(w, http.StatusUnauthorized, "monitor_login", "open the Connector Monitor from the AgentLink tray menu")
		return false
	}
	if r.Method != http.MethodGet || !s.redeem(ticket) {
		writeError(w, http.StatusForbidden, "monitor_ticket", "this monitor link was already used or has expired; open it again from the tray")
		return false
	}
	id, err := GenerateToken()
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal", "cannot create a session")
		return false
	}
	s.mu.Lock()
	s.sessions[hashSecret(id)] = s.cfg.Now().Add(sessionTTL)
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{
		Name: monitorCookie, Value: id, Path: "/monitor/", MaxAge: int(sessionTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode,
	})
	http.Redirect(w, r, "/monitor/", http.StatusSeeOther)
	return false
}

type monitorState struct {
	Version        string          `json:"version"`
	Addr           string          `json:"addr"`
	Snapshot       *wireSnapshot   `json:"snapshot"`
	Clients        []monitorClient `json:"clients"`
	RefusedOrigins []monitorOrigin `json:"refusedOrigins"`
	AllowedOrigins []string        `json:"allowedOrigins"`
	PairedOrigins  []string        `json:"pairedOrigins"` // origins paired with this AgentLink (pairing.go)
	Log            []logEntry      `json:"log"`
	Faults         []monitorFault  `json:"faults"` // open first, then cleared, newest first (faults.go)
	Audit          []auditEntry    `json:"audit"`  // the latest monitorAuditRows commands, newest first
	// Unlogged: ended calls no CRM has acknowledged yet (calllog.go).
	Unlogged []monitorCall `json:"unlogged"`
}

type monitorCall struct {
	wireCallLog
	Pending  bool `json:"pending,omitempty"`  // waiting for the wrap-up reason
	Volatile bool `json:"volatile,omitempty"` // kept in memory only
}

// monitorAuditRows is how much of the audit trail the live page shows; the
// export has all of it.
const monitorAuditRows = 50

type monitorClient struct {
	ID     string `json:"id"`
	Origin string `json:"origin"`
	Since  string `json:"since"`
	Agent  string `json:"agent,omitempty"`
	Owner  bool   `json:"owner"` // holds the screen-pop lease
	Peer   string `json:"peer"`  // OS user and process behind the connection
}

type monitorOrigin struct {
	Origin    string `json:"origin"`
	FirstSeen string `json:"firstSeen"`
	LastSeen  string `json:"lastSeen"`
	Attempts  int    `json:"attempts"`
}

func (s *Server) monitorState() monitorState {
	st := monitorState{
		Version: s.cfg.Version, Addr: s.Addr(),
		// [] rather than null when none: the page joins the list, and a
		// null stopped its render before the audit trail.
		Snapshot: toWireSnapshot(s.sess.Snapshot()), AllowedOrigins: append([]string{}, s.origins.list()...), PairedOrigins: s.PairedOrigins(),
		Clients: []monitorClient{}, RefusedOrigins: []monitorOrigin{}, Log: s.events.list(),
		Faults: s.faults.list(),
		Audit:  s.audit.list(monitorAuditRows),
	}
	st.Unlogged = []monitorCall{}
	for _, r := range s.Unlogged() {
		st.Unlogged = append(st.Unlogged, monitorCall{wireCallLog: toWireCallLog(r), Pending: r.Pending, Volatile: r.Volatile})
	}
	for _, c := range s.Clients() {
		st.Clients = append(st.Clients, monitorClient{ID: c.ID, Origin: originLabel(c.Origin), Since: wireTime(c.Since), Agent: c.Agent, Owner: c.Owner, Peer: peerLabel(c.Peer)})
	}
	for _, o := range s.RefusedOrigins() {
		st.RefusedOrigins = append(st.RefusedOrigins, monitorOrigin{
			Origin: o.Origin, FirstSeen: wireTime(o.FirstSeen), LastSeen: wireTime(o.LastSeen), Attempts: o.Attempts})
	}
	return st
}

func (s *Server) serveMonitorState(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.monitorState())
}

// serveMonitorUnpair forgets an origin's pairing: its toolbars are
// disconnected and must pair again (the agent removes a CRM it no longer
// uses, or one it paired by mistake).
func (s *Server) serveMonitorUnpair(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Origin string `json:"origin"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, CodeBadJSON, `want {"origin": "https://crm.example.com"}`)
		return
	}
	if !slices.Contains(s.PairedOrigins(), body.Origin) {
		writeError(w, http.StatusNotFound, CodeBadRequest, body.Origin+" is not paired")
		return
	}
	if err := s.Unpair(body.Origin); err != nil {
		writeError(w, http.StatusInternalServerError, CodeInternal, "the pairing could not be removed: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

func (s *Server) serveMonitorOrigin(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Origin string   `json:"origin"`
		Allow  bool     `json:"allow"`
		Scopes []string `json:"scopes"` // with allow: what the origin may do besides events
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, CodeBadJSON,
			`want {"origin": "https://crm.example.com", "allow": true, "scopes": ["state", "calls"]}`)
		return
	}
	var err error
	switch {
	case !body.Allow:
		err = s.DenyOrigin(body.Origin)
	case body.Scopes == nil:
		writeError(w, http.StatusBadRequest, CodeBadRequest,
			`say what the origin may do: "scopes" lists any of "state", "calls", "dial" ([] for events only)`)
		return
	default:
		var scopes []Scope
		if scopes, err = parseScopes(body.Scopes); err == nil {
			err = s.AllowOriginScopes(body.Origin, scopes)
		}
	}
	if err != nil {
		status, code := http.StatusBadRequest, CodeBadRequest
		if errors.Is(err, ErrConsentNotSaved) {
			status, code = http.StatusInternalServerError, CodeInternal
		}
		writeError(w, status, code, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

package localbridge

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"strings"

	"github.com/agentlink/agentlink/assets"
)

// routes is the one route table. Handlers are serveX methods. Security
// checks happen before it (see handler).
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.serveHealth)                  // no params; public, no secrets
	mux.HandleFunc("GET /v1/status", s.serveStatus)                // no params; token or allowed origin
	mux.HandleFunc("GET /v1/bridge", s.serveBridge)                // WebSocket upgrade, protocol v1
	mux.Handle("GET /sdk/", s.serveStatic("sdk", ""))              // {file}: agentlink.js, des.js, dialplan.js, adapter.js, *.d.ts; public
	mux.Handle("GET /toolbar/", s.serveStatic("toolbar", "frame")) // {file}: index.html, toolbar.js, toolbar.css; public
	mux.Handle("GET /monitor/", s.serveStatic("monitor", "none"))  // ?ticket= on first visit, then cookie
	mux.Handle("GET /crm/", s.serveStatic("crm", "crm"))           // {crm}/: CRM adapter pages (docs/crm/); public
	mux.HandleFunc("GET /crm/dialplan.json", s.serveDialPlan)      // no params; the [dialplan] adapters normalise with; public
	mux.HandleFunc("GET /crm/oracle/addin.zip", s.serveOracleZip)  // no params; the Oracle Browser UI extensions to upload (docs/crm/oracle.md); public
	mux.HandleFunc("GET /monitor/api/state", s.serveMonitorState)  // no params; cookie or token
	mux.HandleFunc("GET /monitor/api/events", s.serveMonitorSSE)   // no params; SSE of state; cookie or token
	mux.HandleFunc("GET /monitor/api/audit", s.serveMonitorAudit)  // no params; JSON download of the audit trail; cookie or token
	mux.Handle("POST /monitor/api/origins", http.NewCrossOriginProtection().Handler(
		http.HandlerFunc(s.serveMonitorOrigin))) // JSON {origin, allow, scopes}; cookie or token
	mux.Handle("POST /monitor/api/unpair", http.NewCrossOriginProtection().Handler(
		http.HandlerFunc(s.serveMonitorUnpair))) // JSON {origin}; cookie or token
	return mux
}

// writeJSON is the one JSON writer of the HTTP API.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client may be gone; nothing to do
}

// writeError is the one error shape of the HTTP API.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]string{"error": msg, "code": code})
}

func (s *Server) serveHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "app": "agentlink"})
}

type statusResult struct {
	App      string     `json:"app"`
	Version  string     `json:"version"`
	Protocol int        `json:"protocol"`
	System   wireSystem `json:"system"`
	Agent    struct {
		AgentID  string `json:"agentId,omitempty"`
		State    string `json:"state"`
		LoggedIn bool   `json:"loggedIn"`
	} `json:"agent"`
	Clients int `json:"clients"`
}

func (s *Server) serveStatus(w http.ResponseWriter, _ *http.Request) {
	snap := s.sess.Snapshot()
	st := statusResult{App: "agentlink", Version: s.cfg.Version, Protocol: ProtocolVersion,
		System: toWireSystem(snap.System), Clients: len(s.Clients())}
	a := toWireAgent(snap.Agent)
	st.Agent.AgentID, st.Agent.State, st.Agent.LoggedIn = a.AgentID, a.State, a.LoggedIn
	writeJSON(w, http.StatusOK, st)
}

// serveStatic serves embedded files. frame says who may frame HTML pages:
// "frame" = allowed CRM origins (the toolbar), "crm" = the same, and the
// page may frame the toolbar (CRM adapters), "none" = nobody (monitor).
func (s *Server) serveStatic(dir, frame string) http.Handler {
	sub, err := fs.Sub(assets.Web, dir)
	if err != nil {
		panic("localbridge: embedded assets missing " + dir) // wiring error
	}
	files := http.StripPrefix("/"+dir+"/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") || strings.HasSuffix(r.URL.Path, ".html") {
			s.setPageHeaders(w, frame)
		}
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}

// setPageHeaders sets the CSP of an HTML page.
func (s *Server) setPageHeaders(w http.ResponseWriter, frame string) {
	port := s.listenPort()
	ancestors, frames := "'none'", ""
	if frame == "crm" {
		frames = "frame-src 'self'; "
	}
	if frame == "frame" || frame == "crm" {
		ancestors = strings.Join(append([]string{"'self'"}, s.origins.list()...), " ")
	} else {
		w.Header().Set("X-Frame-Options", "DENY")
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"connect-src 'self' ws://127.0.0.1:"+port+" ws://localhost:"+port+"; "+
		frames+"base-uri 'none'; form-action 'none'; frame-ancestors "+ancestors)
}

// wireDialPlan is [core.DialPlan] as the SDK's dialplan.js reads it.
type wireDialPlan struct {
	CountryCode         string `json:"countryCode,omitempty"`
	OutsidePrefix       string `json:"outsidePrefix,omitempty"`
	ExtensionLengths    []int  `json:"extensionLengths,omitempty"`
	TrunkPrefix         string `json:"trunkPrefix,omitempty"`
	InternationalPrefix string `json:"internationalPrefix,omitempty"`
}

// serveDialPlan tells the CRM adapters the plan the bridge dials with, so a
// number shows in the CRM as it will be dialled. It holds nothing secret.
func (s *Server) serveDialPlan(w http.ResponseWriter, _ *http.Request) {
	p := s.cfg.DialPlan
	writeJSON(w, http.StatusOK, wireDialPlan{CountryCode: p.CountryCode, OutsidePrefix: p.OutsidePrefix,
		ExtensionLengths: p.ExtensionLengths, TrunkPrefix: p.TrunkPrefix, InternationalPrefix: p.InternationalPrefix})
}

package finessesim

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// startControl serves the control API (not part of Finesse) on ControlAddr.
// It refuses non-loopback peers.
func (s *Sim) startControl() error {
	ln, err := net.Listen("tcp", s.cfg.ControlAddr)
	if err != nil {
		return err
	}
	s.ctlLn = ln
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]string{"status": "ok"}) })
	mux.HandleFunc("POST /calls", s.ctlInject)               // {agentId|queue, ani, dnis, callType, variables:[{name,value}]}
	mux.HandleFunc("DELETE /calls/{id}", s.ctlHangUp)        // far-end hang-up
	mux.HandleFunc("POST /nodes/{node}/status", s.ctlStatus) // {"inService":bool}
	mux.HandleFunc("POST /nodes/{node}/kill", s.ctlNode(s.KillNode))
	mux.HandleFunc("POST /nodes/{node}/restore", s.ctlNode(s.RestoreNode))
	mux.HandleFunc("POST /nodes/{node}/drop-xmpp", s.ctlNode(s.DropXMPP))
	mux.HandleFunc("POST /nodes/{node}/finesse-presence", s.ctlPresence)    // {"available":bool}
	mux.HandleFunc("POST /nodes/{node}/fault", s.ctlFault)                  // {"status":503,"latencyMs":200}
	mux.HandleFunc("POST /nodes/{node}/maintenance", s.ctlMaintenance)      // {"mode":"IN_PROGRESS"}; "" ends it
	mux.HandleFunc("POST /nodes/{node}/xmpp-blackhole", s.ctlXMPPBlackhole) // {"on":bool}

	// SSO (ids.go); body {"agentId":"1001"}: revoke every token of the agent, or expire its access tokens.
	mux.HandleFunc("POST /sso/revoke", s.ctlSSO(s.RevokeSSO))
	mux.HandleFunc("POST /sso/expire", s.ctlSSO(s.ExpireSSOAccess))

	mux.HandleFunc("POST /nodes/{node}/websocket", s.ctlWebSocket) // {"on":bool}: XMPP over WebSocket at /ws
	mux.HandleFunc("POST /queues/{qid}", s.ctlQueue)               // {"callsInQueue":3,"longestWaitSec":95}
	mux.HandleFunc("POST /teams/{tid}/messages", s.ctlTeamMessage) // {"from":"Sam Super","content":"...","durationSec":300}
	mux.HandleFunc("DELETE /teams/{tid}/messages/{id}", s.ctlDeleteTeamMessage)
	mux.HandleFunc("PUT /teams/{tid}/layouts", s.ctlTeamLayouts) // {"layouts":[{"name","type","header":[entry],"columns":[[entry]]}]}
	mux.HandleFunc("DELETE /teams/{tid}/layouts", s.ctlTeamLayouts)
	mux.HandleFunc("GET /agents", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Agents()) })
	mux.HandleFunc("GET /dialogs", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Dialogs()) })
	s.mediaControl(mux) // media_control.go
	s.ctlSrv = &http.Server{Handler: loopbackOnly(mux), ReadHeaderTimeout: 10 * time.Second}
	s.wg.Go(func() { s.ctlSrv.Serve(ln) })
	return nil
}

func loopbackOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			writeJSON(w, http.StatusForbidden, map[string]string{"error": "control API is loopback only"})
			return
		}
		h.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeCtlError(w http.ResponseWriter, err error) {
	status := http.StatusBadRequest
	switch {
	case errors.Is(err, ErrUnknownDialog), errors.Is(err, ErrUnknownNode), errors.Is(err, ErrUnknownAgent):
		status = http.StatusNotFound
	case errors.Is(err, ErrNoReadyAgent), errors.Is(err, ErrAgentNotReady):
		status = http.StatusConflict
	}
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid JSON body: " + err.Error()})
		return false
	}
	return true
}

type ctlCall struct {
	AgentID   string `json:"agentId"`
	Queue     string `json:"queue"`
	ANI       string `json:"ani"`
	DNIS      string `json:"dnis"`
	CallType  string `json:"callType"`
	Variables []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"variables"`
}

func (s *Sim) ctlInject(w http.ResponseWriter, r *http.Request) {
	var c ctlCall
	if !decodeJSON(w, r, &c) {
		return
	}
	spec := CallSpec{AgentID: c.AgentID, Queue: c.Queue, ANI: c.ANI, DNIS: c.DNIS, CallType: c.CallType}
	for _, v := range c.Variables {
		spec.Variables = append(spec.Variables, Var{Name: v.Name, Value: v.Value})
	}
	id, err := s.InjectCall(spec)
	if err != nil {
		writeCtlError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"dialogId": id})
}

func (s *Sim) ctlHangUp(w http.ResponseWriter, r *http.Request) {
	if err := s.HangUp(r.PathValue("id")); err != nil {
		writeCtlError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Sim) ctlNode(f func(NodeID) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := f(NodeID(strings.ToUpper(r.PathValue("node")))); err != nil {
			writeCtlError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Sim) ctlStatus(w http.ResponseWriter, r *http.Request) {
	var body struct {
		InService *bool `json:"inService"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	if body.InService == nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "inService is required"})
		return
	}
	s.ctlNode(func(id NodeID) error { return s.SetInService(id, *body.InService) })(w, r)
}

func (s *Sim) ctlFault(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Status    int `json:"status"`
		LatencyMs int `json:"latencyMs"`
		Count     int `json:"count"` // the next N requests only; 0 = until cleared
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	if body.Status != 0 && (body.Status < 100 || body.Status > 599) || body.LatencyMs < 0 || body.Count < 0 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "status must be 0 or 100-599, latencyMs >= 0, count >= 0"})
		return
	}
	f := Fault{Status: body.Status, Latency: time.Duration(body.LatencyMs) * time.Millisecond, Count: body.Count}
	s.ctlNode(func(id NodeID) error { return s.SetRESTFault(id, f) })(w, r)
}

func sortDialogs(ds []DialogInfo) {
	slices.SortFunc(ds, func(a, b DialogInfo) int {
		x, _ := strconv.ParseInt(a.ID, 10, 64)
		y, _ := strconv.ParseInt(b.ID, 10, 64)
		return int(x - y)
	})
}

func (s *Sim) ctlPresence(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Available *bool `json:"available"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	if body.Available == nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "available is required"})
		return
	}
	s.ctlNode(func(id NodeID) error { return s.SetFinessePresence(id, *body.Available) })(w, r)
}

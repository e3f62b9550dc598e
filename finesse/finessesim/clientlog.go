package finessesim

import (
	"encoding/xml"
	"io"
	"net/http"
	"unicode/utf8"
)

// ClientLog (Cisco's "ClientLog": POST /finesse/api/User/<id>/ClientLog
// with <ClientLog><logData>, POST only; "ClientLog API Errors": 400
// Parameter Missing without logData, 400 Invalid Input over 1,048,576
// characters, 405 for GET or PUT). The success status is not in the
// reference; the simulator answers 204. Sim.ClientLogs returns what was
// posted.

const clientLogMaxChars = 1048576

func (n *Node) postClientLog(w http.ResponseWriter, r *http.Request) {
	id, ok := ownUser(w, r)
	if !ok {
		return
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		writeAPIError(w, http.StatusBadRequest, "Bad Request", "Unreadable request body", "")
		return
	}
	var req struct {
		LogData *string `xml:"logData"`
	}
	if err := xml.Unmarshal(b, &req); err != nil {
		writeAPIError(w, http.StatusBadRequest, "Bad Request", "Invalid XML in request body", err.Error())
		return
	}
	switch {
	case req.LogData == nil:
		writeAPIError(w, http.StatusBadRequest, "Parameter Missing", "logData is required", "logData")
		return
	case utf8.RuneCountInString(*req.LogData) > clientLogMaxChars:
		writeAPIError(w, http.StatusBadRequest, "Invalid Input", "logData exceeds 1048576 characters", "logData")
		return
	}
	s := n.sim
	s.mu.Lock()
	if s.clientLogs == nil {
		s.clientLogs = map[string][]string{}
	}
	s.clientLogs[id] = append(s.clientLogs[id], *req.LogData)
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// ClientLogs returns the logs the agent posted, oldest first.
func (s *Sim) ClientLogs(agentID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.clientLogs[agentID]...)
}

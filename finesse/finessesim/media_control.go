package finessesim

import (
	"fmt"
	"net/http"
)

// Control API for MRDs (media.go): what an agent's task desktop and the
// routing of non-voice tasks would do.
//
//	GET    /agents/{id}/media             -> [{"mrdId","state","tasks"}]
//	POST   /agents/{id}/media/{mrd}       {"state":"LOGIN"|"READY"|"NOT_READY"|"LOGOUT"}
//	POST   /agents/{id}/media/{mrd}/tasks -> {"taskId":"task-7"}
//	DELETE /agents/{id}/tasks/{tid}
func (s *Sim) mediaControl(mux *http.ServeMux) {
	mux.HandleFunc("GET /agents/{id}/media", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Media(r.PathValue("id")))
	})
	mux.HandleFunc("POST /agents/{id}/media/{mrd}", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			State string `json:"state"`
		}
		if !decodeJSON(w, r, &body) {
			return
		}
		if err := s.SetMediaState(r.PathValue("id"), r.PathValue("mrd"), body.State); err != nil {
			writeCtlError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /agents/{id}/media/{mrd}/tasks", func(w http.ResponseWriter, r *http.Request) {
		id, err := s.AddTask(r.PathValue("id"), r.PathValue("mrd"))
		if err != nil {
			writeCtlError(w, err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"taskId": id})
	})
	mux.HandleFunc("DELETE /agents/{id}/tasks/{tid}", func(w http.ResponseWriter, r *http.Request) {
		if err := s.CloseTask(r.PathValue("id"), r.PathValue("tid")); err != nil {
			writeCtlError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// MediaInfo is one agent's state in one MRD, as the control API shows it.
type MediaInfo struct {
	MRD   string   `json:"mrdId"`
	State string   `json:"state"`
	Tasks []string `json:"tasks"`
}

// Media returns the agent's state in every MRD.
func (s *Sim) Media(agentID string) []MediaInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.agents[agentID]
	if a == nil {
		return nil
	}
	var out []MediaInfo
	for _, m := range s.cfg.MRDs {
		ms := s.mediaOfLocked(a, m.ID)
		out = append(out, MediaInfo{MRD: m.ID, State: ms.state, Tasks: append([]string(nil), ms.tasks...)})
	}
	return out
}

// SetMediaState signs the agent in to an MRD (state LOGIN, with
// maxDialogLimit 5) or changes its state there, as the agent's task
// desktop would.
func (s *Sim) SetMediaState(agentID, mrd, state string) error {
	s.mu.Lock()
	a := s.agents[agentID]
	s.mu.Unlock()
	if a == nil {
		return fmt.Errorf("finessesim: unknown agent %q", agentID)
	}
	return s.mediaRequest(agentID, mrd, reqMedia{State: state, MaxDialogLimit: "5", InterruptAction: "IGNORE"}, "")
}

// AddTask gives a signed-in agent a task in an MRD (a Dialogs POST on the
// MRD's Dialogs node) and returns its id.
func (s *Sim) AddTask(agentID, mrd string) (string, error) {
	m, found := s.mrd(mrd)
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.agents[agentID]
	if a == nil || !found {
		return "", fmt.Errorf("finessesim: unknown agent %q or MRD %q", agentID, mrd)
	}
	ms := s.mediaOfLocked(a, mrd)
	if ms.state == stLogout {
		return "", fmt.Errorf("finessesim: agent %s is not signed in to MRD %s", agentID, mrd)
	}
	s.seq++
	id := fmt.Sprintf("task-%d", s.seq)
	ms.tasks = append(ms.tasks, id)
	st := s.newStep("", false)
	st.taskEvent(a, m, id, "ACTIVE", "POST")
	s.flushLocked(st)
	return id, nil
}

// CloseTask closes a task (a Dialogs DELETE).
func (s *Sim) CloseTask(agentID, taskID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.agents[agentID]
	if a == nil {
		return fmt.Errorf("finessesim: unknown agent %q", agentID)
	}
	for _, m := range s.cfg.MRDs {
		ms := s.mediaOfLocked(a, m.ID)
		for i, t := range ms.tasks {
			if t == taskID {
				ms.tasks = append(ms.tasks[:i], ms.tasks[i+1:]...)
				st := s.newStep("", false)
				st.taskEvent(a, m, t, "CLOSED", "DELETE")
				s.flushLocked(st)
				return nil
			}
		}
	}
	return fmt.Errorf("finessesim: agent %s has no task %q", agentID, taskID)
}

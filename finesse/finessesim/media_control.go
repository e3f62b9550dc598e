package finessesim

import "net/http"

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

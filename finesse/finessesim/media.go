package finessesim

import (
	"net/http"
	"strconv"
)

// Non-voice Media Routing Domains (UCCE chat, email, tasks), after Cisco's
// Media APIs: GET /User/{id}/Media (MediaList), GET and PUT
// /User/{id}/Media/{mrdId} (LOGIN, READY, NOT_READY, LOGOUT), GET
// /User/{id}/Dialogs/Media, and notifications on /User/{id}/Media/{mrdId}
// and /User/{id}/Media/{mrdId}/Dialogs. A voice sign-out signs the agent
// out of every MRD (reference §2.2 [doc]). Tasks are created and closed
// through the control API only: the simulator does not route them.

// MRDConfig is one non-voice Media Routing Domain every agent belongs to.
type MRDConfig struct {
	ID, Name, Description string
}

// mediaState is one agent's state in one MRD. Guarded by Sim.mu.
type mediaState struct {
	state, reasonCodeID string
	since               string
	maxDialogs          string
	interruptAction     string
	logoutAction        string
	tasks               []string // open task ids
}

type wireSimMedia struct {
	URI                string `xml:"uri"`
	Description        string `xml:"description"`
	DialogLogoutAction string `xml:"dialogLogoutAction,omitempty"`
	ID                 string `xml:"id"`
	Interruptible      string `xml:"interruptible"`
	MaxDialogLimit     string `xml:"maxDialogLimit,omitempty"`
	Name               string `xml:"name"`
	ReasonCodeID       string `xml:"reasonCodeId,omitempty"`
	Routable           string `xml:"routable,omitempty"`
	State              string `xml:"state,omitempty"`
	StateChangeTime    string `xml:"stateChangeTime,omitempty"`
	InterruptAction    string `xml:"interruptAction,omitempty"`
}

type wireSimMediaList struct {
	Media []wireSimMedia `xml:"Media"`
}

type wireSimTask struct {
	URI       string `xml:"uri"`
	ID        string `xml:"id"`
	MediaType string `xml:"mediaType"`
	State     string `xml:"state"`
	MediaID   string `xml:"mediaProperties>mediaId"`
}

type wireSimTasks struct {
	Dialogs []wireSimTask `xml:"Dialog"`
}

type reqMedia struct {
	State              string `xml:"state"`
	ReasonCodeID       string `xml:"reasonCodeId"`
	MaxDialogLimit     string `xml:"maxDialogLimit"`
	InterruptAction    string `xml:"interruptAction"`
	DialogLogoutAction string `xml:"dialogLogoutAction"`
}

func mediaNode(agentID, mrd string) string { return userNode(agentID) + "/Media/" + mrd }

func (s *Sim) mrd(id string) (MRDConfig, bool) {
	for _, m := range s.cfg.MRDs {
		if m.ID == id {
			return m, true
		}
	}
	return MRDConfig{}, false
}

func (s *Sim) mediaOfLocked(a *agent, mrd string) *mediaState {
	if a.media == nil {
		a.media = map[string]*mediaState{}
	}
	ms := a.media[mrd]
	if ms == nil {
		ms = &mediaState{state: stLogout}
		a.media[mrd] = ms
	}
	return ms
}

func (s *Sim) wireMediaLocked(a *agent, m MRDConfig) wireSimMedia {
	ms := s.mediaOfLocked(a, m.ID)
	w := wireSimMedia{URI: mediaNode(a.cfg.ID, m.ID), Description: m.Description, ID: m.ID, Interruptible: "true",
		Name: m.Name, State: ms.state, StateChangeTime: ms.since}
	if ms.state != stLogout {
		w.DialogLogoutAction, w.MaxDialogLimit, w.InterruptAction = ms.logoutAction, ms.maxDialogs, ms.interruptAction
		w.ReasonCodeID, w.Routable = ms.reasonCodeID, "true"
	}
	return w
}

// mediaEvent queues a Media PUT of a's state in m.
func (st *step) mediaEvent(a *agent, m MRDConfig) {
	doc := updateDoc(encodeRoot(st.s.wireMediaLocked(a, m), "media"), "PUT", st.rid, mediaNode(a.cfg.ID, m.ID))
	st.users = append(st.users, event{agentID: a.cfg.ID, pubsubNode: mediaNode(a.cfg.ID, m.ID), doc: doc})
}

// taskEvent queues a POST or DELETE of one task on the MRD's Dialogs node.
func (st *step) taskEvent(a *agent, m MRDConfig, id, state, verb string) {
	node := mediaNode(a.cfg.ID, m.ID) + "/Dialogs"
	t := wireSimTask{URI: dialogURI(id), ID: id, MediaType: m.Name, State: state, MediaID: m.ID}
	doc := updateDoc(encodeRoot(wireSimTasks{Dialogs: []wireSimTask{t}}, "dialogs"), verb, st.rid, node)
	st.dialogs = append(st.dialogs, event{agentID: a.cfg.ID, pubsubNode: node, doc: doc})
}

func (n *Node) getMediaList(w http.ResponseWriter, r *http.Request) {
	id, ok := ownUser(w, r)
	if !ok {
		return
	}
	s := n.sim
	if len(s.cfg.MRDs) == 0 || s.cfg.Deployment == UCCX {
		// Media APIs are UCCE only.
		writeAPIError(w, http.StatusNotFound, "Not Found", "Resource not found", r.URL.Path)
		return
	}
	s.mu.Lock()
	var l wireSimMediaList
	for _, m := range s.cfg.MRDs {
		l.Media = append(l.Media, s.wireMediaLocked(s.agents[id], m))
	}
	s.mu.Unlock()
	writeXML(w, l, "MediaList")
}

func (n *Node) getMedia(w http.ResponseWriter, r *http.Request) {
	id, ok := ownUser(w, r)
	if !ok {
		return
	}
	s := n.sim
	m, found := s.mrd(r.PathValue("mrd"))
	if !found || s.cfg.Deployment == UCCX {
		writeAPIError(w, http.StatusNotFound, "Not Found", "mrdId not known", r.PathValue("mrd"))
		return
	}
	s.mu.Lock()
	body := s.wireMediaLocked(s.agents[id], m)
	s.mu.Unlock()
	writeXML(w, body, "Media")
}

func (n *Node) getMediaDialogs(w http.ResponseWriter, r *http.Request) {
	id, ok := ownUser(w, r)
	if !ok {
		return
	}
	s := n.sim
	s.mu.Lock()
	var out wireSimTasks
	a := s.agents[id]
	for _, m := range s.cfg.MRDs {
		for _, t := range s.mediaOfLocked(a, m.ID).tasks {
			out.Dialogs = append(out.Dialogs, wireSimTask{URI: dialogURI(t), ID: t, MediaType: m.Name, State: "ACTIVE", MediaID: m.ID})
		}
	}
	s.mu.Unlock()
	writeXML(w, out, "Dialogs")
}

func (n *Node) putMedia(w http.ResponseWriter, r *http.Request) {
	id, ok := ownUser(w, r)
	if !ok {
		return
	}
	var req reqMedia
	if err := decodeBody(r, &req); err != nil {
		writeErr(w, err)
		return
	}
	if err := n.sim.mediaRequest(id, r.PathValue("mrd"), req, r.Header.Get("requestId")); err != nil {
		writeErr(w, err)
		return
	}
	accepted(w)
}

// mediaRequest applies a Media PUT (Media—Sign In, Change State, Sign Out).
func (s *Sim) mediaRequest(id, mrd string, req reqMedia, rid string) error {
	m, found := s.mrd(mrd)
	if !found || s.cfg.Deployment == UCCX {
		return &apiErr{Status: http.StatusNotFound, Type: "Not Found", Message: "mrdId not known", Data: mrd}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.agents[id]
	ms := s.mediaOfLocked(a, mrd)
	switch req.State {
	case stLogin:
		if ms.state != stLogout {
			return badRequest("Invalid State", "E_ARM_STAT_AGENT_ALREADY_LOGGED_IN", "1")
		}
		if n, err := strconv.Atoi(req.MaxDialogLimit); err != nil || n < 1 || n > 10 {
			return badRequest("Invalid Input", "maxDialogLimit must be 1-10", "maxDialogLimit")
		}
		ms.maxDialogs, ms.interruptAction, ms.logoutAction = req.MaxDialogLimit, req.InterruptAction, req.DialogLogoutAction
		if ms.logoutAction == "" {
			ms.logoutAction = "CLOSE"
		}
		req.State = stNotReady
	case stReady, stNotReady, stLogout:
		if ms.state == stLogout {
			return badRequest("Invalid State", "E_ARM_STAT_AGENT_NOT_LOGGED_IN", "6")
		}
	default:
		return badRequest("Invalid Input", "Invalid State specified for media", "state")
	}
	st := s.newStep(rid, true)
	s.setMediaLocked(a, m, req.State, req.ReasonCodeID, st)
	s.flushLocked(st)
	return nil
}

// setMediaLocked moves a to state in m; a sign-out closes its tasks.
func (s *Sim) setMediaLocked(a *agent, m MRDConfig, state, reason string, st *step) {
	ms := s.mediaOfLocked(a, m.ID)
	if ms.state == state && ms.reasonCodeID == reason {
		return
	}
	ms.state, ms.reasonCodeID, ms.since = state, reason, stamp(s.now())
	if state == stLogout {
		for _, t := range ms.tasks {
			st.taskEvent(a, m, t, "CLOSED", "DELETE")
		}
		ms.tasks = nil
	}
	st.mediaEvent(a, m)
}

// mediaLogoutLocked signs a out of every MRD: Finesse's voice sign-out
// does that (reference §2.2).
func (s *Sim) mediaLogoutLocked(a *agent, st *step) {
	for _, m := range s.cfg.MRDs {
		if ms := s.mediaOfLocked(a, m.ID); ms.state != stLogout {
			s.setMediaLocked(a, m, stLogout, "", st)
		}
	}
}

func (n *Node) mediaRoutes(mux *http.ServeMux, api string) {
	mux.HandleFunc("GET "+api+"/User/{id}/Media", n.getMediaList)
	mux.HandleFunc("GET "+api+"/User/{id}/Media/{mrd}", n.getMedia)
	mux.HandleFunc("PUT "+api+"/User/{id}/Media/{mrd}", n.putMedia)
	mux.HandleFunc("GET "+api+"/User/{id}/Dialogs/Media", n.getMediaDialogs)
}

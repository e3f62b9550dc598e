package finessesim

import (
	"net/http"
	"strconv"
)

// Configuration endpoints (reference §2.5–2.8). They publish no events.

func (n *Node) getUserReasonCodes(w http.ResponseWriter, r *http.Request) {
	if _, ok := ownUser(w, r); !ok {
		return
	}
	n.serveReasonCodes(w, r, false)
}

func (n *Node) getTeamReasonCodes(w http.ResponseWriter, r *http.Request) {
	if !n.teamMember(w, r) {
		return
	}
	n.serveReasonCodes(w, r, true)
}

// serveReasonCodes answers a ReasonCodes list; category is mandatory.
func (n *Node) serveReasonCodes(w http.ResponseWriter, r *http.Request, allowAll bool) {
	cat := r.URL.Query().Get("category")
	out := wireReasonCodes{Category: cat}
	switch {
	case cat == "":
		writeAPIError(w, http.StatusBadRequest, "Parameter Missing", "category is required", "category")
		return
	case cat == "NOT_READY":
		out.Codes = notReadyCodes
	case cat == "LOGOUT":
		out.Codes = logoutCodes
	case cat == "ALL" && allowAll:
		out.Codes = append(append([]wireListedReasonCode{}, notReadyCodes...), logoutCodes...)
	default:
		writeAPIError(w, http.StatusBadRequest, "Invalid Input", "Invalid category", "category")
		return
	}
	writeXML(w, out, "ReasonCodes")
}

func (n *Node) getUserReasonCode(w http.ResponseWriter, r *http.Request) {
	if _, ok := ownUser(w, r); !ok {
		return
	}
	rid := r.PathValue("rid")
	for _, cat := range []string{"NOT_READY", "LOGOUT"} {
		if rc, ok := reasonCode(cat, rid); ok {
			writeXML(w, rc, "ReasonCode")
			return
		}
	}
	writeAPIError(w, http.StatusNotFound, "Not Found", "Reason code not found", rid)
}

// teamMember checks that the TeamResource team is the caller's team.
func (n *Node) teamMember(w http.ResponseWriter, r *http.Request) bool {
	s := n.sim
	s.mu.Lock()
	team := s.agents[userFrom(r.Context())].cfg.TeamID
	s.mu.Unlock()
	if r.PathValue("tid") != team {
		writeAPIError(w, http.StatusUnauthorized, "Invalid Authorization User Specified",
			"User is not a member of this team", r.PathValue("tid"))
		return false
	}
	return true
}

func (n *Node) getUserWrapUps(w http.ResponseWriter, r *http.Request) {
	if _, ok := ownUser(w, r); ok {
		writeXML(w, wireWrapUpReasons{Reasons: wrapUpReasons}, "WrapUpReasons")
	}
}

func (n *Node) getTeamWrapUps(w http.ResponseWriter, r *http.Request) {
	if n.teamMember(w, r) {
		writeXML(w, wireWrapUpReasons{Reasons: wrapUpReasons}, "WrapUpReasons")
	}
}

// The phone-book handlers are in phonebook_range.go.

func (n *Node) getUserQueues(w http.ResponseWriter, r *http.Request) {
	if _, ok := ownUser(w, r); !ok {
		return
	}
	var out wireQueues
	for _, q := range queues {
		out.Queues = append(out.Queues, n.sim.queueStats(q.ID, q.Name))
	}
	writeXML(w, out, "Queues")
}

func (n *Node) getQueue(w http.ResponseWriter, r *http.Request) {
	qid := r.PathValue("qid")
	for _, q := range queues {
		if q.ID == qid {
			writeXML(w, n.sim.queueStats(q.ID, q.Name), "Queue")
			return
		}
	}
	writeAPIError(w, http.StatusNotFound, "Not Found", "Queue not found", qid)
}

// queueStats counts agents by state; every agent serves every queue. UCCX
// reports -1 for all statistics (reference §2.8).
func (s *Sim) queueStats(id, name string) wireQueue {
	q := wireQueue{URI: "/finesse/api/Queue/" + id, Name: name}
	st := &q.Statistics
	if s.cfg.Deployment == UCCX {
		for _, p := range []*string{&st.CallsInQueue, &st.StartTimeOfLongestCallInQueue, &st.AgentsReady,
			&st.AgentsNotReady, &st.AgentsBusyOther, &st.AgentsLoggedOn, &st.AgentsTalkingInbound,
			&st.AgentsTalkingOutbound, &st.AgentsTalkingInternal, &st.AgentsWrapUpNotReady, &st.AgentsWrapUpReady} {
			*p = "-1"
		}
		return q
	}
	count := map[string]int{}
	s.mu.Lock()
	for _, a := range s.agents {
		count[a.state]++
	}
	s.mu.Unlock()
	itoa := strconv.Itoa
	loggedOn := len(s.cfg.Agents) - count[stLogout]
	st.CallsInQueue, st.AgentsReady, st.AgentsNotReady = "0", itoa(count[stReady]), itoa(count[stNotReady])
	st.AgentsBusyOther, st.AgentsLoggedOn = "0", itoa(loggedOn)
	st.AgentsTalkingInbound = itoa(count[stTalking] + count[stHold] + count[stReserved])
	st.AgentsTalkingOutbound, st.AgentsTalkingInternal = "0", "0"
	st.AgentsWrapUpNotReady, st.AgentsWrapUpReady = itoa(count[stWork]), itoa(count[stWorkReady])
	s.overrideQueue(&q, id) // waiting calls set by the control API (queue_board.go)
	return q
}

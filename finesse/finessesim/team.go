package finessesim

import "net/http"

// Team summaries (reference §2.9) and the Team/{id}/Users notification node
// (§6.3), published only to sessions that subscribed to it explicitly (§6.6).

type wireTeamUser struct {
	URI             string          `xml:"uri"`
	LoginID         string          `xml:"loginId"`
	FirstName       string          `xml:"firstName"`
	LastName        string          `xml:"lastName"`
	Dialogs         string          `xml:"dialogs"`
	Extension       string          `xml:"extension"`
	PendingState    string          `xml:"pendingState"`
	State           string          `xml:"state"`
	StateChangeTime string          `xml:"stateChangeTime"`
	ReasonCode      *wireReasonCode `xml:"ReasonCode,omitempty"`
}

type wireTeam struct {
	URI   string         `xml:"uri"`
	ID    string         `xml:"id"`
	Name  string         `xml:"name"`
	Users []wireTeamUser `xml:"users>User"`
}

func teamUsersNode(team string) string { return "/finesse/api/Team/" + team + "/Users" }

func (s *Sim) wireTeamUserLocked(a *agent) wireTeamUser {
	u := s.wireUserLocked(a)
	return wireTeamUser{URI: u.URI, LoginID: u.LoginID, FirstName: u.FirstName, LastName: u.LastName,
		Dialogs: u.Dialogs, Extension: u.Extension, PendingState: u.PendingState, State: u.State,
		StateChangeTime: u.StateChangeTime, ReasonCode: u.ReasonCode}
}

// getTeam serves GET /finesse/api/Team/{tid} to members of that team.
func (n *Node) getTeam(w http.ResponseWriter, r *http.Request) {
	if !n.teamMember(w, r) {
		return
	}
	s, tid := n.sim, r.PathValue("tid")
	s.mu.Lock()
	t := wireTeam{URI: "/finesse/api/Team/" + tid, ID: tid, Name: "Sim Team"}
	for _, id := range s.order {
		if a := s.agents[id]; a.cfg.TeamID == tid {
			t.Users = append(t.Users, s.wireTeamUserLocked(a))
		}
	}
	s.mu.Unlock()
	writeXML(w, t, "Team")
}

// subscribe records an explicit XEP-0060 subscription of a session.
func (s *Sim) subscribe(x *xsession, node string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if x.subs == nil {
		x.subs = map[string]bool{}
	}
	if on {
		x.subs[node] = true
	} else {
		delete(x.subs, node)
	}
}

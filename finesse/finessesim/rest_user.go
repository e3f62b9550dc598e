package finessesim

import (
	"context"
	"net/http"
)

type userKey struct{}

func withUser(ctx context.Context, user string) context.Context {
	return context.WithValue(ctx, userKey{}, user)
}

func userFrom(ctx context.Context) string {
	u, _ := ctx.Value(userKey{}).(string)
	return u
}

// ownUser enforces "agents may act only on their own User" (reference §2).
func ownUser(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := r.PathValue("id")
	if id != userFrom(r.Context()) {
		writeAPIError(w, http.StatusUnauthorized, "Invalid Authorization User Specified",
			"Invalid Authorization User Specified", id)
		return "", false
	}
	return id, true
}

func (s *Sim) inService(n *Node) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return n.inService
}

func (n *Node) getSystemInfo(w http.ResponseWriter, r *http.Request) {
	s := n.sim
	s.mu.Lock()
	si := s.wireSystemInfoLocked(n)
	s.mu.Unlock()
	writeXML(w, si, "SystemInfo")
}

func (n *Node) getUser(w http.ResponseWriter, r *http.Request) {
	// UCCE: GET User/{loginName} also returns the User (reference §1.2);
	// the simulator's loginName is "agent" + loginId.
	if me := userFrom(r.Context()); r.PathValue("id") == "agent"+me {
		r.SetPathValue("id", me)
	}
	id, ok := ownUser(w, r)
	if !ok {
		return
	}
	s := n.sim
	s.mu.Lock()
	u := s.wireUserLocked(s.agents[id])
	s.mu.Unlock()
	writeXML(w, u, "User")
}

func (n *Node) putUser(w http.ResponseWriter, r *http.Request) {
	id, ok := ownUser(w, r)
	if !ok {
		return
	}
	var req reqUser
	if err := decodeBody(r, &req); err != nil {
		writeErr(w, err)
		return
	}
	if err := n.sim.userRequest(id, req, r.Header.Get("requestId")); err != nil {
		writeErr(w, err)
		return
	}
	accepted(w)
}

func (n *Node) getDialogs(w http.ResponseWriter, r *http.Request) {
	id, ok := ownUser(w, r)
	if !ok {
		return
	}
	s := n.sim
	s.mu.Lock()
	var list wireDialogs
	for _, did := range s.agents[id].dialogs {
		list.Dialogs = append(list.Dialogs, s.wireDialogLocked(s.dialogs[did]))
	}
	s.mu.Unlock()
	writeXML(w, list, "Dialogs")
}

func (n *Node) postDialogs(w http.ResponseWriter, r *http.Request) {
	id, ok := ownUser(w, r)
	if !ok {
		return
	}
	var req reqDialog
	if err := decodeBody(r, &req); err != nil {
		writeErr(w, err)
		return
	}
	if err := n.sim.makeCall(id, req, r.Header.Get("requestId")); err != nil {
		writeErr(w, err)
		return
	}
	accepted(w)
}

// visibleDialog finds a dialog the requesting agent may see: 404 if it does
// not exist (or is gone), 401 if it is someone else's call.
func (s *Sim) visibleDialogLocked(user, did string) (*dialog, error) {
	d := s.dialogs[did]
	if d == nil {
		return nil, &apiErr{Status: http.StatusNotFound, Type: "Dialog Not Found",
			Message: "Invalid dialogId specified for dialog", Data: did}
	}
	if !s.agents[user].hasDialog(did) {
		return nil, &apiErr{Status: http.StatusUnauthorized, Type: "Invalid Authorization User Specified",
			Message: "User is not a participant of this dialog", Data: did}
	}
	return d, nil
}

func (n *Node) getDialog(w http.ResponseWriter, r *http.Request) {
	s := n.sim
	s.mu.Lock()
	d, err := s.visibleDialogLocked(userFrom(r.Context()), r.PathValue("did"))
	var wd wireDialog
	if err == nil {
		wd = s.wireDialogLocked(d)
	}
	s.mu.Unlock()
	if err != nil {
		writeErr(w, err)
		return
	}
	writeXML(w, wd, "Dialog")
}

func (n *Node) putDialog(w http.ResponseWriter, r *http.Request) {
	var req reqDialog
	if err := decodeBody(r, &req); err != nil {
		writeErr(w, err)
		return
	}
	err := n.sim.dialogRequest(userFrom(r.Context()), r.PathValue("did"), req, r.Header.Get("requestId"))
	if err != nil {
		writeErr(w, err)
		return
	}
	accepted(w)
}

package localbridge

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/agentlink/agentlink/core"
)

type connectArgs struct {
	AgentID string  `json:"agentId"`
	Since   *uint64 `json:"since"`
	Epoch   string  `json:"epoch"` // the epoch since was read in (Connect's result)
	Lease   bool    `json:"lease"` // takes part in the screen-pop lease (owner.go)
}

// serveConnect starts the client's watcher and answers with a snapshot, or
// with resumed: true when the events since the client's last seq are still
// in the session's ring. The response and the watcher travel together
// through the send queue, so the events follow the response in order.
func serveConnect(ctx context.Context, c *client, req wireRequest) {
	var a connectArgs
	if err := decodeArgs(req.Args, &a); err != nil {
		c.reply(req.ID, nil, toRequestError(err))
		return
	}
	if err := c.srv.checkAgent(a.AgentID); err != nil {
		c.reply(req.ID, nil, err)
		return
	}
	var opts core.WatchOptions
	if a.Since != nil {
		opts.Since = *a.Since
	}
	opts.Epoch = a.Epoch
	w := c.srv.sess.watch(opts)
	res := connectResult{Resumed: opts.Since > 0 && w.Resumed(), Epoch: w.Snapshot().Epoch}
	if res.Resumed {
		res.Seq = opts.Since
	} else {
		snap := w.Snapshot()
		res.Seq = snap.Seq
		res.Snapshot = toWireSnapshot(snap)
		c.srv.addLists(ctx, res.Snapshot, snap.Agent)
	}
	data, err := json.Marshal(wireResponse{ID: req.ID, OK: true, Result: res})
	if err != nil {
		w.Close()
		c.reply(req.ID, nil, toRequestError(err))
		return
	}
	c.mu.Lock()
	c.state = stateConnected
	if a.AgentID != "" {
		c.agent = a.AgentID
	}
	c.lease = c.lease || a.Lease
	c.seen = c.srv.cfg.Now()
	c.mu.Unlock()
	c.enqueue(outItem{data: data, watch: w})
	c.srv.connectedForLease(c)
	c.srv.notifyChanged()
}

// checkAgent refuses a Connect for another agent than the one signed in:
// a toolbar set up for agent X must never show (or drive) agent Y's calls.
// An empty agentId, or no agent signed in yet, is fine.
func (s *Server) checkAgent(agentID string) *RequestError {
	signedIn := s.sess.Snapshot().Agent
	if agentID == "" || !signedIn.LoggedIn() || signedIn.ID == "" || signedIn.ID == agentID {
		return nil
	}
	return &RequestError{Code: CodeAgentMismatch, Message: fmt.Sprintf(
		"AgentLink is signed in as agent %s, not %s: sign out there first, or connect as %s",
		signedIn.ID, agentID, signedIn.ID)}
}

// addLists adds reason codes and wrap-up reasons to a snapshot when the
// agent is logged in. A failure leaves them out; the toolbar can ask again
// with GetReasonCodes.
func (s *Server) addLists(ctx context.Context, snap *wireSnapshot, agent core.Agent) {
	if !agent.LoggedIn() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, listTimeout)
	defer cancel()
	snap.ReasonCodes = map[string][]wireReasonCode{}
	for _, cat := range []core.ReasonCategory{core.CategoryNotReady, core.CategoryLogout} {
		rs, err := s.sess.ReasonCodes(ctx, cat)
		if err != nil {
			s.log.Debug("bridge snapshot without reason codes", "category", string(cat), "err", err)
			continue
		}
		snap.ReasonCodes[string(cat)] = toWireReasonCodes(rs)
	}
	ws, err := s.sess.WrapUpReasons(ctx)
	if err != nil {
		s.log.Debug("bridge snapshot without wrap-up reasons", "err", err)
		return
	}
	snap.WrapUpReasons = toWireWrapUps(ws)
}

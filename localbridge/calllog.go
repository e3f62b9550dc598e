package localbridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/agentlink/agentlink/core"
)

// Call logging exactly once (issue 11). The app keeps an outbox of ended
// calls (Config.CallLog; package callstore). The bridge offers every ended
// call no CRM has acknowledged yet to the screen-pop lease holder, as a
// CallLog event (seq 0: the bridge's own, like Owner), whenever the lease
// changes hands (a tab connects, reconnects after a reload or an app
// restart, or claims it) and whenever a call becomes ready (it ended with
// its wrap-up reason, or its wrap-up is over). The adapter logs it in the
// CRM and, once the CRM confirmed the save, sends AckCallLog {id, crmRef};
// only then does the call leave the outbox. An offer may come more than
// once (each new lease holder gets them all again): the adapter dedupes by
// the record id.

// CallLog is the outbox as the bridge uses it; *callstore.Store implements
// it, cmd/agentlink wires it.
type CallLog interface {
	// Unlogged lists the ended calls not acknowledged yet, oldest first.
	Unlogged() []core.CallRecord
	// Ack marks a call logged; already when it was acknowledged before.
	// An unknown id wraps core.ErrNoSuchCall.
	Ack(id, crmRef string) (already bool, err error)
	// Changes signals (coalesced) that Unlogged changed.
	Changes() <-chan struct{}
}

// eventCallLog names the offer event.
const eventCallLog = "CallLog"

// CodeNoSuchCall answers an AckCallLog for a call the outbox does not hold.
const CodeNoSuchCall = "no_such_call"

// maxCRMRef bounds the CRM's reference kept with an acknowledgement.
const maxCRMRef = 256

// wireCallLog is the data of a CallLog event: the call's summary (the same
// shape as DialogEnded's data, id being the record id) plus the dialog id
// and whether it ended while AgentLink was not running.
type wireCallLog struct {
	wireSummary
	DialogID string `json:"dialogId"`
}

func toWireCallLog(r core.CallRecord) wireCallLog {
	w := wireCallLog{wireSummary: toWireSummary(r.Summary), DialogID: r.Summary.DialogID}
	w.ID = r.ID
	return w
}

type ackArgs struct {
	ID     string `json:"id"`
	CRMRef string `json:"crmRef"`
}

// cmdAckCallLog acknowledges a call the CRM confirmed it saved.
func cmdAckCallLog(_ context.Context, c *client, raw json.RawMessage) (any, error) {
	var a ackArgs
	if err := decodeArgs(raw, &a); err != nil {
		return nil, err
	}
	switch {
	case a.ID == "":
		return nil, badRequest("args.id is required (the id of the CallLog event)")
	case len(a.CRMRef) > maxCRMRef:
		return nil, badRequest("args.crmRef is longer than %d bytes", maxCRMRef)
	case c.srv.cfg.CallLog == nil:
		return nil, &RequestError{Code: CodeNoSuchCall, Message: "this AgentLink keeps no call outbox"}
	}
	already, err := c.srv.cfg.CallLog.Ack(a.ID, a.CRMRef)
	if errors.Is(err, core.ErrNoSuchCall) {
		return nil, &RequestError{Code: CodeNoSuchCall, Message: fmt.Sprintf("no call %q waits to be logged (never recorded, or past its retention)", a.ID), Err: err}
	}
	if err != nil {
		return nil, err
	}
	c.srv.log.Info("call logged by the CRM", "call", a.ID, "crmRef", a.CRMRef, "client", c.id, "already", already)
	return map[string]any{"acked": true, "already": already}, nil
}

// offerCallLogs sends c every call waiting to be logged that is ready.
func (s *Server) offerCallLogs(c *client) {
	if s.cfg.CallLog == nil || c == nil {
		return
	}
	for _, r := range s.cfg.CallLog.Unlogged() {
		if r.Pending {
			continue
		}
		data, err := json.Marshal(wireEvent{Event: eventCallLog, Seq: 0, Data: toWireCallLog(r)})
		if err != nil {
			continue
		}
		c.enqueue(outItem{data: data})
	}
}

// ownerClient is the connected client holding the lease, or nil.
func (s *Server) ownerClient() *client {
	id := s.ownerID()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clients[id]
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != stateConnected {
		return nil
	}
	return c
}

// watchCallLog offers calls to the lease holder as they become ready and
// tells the monitor and the softphone, until ctx ends.
func (s *Server) watchCallLog(ctx context.Context) {
	if s.cfg.CallLog == nil {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.cfg.CallLog.Changes():
			s.offerCallLogs(s.ownerClient())
			s.notifyChanged()
		}
	}
}

// Unlogged lists the ended calls no CRM has logged yet (nil without an
// outbox): what the monitor and the softphone show.
func (s *Server) Unlogged() []core.CallRecord {
	if s.cfg.CallLog == nil {
		return nil
	}
	return s.cfg.CallLog.Unlogged()
}

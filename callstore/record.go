package callstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/agentlink/agentlink/core"
)

// state is where a record is in its life.
type state string

const (
	stateLive    state = "live"    // the call is in progress
	statePending state = "pending" // ended, waiting for the wrap-up reason
	stateReady   state = "ready"   // ended, offered for logging
	stateAcked   state = "acked"   // the CRM saved its log
	// stateLeg: a consult or conference leg, never offered for logging;
	// kept (like an acknowledged call) until the retention drops it.
	stateLeg state = "leg"
)

// record is one call as stored (JSON in the bucket). Disk types stay here,
// at the edge: core's types carry no encoding tags.
type record struct {
	ID           string     `json:"id"`
	DialogID     string     `json:"dialogId"`
	State        state      `json:"state"`
	CallType     string     `json:"callType,omitempty"`
	From         string     `json:"from,omitempty"`
	To           string     `json:"to,omitempty"`
	Started      time.Time  `json:"started"`
	Answered     time.Time  `json:"answered"`
	Ended        time.Time  `json:"ended"`
	WrapUpReason string     `json:"wrapUpReason,omitempty"`
	Variables    []variable `json:"variables,omitempty"`
	Away         bool       `json:"away,omitempty"`
	// Added for the original call on a transfer; records written before
	// lack them and load as a call of the agent's own.
	OriginalID  string    `json:"originalId,omitempty"`
	SecondaryID string    `json:"secondaryId,omitempty"`
	Consult     bool      `json:"consult,omitempty"`
	CRMRef      string    `json:"crmRef,omitempty"`
	AckedAt     time.Time `json:"ackedAt"`
	Updated     time.Time `json:"updated"`
	volatile    bool      // kept in memory only
}

type variable struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

func fromSummary(sum core.CallSummary) record {
	r := record{ID: sum.DialogID, DialogID: sum.DialogID, CallType: sum.CallType, From: sum.From, To: sum.To,
		Started: sum.Started, Answered: sum.Answered, Ended: sum.Ended, WrapUpReason: sum.WrapUpReason, Away: sum.Away,
		OriginalID: sum.OriginalID, SecondaryID: sum.SecondaryID, Consult: sum.Consult}
	for _, v := range sum.Variables {
		r.Variables = append(r.Variables, variable(v))
	}
	return r
}

func (r record) summary() core.CallSummary {
	s := core.CallSummary{DialogID: r.DialogID, CallType: r.CallType, From: r.From, To: r.To,
		Started: r.Started, Answered: r.Answered, Ended: r.Ended, WrapUpReason: r.WrapUpReason, Away: r.Away,
		OriginalID: r.OriginalID, SecondaryID: r.SecondaryID, Consult: r.Consult}
	for _, v := range r.Variables {
		s.Variables = append(s.Variables, core.CallVariable(v))
	}
	return s
}

func (r record) callRecord() core.CallRecord {
	return core.CallRecord{ID: r.ID, Summary: r.summary(), Pending: r.State == statePending, Away: r.Away, Volatile: r.volatile}
}

// sameCall reports whether r is the call that started at started: Finesse
// may reuse a dialog id for a later call.
func (r record) sameCall(started time.Time) bool {
	return r.Started.Equal(started)
}

// asideID is the key an older unlogged call moves to when its dialog id is
// reused by a new call.
func (r record) asideID() string {
	return fmt.Sprintf("%s#%d", r.DialogID, r.Started.UnixMilli())
}

// age is how old r is for the retention: from its end, or its start while
// live.
func (r record) age(now time.Time) time.Duration {
	t := r.Ended
	if t.IsZero() {
		t = r.Started
	}
	if t.IsZero() {
		t = r.Updated
	}
	return now.Sub(t)
}

func decode(b []byte) (record, error) {
	var r record
	err := json.Unmarshal(b, &r)
	return r, err
}

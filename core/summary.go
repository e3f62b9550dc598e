package core

import "time"

// dialogEntry is one active dialog with the timing the session keeps for
// its CallSummary. Entries are owned by the session and guarded by its mu.
type dialogEntry struct {
	d        Dialog    // as last seen, with Actions and AgentState filled in
	started  time.Time // when the session first saw the dialog
	answered time.Time // first time the agent's participant was ACTIVE; zero until then
	// leg and originalID are the call's origin, decided when it was first
	// seen (origin.go).
	leg        bool
	originalID string
}

// public is the dialog as the session publishes it: a copy, with the
// session's own times.
func (e *dialogEntry) public() Dialog {
	d := cloneDialog(e.d)
	d.FirstSeen, d.Answered = e.started, e.answered
	d.OriginalID, d.Consult = e.originalID, e.leg
	return d
}

// observe notes the agent answering, the first time it is seen.
func (e *dialogEntry) observe(now time.Time) {
	if e.answered.IsZero() && e.d.AgentState == PartActive {
		e.answered = now
	}
}

// summary is what a CRM logs for the dialog ending at ended. final is the
// dialog's last form; the wrap-up reason and variables fall back to the
// form seen before when the final one lacks them, because Finesse may send
// a bare DELETE.
func (e *dialogEntry) summary(final Dialog, ended time.Time) CallSummary {
	cs := CallSummary{
		DialogID:     final.ID,
		CallType:     final.CallType,
		From:         final.From,
		To:           final.To,
		Started:      e.started,
		Answered:     e.answered,
		Ended:        ended,
		WrapUpReason: final.WrapUpReason,
		Variables:    cloneVars(final.Variables),
		OriginalID:   e.originalID,
		SecondaryID:  final.SecondaryID,
		Consult:      e.leg,
	}
	if cs.SecondaryID == "" {
		cs.SecondaryID = e.d.SecondaryID
	}
	if cs.WrapUpReason == "" {
		cs.WrapUpReason = e.d.WrapUpReason
	}
	if len(cs.Variables) == 0 {
		cs.Variables = cloneVars(e.d.Variables)
	}
	return cs
}

// fillAgentView sets d.Actions and d.AgentState from the participant whose
// address is the agent's extension.
func fillAgentView(d *Dialog, ext string) {
	d.Actions, d.AgentState = nil, ""
	if ext == "" {
		return
	}
	if p, ok := d.Participant(ext); ok {
		d.Actions = append([]Action(nil), p.Actions...)
		d.AgentState = p.State
	}
}

package core

import (
	"slices"
	"strings"
)

// How the session tells a CRM which calls to log and under which original
// call (issue 11: "no record for consult or conference legs, and the
// original call referenced on a transfer"). It decides once, when it first
// sees a dialog, and keeps the answer with the call (dialogEntry, then
// CallSummary and the outbox), because the same dialog changes later: a
// customer call the agent conferences turns into callType CONFERENCE, and
// a page or app that starts again must log the call as it was first seen.
//
// What Finesse gives (finesse-protocol.md §3.1, §3.5, §3.6) and what is
// assumed here:
//   - callType CONSULT, CONFERENCE, BARGE_IN_CONSULT, SUPERVISOR_MONITOR
//     and ASSIST_CALL are legs (documented values; which one the consulted
//     agent's dialog carries is not verified, hence the next rule).
//   - associatedDialogUri links a consult and its original: a dialog that
//     carries it and is not a customer call type (ACD_IN, OUT, ...) is a
//     leg, whatever its callType (assumed).
//   - On a consult transfer the consulted agent gets a DELETE of the
//     consult dialog and a POST of the original one whose secondaryId names
//     the consult dialog (documented). So a new dialog carrying secondaryId
//     is a call transferred (or conferenced) in: it is the original call,
//     and the agent's own part is the secondaryId leg. That leg is marked
//     a leg too, whether it ended before or after the POST came.
//   - If instead the agent's own consult dialog survives and gains a
//     secondaryId (which call survives depends on which leg was held), the
//     secondaryId is the original call and the dialog becomes a customer
//     call, unless it is a CONFERENCE (assumed: not seen in any source).
//   - Call variables are not used: no documented variable names the
//     original call.

// legCallTypes are the call types of legs an agent joins for a colleague.
var legCallTypes = []string{"CONSULT", "CONFERENCE", "BARGE_IN_CONSULT", "SUPERVISOR_MONITOR", "ASSIST_CALL"}

// customerCallTypes keep their callType while the agent consults (the
// dialog then carries associatedDialogUri): they are not legs.
var customerCallTypes = []string{"ACD_IN", "PREROUTE_ACD_IN", "PREROUTE_DIRECT_AGENT", "TRANSFER", "OTHER_IN",
	"OVERFLOW_IN", "OUT", "AGENT_OUT", "AUTO_OUT"}

// IsLegCallType reports whether callType names a consult or conference leg.
func IsLegCallType(callType string) bool {
	return slices.Contains(legCallTypes, strings.ToUpper(callType))
}

// isLeg reports whether d, as first seen, is a leg rather than a call of
// the agent's own.
func isLeg(d Dialog) bool {
	t := strings.ToUpper(d.CallType)
	if IsLegCallType(t) {
		return true
	}
	customer := slices.Contains(customerCallTypes, t) || strings.HasPrefix(t, "OUTBOUND")
	return d.AssociatedID != "" && d.AssociatedID != d.ID && !customer
}

// classifyNew decides a new entry's origin.
func (e *dialogEntry) classifyNew() {
	e.leg = isLeg(e.d)
	if e.d.SecondaryID != "" && !e.leg {
		e.originalID = e.d.ID
	}
}

// classifyUpdate follows an entry's dialog gaining a secondaryId: the
// agent's own consult leg survived a transfer and the original call was
// dropped into it. A call of the agent's own that gains one (the agent
// conferenced a colleague in) stays as it was.
func (e *dialogEntry) classifyUpdate(prev Dialog) {
	d := e.d
	if !e.leg || d.SecondaryID == "" || d.SecondaryID == prev.SecondaryID || d.SecondaryID == d.ID {
		return
	}
	e.leg = strings.EqualFold(d.CallType, "CONFERENCE")
	if !e.leg {
		e.originalID = d.SecondaryID
	}
}

// droppedIntoLocked reports whether the dialog id is the agent's leg of a
// call transferred in: a live call transferred in names it as secondaryId.
func (s *Session) droppedIntoLocked(id string) bool {
	return slices.ContainsFunc(s.dialogs, func(e *dialogEntry) bool {
		return e.originalID != "" && e.d.SecondaryID == id && e.d.ID != id
	})
}

// markLegEndedLocked handles the usual order of a transfer: the agent's
// consult leg ended (DELETE) before the original call came (POST with its
// secondaryId). The leg's record, already committed as a customer call if
// its callType did not give it away, is committed again as a leg so that
// it is never offered.
func (s *Session) markLegEndedLocked(e *dialogEntry) {
	if e.originalID == "" || e.d.SecondaryID == "" || e.d.SecondaryID == e.d.ID {
		return
	}
	i := slices.IndexFunc(s.ended, func(c CallSummary) bool { return c.DialogID == e.d.SecondaryID })
	if i < 0 || s.ended[i].Consult {
		return
	}
	s.ended[i].Consult = true
	if s.outbox != nil {
		s.outboxErrLocked("marking a consult leg", s.outbox.Ended(s.ended[i], false))
	}
	s.log.Info("ended call was the consult leg of a call transferred in: not logged",
		"dialog", s.ended[i].DialogID, "original", e.originalID)
}

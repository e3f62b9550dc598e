package localbridge

import (
	"time"

	"github.com/agentlink/agentlink/core"
)

// convert.go is the one place that maps core types onto wire types.

// timeFormat is RFC 3339 in UTC with milliseconds.
const timeFormat = "2006-01-02T15:04:05.000Z07:00"

func wireTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

func toWireSystem(s core.System) wireSystem {
	st := s.Status
	if st == "" {
		st = core.OutOfService
	}
	return wireSystem{
		Status:        string(st),
		Node:          string(s.Node),
		Host:          s.Host,
		XMPPConnected: s.XMPPConnected,
		Reason:        s.Reason,
	}
}

func toWireAgent(a core.Agent) wireAgent {
	state := a.State
	if state == "" {
		state = core.StateLogout
	}
	reason := a.ReasonCodeID
	if reason == "-1" {
		reason = ""
	}
	return wireAgent{
		AgentID:          a.ID,
		FirstName:        a.FirstName,
		LastName:         a.LastName,
		State:            string(state),
		ReasonCodeID:     reason,
		ReasonLabel:      a.ReasonLabel,
		PendingState:     string(a.PendingState),
		Extension:        a.Extension,
		Since:            wireTime(a.Since),
		WrapUpOnIncoming: a.WrapUpOnIncoming,
		LoggedIn:         a.LoggedIn(),
		MobileMode:       a.MobileMode,
		MobileDialNumber: a.MobileDialNumber,
		ActiveDeviceID:   a.ActiveDeviceID,
	}
}

func toWireActions(as []core.Action) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = string(a)
	}
	return out
}

func toWireVariables(vs []core.CallVariable) map[string]string {
	out := make(map[string]string, len(vs))
	for _, v := range vs {
		out[v.Name] = v.Value
	}
	return out
}

func toWireDialog(d core.Dialog) wireDialog {
	ps := make([]wireParticipant, len(d.Participants))
	for i, p := range d.Participants {
		ps[i] = wireParticipant{
			Address:     p.Address,
			AddressType: p.AddressType,
			State:       string(p.State),
			StateCause:  p.StateCause,
			Actions:     toWireActions(p.Actions),
			Since:       wireTime(p.Since),
		}
	}
	return wireDialog{
		ID:           d.ID,
		AssociatedID: d.AssociatedID,
		SecondaryID:  d.SecondaryID,
		State:        string(d.State),
		CallType:     d.CallType,
		From:         d.From,
		To:           d.To,
		DNIS:         d.DNIS,
		DialedNumber: d.DialedNumber,
		QueueName:    d.QueueName,
		WrapUpReason: d.WrapUpReason,
		AgentState:   string(d.AgentState),
		StartedAt:    wireTime(d.FirstSeen),
		AnsweredAt:   wireTime(d.Answered),
		Variables:    toWireVariables(d.Variables),
		Participants: ps,
		Actions:      toWireActions(d.Actions),
		OriginalID:   d.OriginalID,
		Consult:      d.Consult,
	}
}

func toWireDialogs(ds []core.Dialog) []wireDialog {
	out := make([]wireDialog, len(ds))
	for i, d := range ds {
		out[i] = toWireDialog(d)
	}
	return out
}

func toWireSummary(s core.CallSummary) wireSummary {
	return wireSummary{
		ID:           s.DialogID,
		From:         s.From,
		To:           s.To,
		CallType:     s.CallType,
		StartedAt:    wireTime(s.Started),
		AnsweredAt:   wireTime(s.Answered),
		EndedAt:      wireTime(s.Ended),
		WrapUpReason: s.WrapUpReason,
		Variables:    toWireVariables(s.Variables),

		EndedWhileAway: s.Away,
		OriginalID:     s.OriginalID,
		SecondaryID:    s.SecondaryID,
		Consult:        s.Consult,
	}
}

func toWireFinesseError(e *core.FinesseError) *wireFinesseError {
	if e == nil {
		return nil
	}
	return &wireFinesseError{
		Status: e.Status, Type: e.Type, Message: e.Message, Data: e.Data,
		RequestID: e.RequestID, DialogID: e.DialogID,
	}
}

// toWireEvent maps a core event; ok is false for an event with no payload.
func toWireEvent(e core.Event) (wireEvent, bool) {
	out := wireEvent{Event: e.Kind.String(), Seq: e.Seq}
	switch {
	case e.Kind == core.EventSystem && e.System != nil:
		out.Data = toWireSystem(*e.System)
	case e.Kind == core.EventAgent && e.Agent != nil:
		out.Data = toWireAgent(*e.Agent)
	case e.Kind == core.EventDialog && e.Dialog != nil:
		out.Data = toWireDialog(*e.Dialog)
	case (e.Kind == core.EventDialogEnded || e.Kind == core.EventWrapUp) && e.Ended != nil:
		out.Data = toWireSummary(*e.Ended)
	case e.Kind == core.EventError && e.Err != nil:
		out.Data = toWireFinesseError(e.Err)
	case e.Kind == core.EventCommandOutcome && e.Outcome != nil:
		out.Data = toWireOutcome(*e.Outcome)
	case e.Kind == core.EventMedia:
		out.Data = wireMediaEvent{Media: toWireMedia(e.Media)}
	case e.Kind == core.EventQueues:
		out.Data = wireQueues{Queues: toWireQueues(e.Queues, e.At)} // queue.go
	case e.Kind == core.EventTeamMessage && e.TeamMessage != nil:
		out.Data = toWireTeamMessage(*e.TeamMessage)
	default:
		return out, false
	}
	return out, true
}

func toWireOutcome(o core.CommandOutcome) wireCommandOutcome {
	return wireCommandOutcome{RequestID: o.RequestID, Command: string(o.Kind), DialogID: o.DialogID,
		Outcome: o.Outcome.String(), Finesse: toWireFinesseError(o.Err)}
}

func toWireSnapshot(s core.Snapshot) *wireSnapshot {
	return &wireSnapshot{
		Seq:     s.Seq,
		System:  toWireSystem(s.System),
		Agent:   toWireAgent(s.Agent),
		Dialogs: toWireDialogs(s.Dialogs),
		Media:   toWireMedia(s.Media),
		// queue.go; the snapshot has no time of its own, so the wait
		// counts to now.
		Queues:       toWireQueues(s.Queues, time.Now()),
		TeamMessages: toWireTeamMessages(s.TeamMessages),
	}
}

func toWireReasonCodes(rs []core.ReasonCode) []wireReasonCode {
	out := make([]wireReasonCode, len(rs))
	for i, r := range rs {
		out[i] = wireReasonCode{ID: r.ID, Category: string(r.Category), Code: r.Code, Label: r.Label}
	}
	return out
}

func toWireWrapUps(ws []core.WrapUpReason) []wireWrapUpReason {
	out := make([]wireWrapUpReason, len(ws))
	for i, w := range ws {
		out[i] = wireWrapUpReason{ID: w.ID, Label: w.Label}
	}
	return out
}

func toWireContacts(cs []core.Contact) []wireContact {
	out := make([]wireContact, len(cs))
	for i, c := range cs {
		out[i] = wireContact{
			PhoneBook: c.PhoneBook, FirstName: c.FirstName, LastName: c.LastName,
			Number: c.Number, Description: c.Description, BookType: c.BookType,
		}
	}
	return out
}

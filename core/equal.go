package core

import "slices"

// The model compares values field by field rather than with ==, because
// time.Time values that are the same instant may differ in location or
// monotonic reading, and that must not produce a spurious event.

func agentEqual(a, b Agent) bool {
	return a.ID == b.ID && a.FirstName == b.FirstName && a.LastName == b.LastName &&
		a.State == b.State && a.ReasonCodeID == b.ReasonCodeID &&
		a.ReasonLabel == b.ReasonLabel && a.PendingState == b.PendingState &&
		a.Extension == b.Extension && a.Since.Equal(b.Since) &&
		a.WrapUpOnIncoming == b.WrapUpOnIncoming && a.MobileMode == b.MobileMode &&
		a.MobileDialNumber == b.MobileDialNumber && a.ActiveDeviceID == b.ActiveDeviceID
}

func dialogEqual(a, b Dialog) bool {
	return a.ID == b.ID && a.AssociatedID == b.AssociatedID &&
		a.SecondaryID == b.SecondaryID && a.State == b.State &&
		a.CallType == b.CallType && a.From == b.From && a.To == b.To &&
		a.DNIS == b.DNIS && a.DialedNumber == b.DialedNumber &&
		a.QueueName == b.QueueName && a.WrapUpReason == b.WrapUpReason &&
		a.AgentState == b.AgentState && slices.Equal(a.Actions, b.Actions) &&
		slices.Equal(a.Variables, b.Variables) &&
		slices.EqualFunc(a.Participants, b.Participants, participantEqual)
}

func participantEqual(a, b Participant) bool {
	return a.Address == b.Address && a.AddressType == b.AddressType &&
		a.State == b.State && a.StateCause == b.StateCause &&
		slices.Equal(a.Actions, b.Actions) && a.Since.Equal(b.Since)
}

// cloneDialog returns a deep copy of d, so that the session's model shares
// no slice with its caller.
func cloneDialog(d Dialog) Dialog {
	d.Variables = cloneVars(d.Variables)
	d.Actions = slices.Clone(d.Actions)
	if d.Participants != nil {
		ps := make([]Participant, len(d.Participants))
		for i, p := range d.Participants {
			p.Actions = slices.Clone(p.Actions)
			ps[i] = p
		}
		d.Participants = ps
	}
	return d
}

func cloneVars(v []CallVariable) []CallVariable {
	return slices.Clone(v)
}

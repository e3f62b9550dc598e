package ui

import (
	"fyne.io/fyne/v2/dialog"

	"github.com/agentlink/agentlink/core"
)

// partner returns the other call of a consult pair: the consult call of a
// held customer call, or the customer call of a consult.
func (m model) partner(d core.Dialog) (core.Dialog, bool) {
	for _, o := range m.Dialogs {
		if o.ID == d.ID {
			continue
		}
		if (d.AssociatedID != "" && o.ID == d.AssociatedID) || (o.AssociatedID != "" && o.AssociatedID == d.ID) {
			return o, true
		}
	}
	return core.Dialog{}, false
}

// actionTarget is the dialog a card's button acts on. Finesse offers
// Transfer and Conference on the held customer call only, but the agent is
// talking on the consult card then, so that card offers them too and
// sends them to the held call.
func (m model) actionTarget(d core.Dialog, a core.Action) (string, bool) {
	if d.Allows(a) {
		return d.ID, true
	}
	if a != core.ActionTransfer && a != core.ActionConference {
		return "", false
	}
	if o, ok := m.partner(d); ok && o.Allows(a) {
		return o.ID, true
	}
	return "", false
}

// endNeedsConfirm says whether ending d would drop the customer while a
// consult is up: the customer is then gone for good, usually by mistake.
func (m model) endNeedsConfirm(d core.Dialog) bool {
	if d.CallType == "CONSULT" {
		return false
	}
	_, ok := m.partner(d)
	return ok
}

// endCall ends dialog id, asking first when that is the customer's call
// while a consult is up. Fyne thread.
func (s *shell) endCall(id string) {
	d, ok := s.m.dialog(id)
	if !ok || !s.m.endNeedsConfirm(d) {
		s.runCallAction(core.ActionDrop, id)
		return
	}
	s.showWindow()
	s.endAsk = func(yes bool) {
		s.endAsk = nil
		if yes {
			s.runCallAction(core.ActionDrop, id)
		}
	}
	c := dialog.NewConfirm("End the customer's call?",
		"You are consulting on another call. Ending this one hangs up on the customer "+
			otherParty(d, s.m.Agent.Extension)+"; to hand the customer over, press Transfer instead.",
		func(yes bool) {
			if s.endAsk != nil {
				s.endAsk(yes)
			}
		}, s.win)
	c.SetConfirmText("End customer call")
	c.SetDismissText("Keep")
	c.Resize(dialogSize(s.win, 400))
	c.Show()
}

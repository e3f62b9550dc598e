package ui

import (
	"github.com/agentlink/agentlink/core"
)

// drawCallData fills the card's title, subtitle and call data from d and
// its layout. With the customer's name known, it is the title and the
// number moves to the subtitle. Edit is offered while Finesse allows
// UPDATE_CALL_DATA and the layout has an editable variable. Fyne thread.
func (c *callCard) drawCallData(d core.Dialog) {
	number := otherParty(d, c.s.m.Agent.Extension)
	name, nameVar := c.s.callerName(d)
	if name == "" {
		nameVar = "" // not the title: list it with the rest
		c.title.SetText(number)
		c.sub.SetText(callSubtitle(d))
	} else {
		c.title.SetText(name)
		c.sub.SetText(number + " · " + callSubtitle(d))
	}
	c.vars.SetText(c.s.callDataText(d, nameVar))
	if c.vars.Text == "" {
		c.vars.Hide()
	} else {
		c.vars.Show()
	}
	if c.canEdit(d) {
		c.edit.Show()
		setEnabled(c.edit, !c.s.busy["dialog:"+d.ID+":calldata"])
	} else {
		c.edit.Hide()
	}
}

func (c *callCard) canEdit(d core.Dialog) bool {
	return d.Allows(core.ActionUpdateCallData) && len(editableFields(c.s.layoutFor(d), d)) > 0
}

// onEdit opens the call data dialog for the card's call.
func (c *callCard) onEdit() {
	if !c.canEdit(c.d) {
		return
	}
	c.dataDlg = newCallDataDialog(c.s, c.d, editableFields(c.s.layoutFor(c.d), c.d))
	c.dataDlg.show()
}

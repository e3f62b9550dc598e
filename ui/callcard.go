package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
)

// maxVariables is how many call variables a card lists; the rest are in
// the CRM.
const maxVariables = 6

// callList shows one card per call, in arrival order.
type callList struct {
	s     *shell
	box   *fyne.Container
	cards map[string]*callCard // by dialog id; Fyne thread
	obj   fyne.CanvasObject
}

func newCallList(s *shell) *callList {
	l := &callList{s: s, box: container.NewVBox(), cards: map[string]*callCard{}}
	l.obj = l.box
	return l
}

func (l *callList) refresh() {
	cards := make(map[string]*callCard, len(l.s.m.Dialogs))
	objs := make([]fyne.CanvasObject, 0, len(l.s.m.Dialogs))
	for _, d := range l.s.m.Dialogs {
		c, ok := l.cards[d.ID]
		if !ok {
			c = newCallCard(l.s, d.ID)
		}
		c.update(d)
		cards[d.ID] = c
		objs = append(objs, c.obj)
	}
	l.cards = cards
	l.box.Objects = objs
	l.box.Refresh()
}

func (l *callList) tick() {
	for _, c := range l.cards {
		c.tick()
	}
}

// callCard is one call: who, what, state and timer, and its buttons.
type callCard struct {
	s  *shell
	id string
	d  core.Dialog // last drawn
	// connected is when the agent's leg was first answered. Finesse's
	// participant time restarts at every hold and retrieve; this one does
	// not, so the card can show the call's total time.
	connected time.Time
	card      *widget.Card
	title     *widget.Label // who: truncated, so a long name never widens the window
	sub       *widget.Label // call type and queue, truncated
	state     *widget.Label
	vars      *widget.Label
	edit      *widget.Button  // Edit call data (calldata.go)
	dataDlg   *callDataDialog // the last call data dialog opened; nil until Edit
	buttons   map[core.Action]*widget.Button
	record    *widget.Button // recording.go; nil unless Config.Recording
	recorded  bool           // Finesse accepted START_RECORDING on this call
	tones     *toneDialog    // the last tone dialog opened; nil until Keypad
	obj       fyne.CanvasObject
}

func newCallCard(s *shell, id string) *callCard {
	c := &callCard{s: s, id: id, buttons: map[core.Action]*widget.Button{}}
	c.title = widget.NewLabel("")
	c.title.SizeName = theme.SizeNameSubHeadingText
	c.title.TextStyle = fyne.TextStyle{Bold: true}
	c.title.Truncation = fyne.TextTruncateEllipsis
	c.sub = widget.NewLabel("")
	c.sub.Truncation = fyne.TextTruncateEllipsis
	c.state = widget.NewLabel("")
	c.state.TextStyle = fyne.TextStyle{Bold: true}
	c.state.Truncation = fyne.TextTruncateEllipsis
	c.vars = widget.NewLabel("")
	c.vars.Wrapping = fyne.TextWrapWord
	c.edit = widget.NewButton("Edit call data", c.onEdit)
	c.edit.Hide()
	grid := newFitGrid(3)
	for _, b := range callButtons {
		btn := widget.NewButton(b.Label, func() { c.onAction(b.Action) })
		if b.Action == core.ActionAnswer {
			btn.Importance = widget.SuccessImportance
		}
		if b.Action == core.ActionDrop {
			btn.Importance = widget.DangerImportance
		}
		c.buttons[b.Action] = btn
		grid.Add(btn)
	}
	if c.record = c.newRecordButton(); c.record != nil {
		grid.Add(c.record)
	}
	head := container.New(layout.NewCustomPaddedVBoxLayout(0), c.title, c.sub)
	c.card = widget.NewCard("", "", container.NewVBox(head, c.state, c.vars, c.edit, grid))
	c.obj = c.card
	return c
}

func (c *callCard) update(d core.Dialog) {
	c.d = d
	if p, ok := d.Participant(c.s.m.Agent.Extension); ok && c.connected.IsZero() &&
		(p.State == core.PartActive || p.State == core.PartHeld) {
		c.connected = p.Since
		if c.connected.IsZero() {
			c.connected = c.s.now()
		}
	}
	c.drawCallData(d) // title, subtitle, labelled call data, Edit (calldata_card.go)
	c.tick()
	for _, b := range callButtons {
		_, ok := c.s.m.actionTarget(d, b.Action)
		setEnabled(c.buttons[b.Action], ok && !c.s.busy[c.key(b.Action)])
	}
	c.updateRecord(d)
}

func (c *callCard) tick() {
	line := callStateLine(c.d)
	if p, ok := c.d.Participant(c.s.m.Agent.Extension); ok {
		if t := timerText(p.Since, c.s.now()); t != "" {
			line += "  " + t
		}
		if !c.connected.IsZero() && p.Since.Sub(c.connected) >= time.Second {
			line += " · total " + timerText(c.connected, c.s.now())
		}
	}
	c.state.SetText(line)
}

func (c *callCard) key(a core.Action) string { return "dialog:" + c.id + ":" + string(a) }

// callSubtitle is the call type and queue, e.g. "Inbound · Sales".
func callSubtitle(d core.Dialog) string {
	parts := []string{callTypeWord(d.CallType)}
	if d.QueueName != "" {
		parts = append(parts, d.QueueName)
	}
	return strings.Join(parts, " · ")
}

func callTypeWord(t string) string {
	switch t {
	case "ACD_IN", "PREROUTE_ACD_IN", "":
		return "Inbound"
	case "OUT", "AGENT_INSIDE", "OUTBOUND":
		return "Outbound"
	case "CONSULT":
		return "Consult"
	}
	return t
}

// variablesText lists the non-empty call variables, one per line.
func variablesText(vs []core.CallVariable) string {
	var lines []string
	for _, v := range vs {
		if strings.TrimSpace(v.Value) == "" {
			continue
		}
		if len(lines) == maxVariables {
			lines = append(lines, "…")
			break
		}
		lines = append(lines, fmt.Sprintf("%s: %s", v.Name, v.Value))
	}
	return strings.Join(lines, "\n")
}

// onAction runs the command behind a call button. Consult and direct
// transfer take the number from the dial entry; Keypad asks for digits.
func (c *callCard) onAction(a core.Action) {
	target, ok := c.s.m.actionTarget(c.d, a)
	if !ok {
		return
	}
	cmd := core.Command{DialogID: target}
	switch a {
	case core.ActionDrop:
		c.s.endCall(target)
		return
	case core.ActionConsultCall, core.ActionTransferSST:
		n, err := c.s.phone.dial.dialled()
		if err != nil {
			c.s.errText = "Type the number in the dial field first, then press " + actionLabel(a) + "."
			c.s.refresh()
			return
		}
		cmd.Number = n
	case core.ActionSendDTMF:
		c.askDigits()
		return
	}
	cmd.Kind = actionCommand[a]
	var done func(error)
	if cmd.Number != "" {
		done = c.s.phone.dial.clearAfter(c.s.phone.dial.number.Text)
	}
	c.s.command(c.key(a), actionLabel(a), func(ctx context.Context) error { return c.s.sess.Execute(ctx, cmd) }, done)
}

func (c *callCard) askDigits() {
	c.tones = newToneDialog(c.s, c.id, c.key(core.ActionSendDTMF))
	c.tones.show()
}

// actionCommand maps a dialog action to the command that performs it.
var actionCommand = map[core.Action]core.CommandKind{
	core.ActionAnswer:      core.CmdAnswer,
	core.ActionHold:        core.CmdHold,
	core.ActionRetrieve:    core.CmdRetrieve,
	core.ActionDrop:        core.CmdRelease,
	core.ActionConsultCall: core.CmdConsult,
	core.ActionTransfer:    core.CmdTransfer,
	core.ActionConference:  core.CmdConference,
	core.ActionTransferSST: core.CmdSingleStepTransfer,
	core.ActionSendDTMF:    core.CmdSendDTMF,
}

func actionLabel(a core.Action) string {
	for _, b := range callButtons {
		if b.Action == a {
			return b.Label
		}
	}
	return string(a)
}

// callAction runs a simple call action (tray, shortcuts) on dialog id;
// ending the customer's call while a consult is up asks first. Fyne thread.
func (s *shell) callAction(a core.Action, dialogID string) {
	if a == core.ActionDrop {
		s.endCall(dialogID)
		return
	}
	s.runCallAction(a, dialogID)
}

// runCallAction runs the command behind a call action. Fyne thread.
func (s *shell) runCallAction(a core.Action, dialogID string) {
	kind, ok := actionCommand[a]
	if !ok || dialogID == "" {
		return
	}
	key := "dialog:" + dialogID + ":" + string(a)
	s.execute(key, actionLabel(a), core.Command{Kind: kind, DialogID: dialogID})
}

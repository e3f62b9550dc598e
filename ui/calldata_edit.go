package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
)

// callDataDialog edits the layout's editable call variables of one call:
// one field per variable, prefilled; Save sends only what changed
// (UPDATE_CALL_DATA) and says "Saved." or why not. Like the tone dialog it
// stays open so that a refusal can be corrected in place.
type callDataDialog struct {
	s      *shell
	id     string // the dialog the data belongs to
	key    string // busy key of the command
	fields []core.LabelledValue
	inputs []*widget.Entry
	save   *widget.Button
	status *widget.Label
	dlg    dialog.Dialog
}

func newCallDataDialog(s *shell, d core.Dialog, fields []core.LabelledValue) *callDataDialog {
	e := &callDataDialog{s: s, id: d.ID, key: "dialog:" + d.ID + ":calldata", fields: fields}
	form := container.NewVBox() // label above field: fits a 320 px window
	for _, f := range fields {
		in := widget.NewEntry()
		in.SetText(f.Value)
		in.OnSubmitted = func(string) { e.onSave() }
		label := widget.NewLabel(f.Label)
		label.Truncation = fyne.TextTruncateEllipsis
		form.Add(label)
		form.Add(in)
		e.inputs = append(e.inputs, in)
	}
	e.save = widget.NewButton("Save", e.onSave)
	e.save.Importance = widget.HighImportance
	e.status = widget.NewLabel("")
	e.status.Wrapping = fyne.TextWrapWord
	e.status.Hide()
	content := container.NewVBox(form, e.save, e.status)
	e.dlg = dialog.NewCustom("Call data", "Close", content, s.win)
	e.dlg.Resize(fyne.NewSize(toneDialogWidth, content.MinSize().Height))
	return e
}

// show opens the dialog with the first field focused.
func (e *callDataDialog) show() {
	e.dlg.Show()
	if e.s.win != nil && len(e.inputs) > 0 {
		e.s.win.Canvas().Focus(e.inputs[0])
	}
}

// changes are the variables whose field differs from the call's value, or
// an error naming the first field Finesse would refuse.
func (e *callDataDialog) changes() ([]core.CallVariable, error) {
	var out []core.CallVariable
	for i, f := range e.fields {
		v := e.inputs[i].Text
		if v == f.Value {
			continue
		}
		if why := checkCallValue(f.Variable, v); why != "" {
			return nil, errors.New(f.Label + ": " + why + ".")
		}
		out = append(out, core.CallVariable{Name: f.Variable, Value: v})
	}
	return out, nil
}

func (e *callDataDialog) say(text string) {
	e.status.SetText(text)
	e.status.Show()
}

func (e *callDataDialog) onSave() {
	vars, err := e.changes()
	if err != nil {
		e.say(err.Error())
		return
	}
	if len(vars) == 0 {
		e.say("Nothing changed.")
		return
	}
	e.say("Saving…")
	cmd := core.Command{Kind: core.CmdUpdateCallData, DialogID: e.id, Variables: vars}
	e.s.command(e.key, "Save call data", func(ctx context.Context) error { return e.s.sess.Execute(ctx, cmd) },
		func(err error) {
			if err != nil {
				e.say(callDataMessage(err))
				return
			}
			for i := range e.fields {
				e.fields[i].Value = e.inputs[i].Text
			}
			e.say("Saved.")
		})
}

// callDataMessage says why Finesse refused call data. Its Invalid Input
// covers the cases reference §3.4 lists: a value too long for the
// variable, an array/scalar mix-up, or a call whose data is protected (a
// direct, non-routed call). Other failures read like any command's.
func callDataMessage(err error) string {
	var fe *core.FinesseError
	if errors.As(err, &fe) && fe.Type == "Invalid Input" {
		return "Finesse refused the call data: a value may be too long, or this call's data cannot be changed (a direct call's often cannot). Nothing was saved."
	}
	return commandMessage("Save call data", err)
}

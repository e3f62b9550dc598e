package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
)

// toneDialogWidth keeps the keypad a comfortable size; the dialog still
// fits a 320 px wide window.
const toneDialogWidth = 280

// toneKeys is the keypad of the tone dialog, in phone order.
var toneKeys = []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"}

// toneDialog sends DTMF tones on one call: the field has focus, Enter
// sends, the keypad types into the field, and the dialog stays open and
// says what was sent, for phone menus that ask for more.
type toneDialog struct {
	s      *shell
	id     string // the dialog the tones go to
	key    string // busy key of the command
	digits *widget.Entry
	send   *widget.Button
	status *widget.Label
	dlg    dialog.Dialog
}

func newToneDialog(s *shell, dialogID, key string) *toneDialog {
	t := &toneDialog{s: s, id: dialogID, key: key}
	t.digits = widget.NewEntry()
	t.digits.SetPlaceHolder("0-9 * #")
	t.digits.OnSubmitted = func(string) { t.onSend() }
	t.send = widget.NewButton("Send", t.onSend)
	t.send.Importance = widget.HighImportance
	t.status = widget.NewLabel("Type the digits, then press Enter.")
	t.status.Wrapping = fyne.TextWrapWord
	pad := container.NewGridWithColumns(3)
	for _, k := range toneKeys {
		pad.Add(widget.NewButton(k, func() { t.press(k) }))
	}
	content := container.NewVBox(t.digits, pad, t.send, t.status)
	t.dlg = dialog.NewCustom("Send tones", "Close", content, s.win)
	t.dlg.Resize(fyne.NewSize(toneDialogWidth, content.MinSize().Height))
	return t
}

// show opens the dialog with the field focused.
func (t *toneDialog) show() {
	t.dlg.Show()
	if t.s.win != nil {
		t.s.win.Canvas().Focus(t.digits)
	}
}

// press types a keypad key into the field.
func (t *toneDialog) press(k string) {
	t.digits.SetText(t.digits.Text + k)
	if t.s.win != nil {
		t.s.win.Canvas().Focus(t.digits)
	}
}

func (t *toneDialog) onSend() {
	digits := strings.TrimSpace(t.digits.Text)
	if !isDTMF(digits) {
		t.status.SetText("Only 0-9, *, # and A-D can be sent.")
		return
	}
	t.status.SetText("Sending " + digits + "…")
	cmd := core.Command{Kind: core.CmdSendDTMF, DialogID: t.id, Digits: digits}
	t.s.command(t.key, "Send tones", func(ctx context.Context) error { return t.s.sess.Execute(ctx, cmd) },
		func(err error) {
			if err != nil {
				t.status.SetText(commandMessage("Send tones", err))
				return
			}
			t.status.SetText("Sent " + digits + ".")
			t.digits.SetText("")
		})
}

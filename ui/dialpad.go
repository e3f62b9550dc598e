package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
)

const keyDial = "dial"

// dialPanel is the number entry with its preview, the dial pad and Call.
// The number is normalised as it is typed and the preview shows exactly
// what will be dialled, so a pasted "+44 (20) 7946-0958" holds no surprise.
type dialPanel struct {
	s       *shell
	number  *keyEntry
	preview *widget.Label
	call    *widget.Button
	paste   *widget.Button
	book    *widget.Button   // opens the directory (directory.go)
	picker  *directoryPicker // the last directory opened; Fyne thread
	obj     fyne.CanvasObject
}

var padKeys = []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"}

func newDialPanel(s *shell) *dialPanel {
	p := &dialPanel{s: s}
	p.number = newKeyEntry(s)
	p.number.SetPlaceHolder("Number to dial")
	p.number.OnChanged = func(string) { p.refresh() }
	p.number.OnSubmitted = func(string) { p.onCall() }
	p.preview = widget.NewLabel("")
	p.call = widget.NewButtonWithIcon("Call", theme.MailForwardIcon(), p.onCall)
	p.call.Importance = widget.HighImportance
	p.paste = widget.NewButtonWithIcon("", theme.ContentPasteIcon(), p.onPaste)
	clear := widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() { p.number.SetText("") })
	pad := container.NewGridWithColumns(3)
	for _, k := range padKeys {
		pad.Add(widget.NewButton(k, func() { p.number.SetText(p.number.Text + k) }))
	}
	p.book = widget.NewButtonWithIcon("", theme.AccountIcon(), p.openDirectory)
	entryRow := container.NewBorder(nil, nil, nil, container.NewHBox(p.book, p.paste, clear), p.number)
	p.obj = container.NewVBox(entryRow, p.preview, pad, p.call)
	return p
}

func (p *dialPanel) refresh() {
	p.preview.SetText(dialPreview(p.s.plan, p.number.Text))
	if p.preview.Text == "" {
		p.preview.Hide()
	} else {
		p.preview.Show()
	}
	_, err := normalizeNumber(p.s.plan, p.number.Text)
	setEnabled(p.call, err == nil && p.s.m.Agent.LoggedIn() && !p.s.busy[keyDial])
	setEnabled(p.book, p.s.m.Agent.LoggedIn())
}

func (p *dialPanel) onPaste() {
	text := p.s.app.Clipboard().Content()
	if n, err := normalizeNumber(p.s.plan, text); err == nil {
		text = n
	}
	p.number.SetText(strings.TrimSpace(text))
}

func (p *dialPanel) onCall() {
	n, err := normalizeNumber(p.s.plan, p.number.Text)
	if err != nil {
		p.s.errText = commandMessage("Call", err)
		p.s.refresh()
		return
	}
	cmd := core.Command{Kind: core.CmdMakeCall, Number: n}
	p.s.command(keyDial, "Call "+n, func(ctx context.Context) error { return p.s.sess.Execute(ctx, cmd) },
		p.clearAfter(p.number.Text))
}

// clearAfter empties the field once a call, consult or transfer to the
// number typed went through, so the next call starts clean. A failed one
// keeps it for a retry; a number typed meanwhile is left alone. Fyne thread.
func (p *dialPanel) clearAfter(typed string) func(error) {
	return func(err error) {
		if err == nil && p.number.Text == typed {
			p.number.SetText("")
		}
	}
}

// openDirectory lets the agent pick a number from the phone books and
// recent numbers (Ctrl+K); it lands in the field for Call, Consult or
// Direct transfer. Fyne thread.
func (p *dialPanel) openDirectory() {
	p.picker = p.s.openDirectory(func(e core.DirectoryEntry) {
		p.number.SetText(e.Number)
		p.focus()
	})
}

// focus puts the cursor in the number entry (Ctrl+D).
func (p *dialPanel) focus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(p.number); c != nil {
		c.Focus(p.number)
	}
}

// dialled returns the normalised number in the entry, for consult and
// direct transfer, or an error saying to type one.
func (p *dialPanel) dialled() (string, error) {
	return normalizeNumber(p.s.plan, p.number.Text)
}

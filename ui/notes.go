package ui

import (
	"context"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Notes are messages about the desktop app itself, not about the call,
// that the agent should see in the window rather than only in the log:
// global hotkeys that are off and why, a hotkey that did nothing, a Not
// Ready reason hotkey naming a reason that does not exist. They arrive on
// Config.Notices, stay at the top of the window (login form and
// softphone) until dismissed, and the same text is shown once.

// maxNotes bounds the list: the oldest goes when a new one comes.
const maxNotes = 5

// followNotices adds each message from notices until ctx ends.
func (s *shell) followNotices(ctx context.Context, notices <-chan string) {
	if notices == nil {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case msg := <-notices:
			s.do(func() { s.addNote(msg); s.refresh() })
		}
	}
}

// addNote shows msg (once). Fyne thread.
func (s *shell) addNote(msg string) {
	if msg == "" || slices.Contains(s.notes, msg) {
		return
	}
	s.log.Info("ui shows a note", "text", msg)
	s.notes = append(s.notes, msg)
	if len(s.notes) > maxNotes {
		s.notes = s.notes[len(s.notes)-maxNotes:]
	}
}

// dismissNote removes msg. Fyne thread.
func (s *shell) dismissNote(msg string) {
	s.notes = slices.DeleteFunc(s.notes, func(n string) bool { return n == msg })
	s.refresh()
}

// notePanel shows the notes, each with a Dismiss button; the login form
// and the softphone have one each.
type notePanel struct {
	s     *shell
	box   *fyne.Container
	shown []string // the notes the rows show now
	rows  []*noteRow
}

type noteRow struct {
	text    *widget.Label
	dismiss *widget.Button
}

func newNotePanel(s *shell) *notePanel {
	p := &notePanel{s: s, box: container.NewVBox()}
	p.box.Hide()
	return p
}

// refresh rebuilds the rows when the notes changed. Fyne thread.
func (p *notePanel) refresh() {
	if slices.Equal(p.shown, p.s.notes) {
		return
	}
	p.shown = slices.Clone(p.s.notes)
	p.box.RemoveAll()
	p.rows = nil
	for _, n := range p.shown {
		text := widget.NewLabel(n)
		text.Wrapping = fyne.TextWrapWord
		text.Importance = widget.WarningImportance
		dismiss := widget.NewButtonWithIcon("Dismiss", theme.CancelIcon(), func() { p.s.dismissNote(n) })
		p.rows = append(p.rows, &noteRow{text, dismiss})
		p.box.Add(container.NewBorder(nil, nil, nil, container.NewVBox(dismiss), text))
	}
	if len(p.shown) == 0 {
		p.box.Hide()
	} else {
		p.box.Show()
	}
	p.box.Refresh()
}

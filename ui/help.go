package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// helpTitle is the title of the keyboard help dialog.
const helpTitle = "Keyboard shortcuts"

// globalHelpHeading starts the global hotkeys' part of the help.
const globalHelpHeading = "Global hotkeys (work from any program):"

// helpText lists the window's shortcuts and keys, one per line, then the
// global hotkeys as configured (none when they are off).
func helpText(global []HotkeyHelp) string {
	lines := make([]string, 0, len(shortcuts)+6+len(global))
	for _, sc := range shortcuts {
		lines = append(lines, "Ctrl+"+keyWord(sc.Key)+"\t"+sc.Label)
	}
	lines = append(lines,
		"F1\tThis help",
		"Enter\tCall the number in the dial field; sign in on the login form",
		"Escape\tClose the open dialog",
		"Tab\tMove between buttons and fields (the focused one is highlighted)")
	if len(global) > 0 {
		lines = append(lines, "", globalHelpHeading)
		for _, h := range global {
			lines = append(lines, h.Keys+"\t"+h.Does)
		}
	}
	return strings.Join(lines, "\n")
}

func keyWord(k fyne.KeyName) string {
	if k == fyne.KeyReturn {
		return "Enter"
	}
	return string(k)
}

// showHelp opens the keyboard help. Fyne thread.
func (s *shell) showHelp() {
	text := widget.NewLabel(strings.ReplaceAll(helpText(s.hotkeyHelp), "\t", "  –  "))
	text.Wrapping = fyne.TextWrapWord
	s.helpShown = text.Text
	d := dialog.NewCustom(helpTitle, "Close", scrolled(text), s.win)
	d.Resize(dialogSize(s.win, 400))
	d.Show()
}

// onTypedKey handles keys nothing focused took: F1 opens the help, Escape
// closes the topmost dialog (Fyne's dialogs do not by themselves).
// Fyne thread.
func (s *shell) onTypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyF1:
		s.showHelp()
	case fyne.KeyEscape:
		// The top overlay is a dialog's container: removing it is what
		// the dialog's own Hide does, without an answer to its callback.
		ov := s.win.Canvas().Overlays()
		if top := ov.Top(); top != nil {
			ov.Remove(top)
		}
	}
}

// appShortcut reports whether sc is one of the window's shortcuts, and
// which key.
func appShortcut(sc fyne.Shortcut) (fyne.KeyName, bool) {
	cs, ok := sc.(*desktop.CustomShortcut)
	if !ok || cs.Modifier != fyne.KeyModifierControl {
		return "", false
	}
	for _, s := range shortcuts {
		if s.Key == cs.KeyName {
			return s.Key, true
		}
	}
	return "", false
}

// keyEntry is an Entry that leaves the window's shortcuts (and F1,
// Escape) to the window. A focused Fyne entry takes every shortcut itself,
// so Ctrl+E and Ctrl+H did nothing after keyboard dialling.
type keyEntry struct {
	widget.Entry
	s *shell
}

func newKeyEntry(s *shell) *keyEntry {
	e := &keyEntry{s: s}
	e.ExtendBaseWidget(e)
	return e
}

func (e *keyEntry) TypedShortcut(sc fyne.Shortcut) {
	if k, ok := appShortcut(sc); ok {
		e.s.onShortcut(k)
		return
	}
	e.Entry.TypedShortcut(sc)
}

func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyF1 || k.Name == fyne.KeyEscape {
		e.s.onTypedKey(k)
		return
	}
	e.Entry.TypedKey(k)
}

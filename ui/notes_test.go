package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/agentlink/agentlink/core"
)

// noteTexts are the notes a panel shows now.
func noteTexts(p *notePanel) []string {
	var out []string
	if !p.box.Visible() {
		return nil
	}
	for _, r := range p.rows {
		out = append(out, r.text.Text)
	}
	return out
}

// TestNoticesShownInWindow: a message on Config.Notices (global hotkeys
// off, a hotkey that did nothing) is shown at the top of the login form
// and of the softphone, once however often it comes, until dismissed.
func TestNoticesShownInWindow(t *testing.T) {
	notices := make(chan string, 4)
	f := newFixture(t, fixtureOpts{notices: notices})
	const taken = "Global hotkeys are off: Ctrl+Alt+A (Answer) is already used by another program."
	notices <- taken
	notices <- taken
	f.waitFor("the note on the login form", func() bool { return len(noteTexts(f.s.login.notes)) == 1 })
	f.signIn(core.StateNotReady)
	const missing = "Global hotkey Not Ready – Lunch: the Not Ready reason \"Lunch\" does not exist."
	notices <- missing
	f.waitFor("both notes in the softphone", func() bool {
		got := noteTexts(f.s.phone.notes)
		return len(got) == 2 && got[0] == taken && got[1] == missing
	})
	f.ui(func() { f.s.phone.notes.rows[0].dismiss.OnTapped() })
	f.waitFor("the dismissed note gone", func() bool {
		got := noteTexts(f.s.phone.notes)
		return len(got) == 1 && got[0] == missing
	})
	f.ui(func() { f.s.phone.notes.rows[0].dismiss.OnTapped() })
	f.waitFor("no notes left", func() bool { return noteTexts(f.s.phone.notes) == nil })
}

// TestHelpListsGlobalHotkeys: F1 lists the global hotkeys as configured
// after the window's own shortcuts; without them the part is left out.
func TestHelpListsGlobalHotkeys(t *testing.T) {
	f := newFixture(t, fixtureOpts{hotkeys: []HotkeyHelp{
		{Keys: "Ctrl+Alt+A", Does: "Answer"}, {Keys: "Ctrl+Alt+1", Does: "Not Ready – Lunch"}}})
	f.signIn(core.StateNotReady)
	pressKey(f, fyne.KeyF1)
	f.ui(func() {
		text := f.s.helpShown
		for _, want := range []string{"Ctrl+R  –  Ready", globalHelpHeading, "Ctrl+Alt+A  –  Answer", "Ctrl+Alt+1  –  Not Ready – Lunch"} {
			if !strings.Contains(text, want) {
				t.Errorf("help lacks %q:\n%s", want, text)
			}
		}
		if strings.Index(text, "Ctrl+R") > strings.Index(text, globalHelpHeading) {
			t.Errorf("the window's shortcuts must come first:\n%s", text)
		}
	})
	if strings.Contains(helpText(nil), globalHelpHeading) {
		t.Errorf("help without global hotkeys mentions them:\n%s", helpText(nil))
	}
}

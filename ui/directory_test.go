package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// bigBook is a phone book the size of a paged Finesse team book.
func bigBook() []core.Contact {
	cs := []core.Contact{{PhoneBook: "Global Directory", BookType: "GLOBAL", FirstName: "Ada", LastName: "Lovelace",
		Number: "4085550111", Description: "Key account"}}
	for i := range 3000 {
		cs = append(cs, core.Contact{PhoneBook: "Large Team Book", BookType: "TEAM",
			FirstName: fmt.Sprintf("Contact%05d", i), LastName: "Large", Number: fmt.Sprintf("7%06d", i)})
	}
	return cs
}

// TestDirectoryPicker: Ctrl+K opens the directory with the recent number
// first; typing searches 3000 contacts, arrows move, Enter puts the number
// in the dial field (for Call, Consult or Direct transfer) and closes it;
// the dial field cleared after the call. The picker fits both window sizes.
func TestDirectoryPicker(t *testing.T) {
	for _, size := range windowSizes {
		t.Run(sizeName(size), func(t *testing.T) { testDirectoryPicker(t, size) })
	}
}

// testDirectoryPicker runs in its own subtest so that its fixture is gone
// before the next one starts (two test apps shaping text at once race).
func testDirectoryPicker(t *testing.T, size fyne.Size) {
	{
		f := newFixture(t, fixtureOpts{answer: finesse, setup: func(p *coretest.Port) {
			p.PhoneBookFunc = func(context.Context) ([]core.Contact, error) { return bigBook(), nil }
		}})
		f.signIn(core.StateNotReady)
		f.ui(func() {
			f.s.win.Resize(size)
			test.Type(f.s.phone.dial.number, "777")
			f.s.phone.dial.onCall()
		})
		f.waitFor("the dial field cleared after the call", func() bool {
			return f.s.phone.dial.number.Text == "" && f.card("out1") != nil
		})
		pressShortcut(f, fyne.KeyK)
		var p *directoryPicker
		f.waitFor("the directory loaded", func() bool {
			p = f.s.phone.dial.picker
			return p != nil && len(p.all) == 3002
		})
		f.ui(func() {
			if f.s.win.Canvas().Focused() != fyne.Focusable(p.search) {
				t.Error("the search field has no focus")
			}
			if p.shown[0].Kind != core.EntryRecent || p.shown[0].Number != "777" {
				t.Errorf("first entry = %+v, want the recent 777", p.shown[0])
			}
			if len(p.shown) != maxShown {
				t.Errorf("shown = %d rows, want the first %d", len(p.shown), maxShown)
			}
			test.Type(p.search, "large 700001")
			if len(p.shown) != 10 { // 7000010 … 7000019
				t.Errorf("search shows %d, want 10", len(p.shown))
			}
			assertFits(t, f.s.win, size, "directory")
		})
		keepCapture(t, f, "directory", size)
		pressKey(f, fyne.KeyDown)
		pressKey(f, fyne.KeyDown)
		pressKey(f, fyne.KeyUp)
		f.ui(func() {
			if !strings.HasPrefix(entryText(p.shown[p.sel], true), "› ") || p.sel != 1 {
				t.Errorf("highlight at %d, want 1", p.sel)
			}
			p.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter submits
			test.Type(p.search, "")                                 // nothing else happens once closed
		})
		f.waitFor("the picked number in the dial field", func() bool { return f.s.phone.dial.number.Text == "7000011" })
		f.ui(func() {
			if !p.closed {
				t.Error("the directory is still open after picking")
			}
		})
		// Escape closes without picking.
		pressShortcut(f, fyne.KeyK)
		f.waitFor("a second directory", func() bool { return f.s.phone.dial.picker != p })
		pressKey(f, fyne.KeyEscape)
		f.ui(func() {
			if !f.s.phone.dial.picker.closed || f.s.phone.dial.number.Text != "7000011" {
				t.Errorf("Escape: closed %v, dial field %q", f.s.phone.dial.picker.closed, f.s.phone.dial.number.Text)
			}
		})
	}
}

// TestQueuesAndTeamMessage: the queue line and a supervisor's message show
// compactly, the message goes on dismiss, and both fit the window.
func TestQueuesAndTeamMessage(t *testing.T) {
	for _, size := range windowSizes {
		t.Run(sizeName(size), func(t *testing.T) { testQueuesAndTeamMessage(t, size) })
	}
}

func testQueuesAndTeamMessage(t *testing.T, size fyne.Size) {
	{
		f := newFixture(t, fixtureOpts{})
		f.signIn(core.StateReady)
		f.ui(func() { f.s.win.Resize(size) })
		f.sess.SetQueues([]core.Queue{
			{ID: "7001", Name: "Sales", CallsWaiting: 3, OldestSince: time.Now().Add(-95 * time.Second)},
			{ID: "7002", Name: "Premium Support Queue With A Long Name", CallsWaiting: 0},
			{ID: "7003", Name: "UCCX", CallsWaiting: -1},
		})
		f.waitFor("the queue line", func() bool {
			return f.s.phone.queues.line.Visible() && strings.HasPrefix(f.s.phone.queues.line.Text, "Sales 3 waiting · 1:3")
		})
		f.ui(func() {
			if got := f.s.phone.queues.line.Text; !strings.Contains(got, "Premium Support Queue With A Long Name 0 waiting") ||
				!strings.HasSuffix(got, "UCCX –") {
				t.Errorf("queue line = %q", got)
			}
		})
		f.sess.ApplyTeamMessage(core.TeamMessage{ID: "m1", From: "Sam Super",
			Content: strings.Repeat("Storm in the north: expect high volume until 14:00. ", 4), At: time.Now(), For: time.Hour})
		f.waitFor("the team message", func() bool {
			return f.s.phone.queues.msgRow.Visible() && strings.HasPrefix(f.s.phone.queues.msg.Text, "Sam Super: Storm")
		})
		f.ui(func() { assertFits(t, f.s.win, size, "queues and team message") })
		keepCapture(t, f, "queues", size)
		f.tap(f.s.phone.queues.dismiss)
		f.waitFor("the message dismissed", func() bool { return !f.s.phone.queues.msgRow.Visible() })
		// A withdrawn message goes too; a newer one shows.
		f.sess.ApplyTeamMessage(core.TeamMessage{ID: "m2", Content: "Lunch moved to 13:00", At: time.Now()})
		f.waitFor("the next message", func() bool { return f.s.phone.queues.msg.Text == "Lunch moved to 13:00" })
		f.sess.ApplyTeamMessage(core.TeamMessage{ID: "m2", Deleted: true})
		f.waitFor("the withdrawal", func() bool { return !f.s.phone.queues.msgRow.Visible() })
	}
}

package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
)

// Recent calls: the day's ended calls (in, out, missed), newest first, each
// with a Call button that dials the number again. The list comes from the
// session's CallLog (core/recent.go): in memory today, so it starts empty
// when AgentLink starts.

// recentSource is what a session offers for the Recent calls list;
// *core.Session does (coreSession below).
type recentSource interface {
	RecentCalls() []core.RecentCall
}

func (c coreSession) RecentCalls() []core.RecentCall { return c.s.RecentCalls() }

// maxRecentRows bounds the rows drawn; the rest are counted.
const maxRecentRows = 25

// recentPanel is a collapsible "Recent calls" section above the dial pad:
// collapsed it takes one line, so it fits the 320×480 window, and opened
// it is in view without scrolling past the keypad.
type recentPanel struct {
	s     *shell
	calls []core.RecentCall // as drawn; Fyne thread
	key   string            // what the list was built from, to skip no-op rebuilds
	rows  *fyne.Container
	item  *widget.AccordionItem
	acc   *widget.Accordion
	redo  []*widget.Button // the rows' Call buttons, for tests
	obj   fyne.CanvasObject
}

func newRecentPanel(s *shell) *recentPanel {
	p := &recentPanel{s: s, rows: container.NewVBox()}
	p.item = widget.NewAccordionItem("Recent calls", p.rows)
	p.acc = widget.NewAccordion(p.item)
	p.obj = p.acc
	return p
}

// refresh rebuilds the list when a call ended, the day changed or the
// agent signed in or out since the last build. Fyne thread.
func (p *recentPanel) refresh() {
	src, ok := p.s.sess.(recentSource)
	if !ok || !p.s.m.Agent.LoggedIn() {
		p.obj.Hide()
		return
	}
	p.obj.Show()
	key := p.s.now().Format("2006-01-02") + "|" + p.s.m.Agent.ID + "|" + dialogIDs(p.s.m.Dialogs) + "|" + p.s.m.Agent.Extension
	if key == p.key {
		p.setEnabled()
		return
	}
	p.key = key
	p.calls = src.RecentCalls()
	p.build()
}

func dialogIDs(ds []core.Dialog) string {
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	return strings.Join(ids, ",")
}

func (p *recentPanel) build() {
	p.item.Title = fmt.Sprintf("Recent calls (%d)", len(p.calls))
	objs := make([]fyne.CanvasObject, 0, min(len(p.calls), maxRecentRows)+1)
	p.redo = p.redo[:0]
	for i, c := range p.calls {
		if i == maxRecentRows {
			objs = append(objs, widget.NewLabel(fmt.Sprintf("and %d earlier", len(p.calls)-i)))
			break
		}
		objs = append(objs, p.row(c))
	}
	if len(p.calls) == 0 {
		objs = append(objs, widget.NewLabel("No calls yet today."))
	}
	p.rows.Objects = objs
	p.rows.Refresh()
	p.acc.Refresh()
	p.setEnabled()
}

// row is one call: direction and who on the first line, time and length
// on the second, and a Call button when there is a number.
func (p *recentPanel) row(c core.RecentCall) fyne.CanvasObject {
	who := widget.NewLabel(directionWord(c.Direction) + " · " + p.who(c))
	who.Truncation = fyne.TextTruncateEllipsis
	if c.Direction == core.CallMissed {
		who.Importance = widget.DangerImportance
	}
	when := widget.NewLabel(recentWhen(c))
	when.Truncation = fyne.TextTruncateEllipsis
	text := container.New(layout.NewCustomPaddedVBoxLayout(0), who, when)
	if strings.TrimSpace(c.Number) == "" {
		return text
	}
	number := c.Number
	btn := widget.NewButton("Call", func() { p.redial(number) })
	p.redo = append(p.redo, btn)
	return container.NewBorder(nil, nil, nil, container.NewCenter(btn), text)
}

// who is the customer's name with the number, or the number alone.
func (p *recentPanel) who(c core.RecentCall) string {
	number := c.Number
	if number == "" {
		number = "Unknown caller"
	}
	d := core.Dialog{ID: c.DialogID, CallType: c.CallType, Variables: c.Variables}
	if name, _ := p.s.callerName(d); name != "" {
		return name + " (" + number + ")"
	}
	return number
}

func directionWord(d core.Direction) string {
	switch d {
	case core.CallOut:
		return "Out"
	case core.CallMissed:
		return "Missed"
	}
	return "In"
}

// recentWhen is "14:05 · 3:12" (start, talk time) or "14:05" if unanswered.
func recentWhen(c core.RecentCall) string {
	at := c.Started
	if at.IsZero() {
		at = c.Ended
	}
	s := at.Local().Format("15:04")
	if !c.Answered.IsZero() && c.Ended.After(c.Answered) {
		s += " · " + durationText(c.Ended.Sub(c.Answered))
	}
	return s
}

func durationText(d time.Duration) string {
	d = d.Round(time.Second)
	if d >= time.Hour {
		return fmt.Sprintf("%d:%02d:%02d", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
	}
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

// setEnabled allows redial like the dial pad's Call: signed in, no call
// being placed.
func (p *recentPanel) setEnabled() {
	on := p.s.m.Agent.LoggedIn() && !p.s.busy[keyDial]
	for _, b := range p.redo {
		setEnabled(b, on)
	}
}

// redial places a call to number, like typing it and pressing Call (the
// dial plan applies; a number it cannot read is dialled as Finesse gave it).
func (p *recentPanel) redial(number string) {
	if n, err := normalizeNumber(p.s.plan, number); err == nil {
		number = n
	}
	p.s.execute(keyDial, "Call "+number, core.Command{Kind: core.CmdMakeCall, Number: number})
}

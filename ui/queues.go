package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
)

// queuePanel is the compact queue line ("Sales 3 waiting · 1:35 | Support
// 0") and the latest supervisor team message with a dismiss button. Both
// hide when there is nothing to show.
type queuePanel struct {
	s         *shell
	line      *widget.Label
	msg       *widget.Label
	dismiss   *widget.Button
	msgRow    fyne.CanvasObject
	dismissed map[string]bool // Fyne thread: message ids the agent closed
	obj       fyne.CanvasObject
}

func newQueuePanel(s *shell) *queuePanel {
	p := &queuePanel{s: s, dismissed: map[string]bool{}}
	p.line = widget.NewLabel("")
	p.line.Wrapping = fyne.TextWrapWord
	p.msg = widget.NewLabel("")
	p.msg.Wrapping = fyne.TextWrapWord
	p.msg.Importance = widget.WarningImportance
	p.dismiss = widget.NewButtonWithIcon("", theme.CancelIcon(), p.onDismiss)
	p.msgRow = container.NewBorder(nil, nil, widget.NewIcon(theme.InfoIcon()), p.dismiss, p.msg)
	p.obj = container.NewVBox(p.line, p.msgRow)
	p.line.Hide()
	p.msgRow.Hide()
	return p
}

// applyBoard folds a queue or team-message event into m.
func (m model) applyBoard(ev core.Event) model {
	switch {
	case ev.Kind == core.EventQueues:
		m.Queues = ev.Queues
	case ev.TeamMessage != nil:
		tm := *ev.TeamMessage
		ms := slices.DeleteFunc(slices.Clone(m.Messages), func(o core.TeamMessage) bool { return o.ID == tm.ID })
		if !tm.Deleted {
			ms = append(ms, tm)
		}
		m.Messages = ms
	}
	return m
}

// queueLine is the one-line summary of the agent's queues at now.
func queueLine(qs []core.Queue, now time.Time) string {
	parts := make([]string, 0, len(qs))
	for _, q := range qs {
		name := firstNonBlank(q.Name, q.ID)
		switch {
		case q.CallsWaiting < 0:
			parts = append(parts, name+" –")
		case q.CallsWaiting == 0:
			parts = append(parts, name+" 0 waiting")
		default:
			s := fmt.Sprintf("%s %d waiting", name, q.CallsWaiting)
			if w := q.LongestWait(now); w > 0 {
				s += " · " + waitText(w)
			}
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "  |  ")
}

func waitText(d time.Duration) string {
	d = d.Round(time.Second)
	if d >= time.Hour {
		return fmt.Sprintf("%d:%02d:%02d", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
	}
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

func firstNonBlank(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// current is the newest team message still up and not dismissed.
func (p *queuePanel) current() (core.TeamMessage, bool) {
	now := p.s.now()
	for i := len(p.s.m.Messages) - 1; i >= 0; i-- {
		m := p.s.m.Messages[i]
		if !m.Expired(now) && !p.dismissed[m.ID] {
			return m, true
		}
	}
	return core.TeamMessage{}, false
}

// maxTeamMessageText keeps a broadcast to about three lines at 320 px, so
// the calls stay in view; the whole text is in the toolbar event.
const maxTeamMessageText = 120

// refresh redraws from the model. Fyne thread.
func (p *queuePanel) refresh() {
	if len(p.s.m.Queues) == 0 || !p.s.m.Agent.LoggedIn() {
		p.line.Hide()
	} else {
		if text := queueLine(p.s.m.Queues, p.s.now()); text != p.line.Text {
			p.line.SetText(text) // every second while calls wait: skip the unchanged
		}
		p.line.Show()
	}
	m, ok := p.current()
	if !ok {
		p.msgRow.Hide()
		return
	}
	text := m.Content
	if m.From != "" {
		text = m.From + ": " + text
	}
	if text = clip(text, maxTeamMessageText); text != p.msg.Text {
		p.msg.SetText(text)
	}
	p.msgRow.Show()
}

func (p *queuePanel) onDismiss() {
	if m, ok := p.current(); ok {
		p.dismissed[m.ID] = true
	}
	p.s.refresh()
}

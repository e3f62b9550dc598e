package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// softphone is the signed-in window content. From the top: connection
// strip, agent state bar (Ready is always at the same place), consent
// banners, the last error, then the calls, wrap-up and the dial pad.
type softphone struct {
	s       *shell
	id      *idRow
	conn    *connStrip
	state   *stateBar
	queues  *queuePanel // queues.go
	consent *consentBanner
	errMsg  *widget.Label
	notice  *widget.Label // a missed call
	notes   *notePanel    // messages about the app itself (notes.go)
	calls   *callList
	wrap    *wrapUpPanel
	dial    *dialPanel
	recent  *recentPanel // the day's calls, collapsed above the dial pad (recent.go)
	obj     fyne.CanvasObject
}

// maxErrText bounds the error line above the calls: a long technical error
// must not push the calls out of the window (the whole text is logged).
const maxErrText = 240

func newSoftphone(s *shell) *softphone {
	p := &softphone{s: s}
	p.id = newIDRow(s)
	p.conn = newConnStrip(s)
	p.state = newStateBar(s)
	p.queues = newQueuePanel(s)
	p.consent = newConsentBanner(s)
	p.errMsg = widget.NewLabel("")
	p.errMsg.Wrapping = fyne.TextWrapWord
	p.errMsg.Importance = widget.DangerImportance
	p.errMsg.Hide()
	p.notice = widget.NewLabel("")
	p.notice.Wrapping = fyne.TextWrapWord
	p.notice.Importance = widget.WarningImportance
	p.notice.Hide()
	p.notes = newNotePanel(s)
	p.calls = newCallList(s)
	p.wrap = newWrapUpPanel(s)
	p.dial = newDialPanel(s)
	p.recent = newRecentPanel(s)
	top := container.NewVBox(p.id.obj, p.conn.obj, p.state.obj, p.queues.obj, p.consent.obj, p.notes.box, p.errMsg, p.notice)
	body := container.NewVBox(p.calls.obj, p.wrap.obj, p.recent.obj, widget.NewSeparator(), p.dial.obj)
	sc := scrolled(body)
	if scroll, ok := sc.(*container.Scroll); ok {
		p.wrap.reveal = scroll.ScrollToTop // in wrap-up the panel follows only the calls left
	}
	p.wrap.relayout = body.Refresh
	p.obj = container.NewBorder(top, nil, nil, nil, sc)
	return p
}

// refresh redraws the panels from the shell's state. Fyne thread.
func (p *softphone) refresh() {
	p.id.refresh()
	p.conn.refresh()
	p.state.refresh()
	p.queues.refresh()
	p.consent.refresh()
	p.notes.refresh()
	if p.s.errText == "" {
		p.errMsg.Hide()
	} else {
		p.errMsg.SetText(clip(p.s.errText, maxErrText))
		p.errMsg.Show()
	}
	if p.s.notice == "" {
		p.notice.Hide()
	} else {
		p.notice.SetText(p.s.notice)
		p.notice.Show()
	}
	p.calls.refresh()
	p.wrap.refresh()
	p.dial.refresh()
	p.recent.refresh()
}

func (p *softphone) tick() {
	p.state.tick()
	p.queues.refresh() // the longest wait counts on; a message expires
	p.calls.tick()
}

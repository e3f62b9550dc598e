package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
)

// maxReason is how much of an outage reason the strip shows; the whole
// text is in the log and the Connector Monitor.
const maxReason = 90

// connStrip is the two small lines at the top: which Finesse side is in
// use and whether it works, then notifications and CRM toolbars. Both
// lines wrap or truncate: a long failover error once widened the window
// to 2000 px and left it so after recovery.
type connStrip struct {
	s        *shell
	finesse  *widget.Label
	links    *widget.Label
	unlogged *widget.Label // calls not yet logged in the CRM; hidden when none
	obj      fyne.CanvasObject
}

func newConnStrip(s *shell) *connStrip {
	c := &connStrip{s: s, finesse: smallText(), links: smallText(), unlogged: smallText()}
	c.finesse.Wrapping = fyne.TextWrapWord
	c.links.Truncation = fyne.TextTruncateEllipsis
	c.unlogged.Wrapping = fyne.TextWrapWord
	c.unlogged.Importance = widget.WarningImportance
	c.unlogged.Hide()
	c.obj = container.New(layout.NewCustomPaddedVBoxLayout(-theme.InnerPadding()), c.finesse, c.links, c.unlogged)
	return c
}

// smallText is a caption-sized line; the strip is secondary information
// and must not push the state bar down.
func smallText() *widget.Label {
	l := widget.NewLabel("")
	l.SizeName = theme.SizeNameCaptionText
	return l
}

func (c *connStrip) refresh() {
	clients := -1
	if c.s.bridge != nil {
		clients = c.s.bridge.Clients()
	}
	f, l := connLines(c.s.m.System, clients)
	c.finesse.Importance = widget.MediumImportance
	if c.s.m.System.Status != core.InService {
		c.finesse.Importance = widget.DangerImportance
	}
	c.finesse.SetText(f)
	c.links.SetText(l)
	var calls []core.CallRecord
	if cl, ok := c.s.bridge.(CallLog); ok {
		calls = cl.Unlogged()
	}
	c.unlogged.SetText(unloggedLine(calls))
	c.unlogged.Hidden = len(calls) == 0
	c.unlogged.Refresh()
}

// maxUnloggedListed is how many calls the strip names; the Connector
// Monitor lists them all.
const maxUnloggedListed = 3

// unloggedLine words the calls no CRM has logged yet: a count and the
// first few (caller and end time, the reason when chosen).
func unloggedLine(calls []core.CallRecord) string {
	if len(calls) == 0 {
		return ""
	}
	line := "1 call not yet logged in the CRM"
	if len(calls) > 1 {
		line = fmt.Sprintf("%d calls not yet logged in the CRM", len(calls))
	}
	for i, r := range calls {
		if i == maxUnloggedListed {
			line += ", …"
			break
		}
		sep := ": "
		if i > 0 {
			sep = ", "
		}
		line += sep + callWords(r)
	}
	return line
}

func callWords(r core.CallRecord) string {
	w := r.Summary.From
	if w == "" {
		w = r.Summary.To
	}
	if !r.Summary.Ended.IsZero() {
		w += " at " + r.Summary.Ended.Local().Format("15:04")
	}
	switch {
	case r.Pending:
		w += " (waiting for the wrap-up reason)"
	case r.Summary.WrapUpReason != "":
		w += " (" + r.Summary.WrapUpReason + ")"
	}
	return w
}

// connLines words the link status. clients < 0 means there is no bridge.
func connLines(sys core.System, clients int) (finesse, links string) {
	switch {
	case sys.Node == "":
		finesse = "Finesse: not connected"
	default:
		finesse = fmt.Sprintf("Finesse side %s (%s): %s", sys.Node, sys.Host, statusWord(sys.Status))
	}
	if sys.Status == core.OutOfService && sys.Reason != "" {
		finesse += " – " + clip(sys.Reason, maxReason)
	}
	links = "Notifications: disconnected"
	if sys.XMPPConnected {
		links = "Notifications: connected"
	}
	switch {
	case clients < 0:
	case clients == 1:
		links += " · 1 CRM toolbar"
	default:
		links += fmt.Sprintf(" · %d CRM toolbars", clients)
	}
	return finesse, links
}

func statusWord(s core.SystemStatus) string {
	switch s {
	case core.InService:
		return "in service"
	case core.OutOfService:
		return "out of service"
	}
	return "connecting"
}

// clip shortens s to at most n runes, ending in "…" when it cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

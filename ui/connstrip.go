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
	s       *shell
	finesse *widget.Label
	links   *widget.Label
	obj     fyne.CanvasObject
}

func newConnStrip(s *shell) *connStrip {
	c := &connStrip{s: s, finesse: smallText(), links: smallText()}
	c.finesse.Wrapping = fyne.TextWrapWord
	c.links.Truncation = fyne.TextTruncateEllipsis
	c.obj = container.New(layout.NewCustomPaddedVBoxLayout(-theme.InnerPadding()), c.finesse, c.links)
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

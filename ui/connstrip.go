package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/agentlink/agentlink/core"
)

// connStrip is the two small lines at the top: which Finesse side is in
// use and whether it works, then notifications and CRM toolbars.
type connStrip struct {
	s       *shell
	finesse *canvas.Text
	links   *canvas.Text
	obj     fyne.CanvasObject
}

func newConnStrip(s *shell) *connStrip {
	c := &connStrip{s: s, finesse: smallText(), links: smallText()}
	c.obj = container.NewPadded(container.NewVBox(c.finesse, c.links))
	return c
}

// smallText is a caption-sized line; the strip is secondary information
// and must not push the state bar down.
func smallText() *canvas.Text {
	t := canvas.NewText("", theme.Color(theme.ColorNameForeground))
	t.TextSize = theme.CaptionTextSize()
	return t
}

func (c *connStrip) refresh() {
	clients := -1
	if c.s.bridge != nil {
		clients = c.s.bridge.Clients()
	}
	f, l := connLines(c.s.m.System, clients)
	c.finesse.Text, c.links.Text = f, l
	c.finesse.Color = theme.Color(theme.ColorNameForeground)
	if c.s.m.System.Status != core.InService {
		c.finesse.Color = theme.Color(theme.ColorNameError)
	}
	c.finesse.Refresh()
	c.links.Refresh()
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
		finesse += " – " + sys.Reason
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

package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
)

// idRow is the top line of the softphone: who is signed in (name, agent
// ID, extension), then the Connector Monitor and keyboard help buttons.
type idRow struct {
	s       *shell
	who     *widget.Label
	monitor *widget.Button
	help    *widget.Button
	obj     fyne.CanvasObject
}

func newIDRow(s *shell) *idRow {
	r := &idRow{s: s, who: widget.NewLabel("")}
	r.who.TextStyle = fyne.TextStyle{Bold: true}
	r.who.Truncation = fyne.TextTruncateEllipsis
	r.monitor = widget.NewButtonWithIcon("", theme.InfoIcon(), s.openMonitor)
	r.help = widget.NewButtonWithIcon("", theme.HelpIcon(), s.showHelp)
	r.monitor.Importance, r.help.Importance = widget.LowImportance, widget.LowImportance
	r.obj = container.NewBorder(nil, nil, nil, container.NewHBox(r.monitor, r.help), r.who)
	return r
}

func (r *idRow) refresh() {
	r.who.SetText(identity(r.s.m.Agent))
	setEnabled(r.monitor, r.s.bridge != nil)
}

// identity is "Jane Doe · agent 1001 · ext 5001", leaving out what is not
// known, then the mobile agent's number or the device (login_phone.go).
func identity(a core.Agent) string {
	var parts []string
	if n := strings.TrimSpace(a.FirstName + " " + a.LastName); n != "" {
		parts = append(parts, n)
	}
	if a.ID != "" {
		parts = append(parts, "agent "+a.ID)
	}
	if a.Extension != "" {
		parts = append(parts, "ext "+a.Extension)
	}
	return strings.Join(append(parts, phoneWords(a)...), " · ")
}

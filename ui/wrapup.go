package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
)

const keyWrapUp = "wrapup"

// wrapUpPanel picks the wrap-up reason while the agent is in wrap-up.
type wrapUpPanel struct {
	s      *shell
	pick   *widget.Select
	apply  *widget.Button
	labels []string // options drawn now
	obj    fyne.CanvasObject
}

func newWrapUpPanel(s *shell) *wrapUpPanel {
	w := &wrapUpPanel{s: s}
	w.pick = widget.NewSelect(nil, func(string) { w.refresh() })
	w.pick.PlaceHolder = "Choose a wrap-up reason"
	w.apply = widget.NewButton("Save wrap-up", w.onApply)
	title := widget.NewLabelWithStyle("Wrap-up", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.obj = container.NewVBox(title, container.NewBorder(nil, nil, nil, w.apply, w.pick))
	w.obj.Hide()
	return w
}

func (w *wrapUpPanel) refresh() {
	if !inWrapUp(w.s.m) {
		w.obj.Hide()
		return
	}
	labels := wrapUpLabels(w.s.lists.wrapUp)
	if !equalStrings(labels, w.labels) {
		w.labels = labels
		w.pick.Options = labels
		w.pick.Refresh()
	}
	setEnabled(w.apply, w.pick.Selected != "" && !w.s.busy[keyWrapUp])
	w.obj.Show()
}

func (w *wrapUpPanel) onApply() {
	reason := w.pick.Selected
	if reason == "" {
		return
	}
	w.s.execute(keyWrapUp, "Wrap-up", core.Command{Kind: core.CmdWrapUp, WrapUpReason: reason})
}

// inWrapUp reports whether the wrap-up picker should show.
func inWrapUp(m model) bool {
	if !m.Agent.LoggedIn() {
		return false
	}
	if m.Agent.InWrapUp() {
		return true
	}
	for _, d := range m.Dialogs {
		if d.AgentState == core.PartWrapUp {
			return true
		}
	}
	return false
}

func wrapUpLabels(rs []core.WrapUpReason) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.Label)
	}
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

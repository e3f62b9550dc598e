package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
)

const keyWrapUp = "wrapup"

// wrapUpPanel picks the wrap-up reason of one call: during the call (the
// reason goes to Finesse at once, which allows it for the whole call) and in
// wrap-up after it (on the call Finesse still lists, or recorded with the
// ended call when Finesse removed it; core decides). The panel follows one
// call at a time: a new call starts with no reason picked and nothing saved,
// so the previous call's reason is never carried over.
type wrapUpPanel struct {
	s      *shell
	title  *widget.Label
	pick   *widget.Select
	apply  *widget.Button
	status *widget.Label // "Saved: …" once Finesse (or core) took it
	labels []string      // options drawn now
	callID string        // the call the panel is for; kept after the call ends
	saved  string        // the reason saved for callID
	shown  bool          // in wrap-up at the last refresh
	// reveal scrolls the panel into view and relayout lays out the
	// softphone's body again after the panel appears, disappears or grows
	// (Show on a child does not re-run its parent's layout); both are set
	// by the softphone.
	reveal, relayout func()
	drawn            string // what the last refresh drew, to relayout only on change
	obj              fyne.CanvasObject
}

func newWrapUpPanel(s *shell) *wrapUpPanel {
	w := &wrapUpPanel{s: s}
	w.pick = widget.NewSelect(nil, func(string) { w.refresh() })
	w.pick.PlaceHolder = "Choose a wrap-up reason"
	w.apply = widget.NewButton("Save", w.onApply)
	w.title = widget.NewLabelWithStyle("Wrap-up", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.status = widget.NewLabel("")
	w.status.Wrapping = fyne.TextWrapWord
	w.status.Importance = widget.SuccessImportance
	w.status.Hide()
	w.obj = container.NewVBox(w.title, container.NewBorder(nil, nil, nil, w.apply, w.pick), w.status)
	w.obj.Hide()
	return w
}

func (w *wrapUpPanel) refresh() {
	w.draw()
	if key := w.layoutKey(); key != w.drawn {
		w.drawn = key
		if w.relayout != nil {
			w.relayout()
		}
	}
}

// layoutKey sums up what changes the panel's size.
func (w *wrapUpPanel) layoutKey() string {
	if !w.obj.Visible() {
		return ""
	}
	if w.status.Visible() {
		return "shown+status"
	}
	return "shown"
}

func (w *wrapUpPanel) draw() {
	m := w.s.m
	if id := currentCallID(m); id != "" && id != w.callID {
		w.startCall(id)
	}
	wrapping := inWrapUp(m)
	if !m.Agent.LoggedIn() || w.callID == "" || (!wrapping && currentCallID(m) == "") {
		if !m.Agent.LoggedIn() && w.callID != "" {
			w.startCall("")
		}
		w.shown = false
		w.obj.Hide()
		return
	}
	labels := wrapUpLabels(w.s.lists.wrapUp)
	if len(labels) == 0 {
		w.obj.Hide() // none configured (or not loaded yet): nothing to pick
		return
	}
	w.title.SetText(wrapUpTitle(wrapping))
	if !equalStrings(labels, w.labels) {
		w.labels = labels
		w.pick.Options = labels
		w.pick.Refresh()
	}
	setEnabled(w.apply, w.pick.Selected != "" && w.pick.Selected != w.saved && !w.s.busy[keyWrapUp])
	if w.saved != "" {
		w.status.SetText("Saved: " + w.saved)
		w.status.Show()
	} else {
		w.status.Hide()
	}
	w.obj.Show()
	if wrapping && !w.shown && w.reveal != nil {
		w.reveal() // after a transfer the cards are gone: show the panel, not an empty scroll
	}
	w.shown = wrapping
}

// startCall points the panel at a new call with nothing picked.
func (w *wrapUpPanel) startCall(id string) {
	w.callID, w.saved = id, ""
	if w.pick.Selected != "" {
		w.pick.ClearSelected() // calls refresh again, with callID already id
	}
}

func (w *wrapUpPanel) onApply() {
	reason, id := w.pick.Selected, w.callID
	if reason == "" {
		return
	}
	cmd := core.Command{Kind: core.CmdWrapUp, DialogID: id, WrapUpReason: reason}
	w.s.command(keyWrapUp, "Wrap-up", func(ctx context.Context) error { return w.s.sess.Execute(ctx, cmd) },
		func(err error) {
			if err == nil && w.callID == id {
				w.saved = reason
			}
		})
}

func wrapUpTitle(wrapping bool) string {
	if wrapping {
		return "Wrap-up"
	}
	return "Wrap-up reason for this call"
}

// currentCallID is the customer call the agent is on: the oldest dialog in
// which the agent is talking, on hold or wrapping up (a consult leg is
// newer than the call it consults about). "" when there is none.
func currentCallID(m model) string {
	for _, d := range m.Dialogs {
		switch d.AgentState {
		case core.PartActive, core.PartHeld, core.PartWrapUp:
			if d.Allows(core.ActionUpdateCallData) {
				return d.ID
			}
		}
	}
	return ""
}

// inWrapUp reports whether the agent is in wrap-up.
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

package ui

import (
	"context"

	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
)

// Busy key shared by every agent state command: one at a time.
const keyState = "state"

// stateBar shows the agent state on its colour with a timer, the pending
// state, and the Ready / Not Ready / Log out buttons.
type stateBar struct {
	s        *shell
	bg       *canvas.Rectangle
	state    *canvas.Text
	timer    *canvas.Text
	pending  *widget.Label
	media    *widget.Label // non-voice MRDs (media.go); hidden without
	ready    *widget.Button
	notReady *widget.Button
	logout   *widget.Button
	obj      fyne.CanvasObject
}

func newStateBar(s *shell) *stateBar {
	b := &stateBar{s: s}
	b.bg = canvas.NewRectangle(statusColor(statusOffline))
	b.bg.CornerRadius = 6
	b.state = canvas.NewText("", color.White)
	b.state.TextSize = 20
	b.state.TextStyle = fyne.TextStyle{Bold: true}
	b.timer = canvas.NewText("", color.White)
	b.timer.TextSize = 20
	b.timer.TextStyle = fyne.TextStyle{Monospace: true}
	b.pending = widget.NewLabel("")
	b.media = widget.NewLabel("")
	b.media.Wrapping = fyne.TextWrapWord
	b.media.Hide()
	b.ready = widget.NewButtonWithIcon("Ready", theme.ConfirmIcon(), b.onReady)
	b.notReady = widget.NewButtonWithIcon("Not Ready", theme.MenuDropDownIcon(), b.onNotReady)
	b.logout = widget.NewButtonWithIcon("Log out", theme.LogoutIcon(), b.onLogout)
	row := container.NewPadded(container.NewHBox(b.state, layout.NewSpacer(), b.timer))
	buttons := newFitGrid(3, b.ready, b.notReady, b.logout)
	b.obj = container.NewVBox(container.NewStack(b.bg, row), buttons, b.pending, b.media)
	return b
}

func (b *stateBar) refresh() {
	m := b.s.m
	b.bg.FillColor = statusColor(statusOf(m))
	b.bg.Refresh()
	b.state.Text = stateLine(m.Agent)
	b.state.Refresh()
	b.tick()
	if p := pendingLine(m.Agent); p != "" {
		b.pending.SetText(p)
		b.pending.Show()
	} else {
		b.pending.Hide()
	}
	if t := mediaText(m.Media); t != "" {
		b.media.SetText(t)
		b.media.Show()
	} else {
		b.media.Hide()
	}
	busy := b.s.busy[keyState] || !m.Agent.LoggedIn()
	setEnabled(b.ready, !busy && readyOffered(m.Agent))
	setEnabled(b.notReady, !busy)
	setEnabled(b.logout, !busy)
}

func (b *stateBar) tick() {
	b.timer.Text = timerText(b.s.m.Agent.Since, b.s.now())
	b.timer.Refresh()
}

func (b *stateBar) onReady() { b.s.setReady() }

func (b *stateBar) onNotReady() {
	showMenuUnder(reasonMenu(b.s.lists.notReady, b.s.setNotReady), b.notReady)
}

func (b *stateBar) onLogout() {
	showMenuUnder(reasonMenu(b.s.lists.logout, b.s.logOut), b.logout)
}

// reasonMenu lists reasons to pick from; with none configured it offers
// the state without a reason.
func reasonMenu(reasons []core.ReasonCode, pick func(id string)) *fyne.Menu {
	if len(reasons) == 0 {
		return fyne.NewMenu("", fyne.NewMenuItem("No reason", func() { pick("") }))
	}
	items := make([]*fyne.MenuItem, 0, len(reasons))
	for _, r := range reasons {
		items = append(items, fyne.NewMenuItem(r.Label, func() { pick(r.ID) }))
	}
	return fyne.NewMenu("", items...)
}

func showMenuUnder(m *fyne.Menu, o fyne.CanvasObject) {
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if c == nil {
		return
	}
	widget.ShowPopUpMenuAtRelativePosition(m, c, fyne.NewPos(0, o.Size().Height), o)
}

func setEnabled(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

// setReady, setNotReady and logOut are the agent state commands, shared by
// the state bar, the tray and the shortcuts. Fyne thread.
func (s *shell) setReady() {
	if !readyOffered(s.m.Agent) {
		// A tray menu opened before the call rang, or a click racing the
		// ring: Ready is not offered while Reserved or on a call.
		s.log.Info("ui Ready ignored: not offered now", "state", s.m.Agent.State)
		return
	}
	s.execute(keyState, "Ready", core.Command{Kind: core.CmdReady})
}

func (s *shell) setNotReady(reasonID string) {
	s.execute(keyState, "Not Ready", core.Command{Kind: core.CmdNotReady, ReasonCodeID: reasonID})
}

func (s *shell) logOut(reasonID string) { s.logOutThen("Log out", reasonID, nil) }

// logOutThen logs the agent out (the session goes Not Ready first where
// Finesse requires it) and runs then, if set, once Finesse confirms. A
// failure is shown as "what: why".
func (s *shell) logOutThen(what, reasonID string, then func()) {
	s.loggingOut = true
	s.command(keyState, what, func(ctx context.Context) error {
		return s.sess.Execute(ctx, core.Command{Kind: core.CmdLogout, ReasonCodeID: reasonID})
	}, func(err error) {
		switch {
		case err != nil:
			s.loggingOut = false
		case then != nil:
			then()
		}
	})
}

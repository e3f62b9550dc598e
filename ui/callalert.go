package ui

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/ui/internal/desknotify"
)

// An incoming call that cannot be missed: while a call rings for the agent
// one desktop notification says who is calling, urgent and sticky, with an
// Answer button where the notification server has actions (clicking it
// elsewhere brings the window forward). It is withdrawn as soon as the call
// stops ringing, however that happened (answered here, in a toolbar, by
// hotkey or on the phone; the caller hung up), and a call that stopped
// ringing unanswered gets its own, ordinary "Missed call" notification.
//
// On Linux and FreeBSD this speaks the freedesktop protocol itself
// (ui/internal/desknotify); on Windows it shows its own toasts
// (ui/internal/wintoast), whose Answer clicks come back through a protocol
// launch (Config.NotificationAnswers); elsewhere (macOS) Fyne's
// notification is all there is: no button, no urgency, never withdrawn.

// deskNotifier is the notification server as the shell uses it;
// *desknotify.Client is one, fyneNotifier the fallback, tests fake it.
type deskNotifier interface {
	Capabilities(ctx context.Context) ([]string, error)
	Notify(ctx context.Context, n desknotify.Notification) (uint32, error)
	Withdraw(ctx context.Context, id uint32) error
	Events() <-chan desknotify.Event // nil: the server reports nothing
}

// fyneNotifier shows notifications through Fyne (macOS; Windows only if
// wintoast cannot be set up): no actions, no urgency, no withdrawal.
type fyneNotifier struct{ s *shell }

func (fyneNotifier) Capabilities(context.Context) ([]string, error) { return nil, nil }

func (f fyneNotifier) Notify(_ context.Context, n desknotify.Notification) (uint32, error) {
	f.s.do(func() { f.s.app.SendNotification(fyne.NewNotification(n.Title, n.Body)) })
	return 0, nil
}

func (fyneNotifier) Withdraw(context.Context, uint32) error { return nil }
func (fyneNotifier) Events() <-chan desknotify.Event        { return nil }

// Notification actions AgentLink offers.
const (
	actionAnswer = "answer"
	appName      = "AgentLink"
)

// notifyTimeout bounds one call to the notification server: a stuck
// server must not hold back the next ring or the withdrawal.
const notifyTimeout = 3 * time.Second

// alerter owns the call notifications. The Fyne thread only queues what to
// show or withdraw (ring, stopRinging, missed); one goroutine (run) talks
// to the server in that order, so a withdrawal always finds the id of the
// notification it withdraws, and the Fyne thread never waits on D-Bus.
type alerter struct {
	n        deskNotifier
	log      *slog.Logger
	onAnswer func(dialogID string) // on an Answer click; called from run, must not block
	onShow   func()                // on a click on the notification itself

	mu    sync.Mutex // guards queue
	queue []func(ctx context.Context)
	wake  chan struct{}

	// run's own state.
	ringing map[string]uint32 // dialog id → its ringing notification (0: shown, but without an id)
	dialogs map[uint32]string // ringing notification → dialog id
	others  map[uint32]bool   // missed-call notifications still up
}

func newAlerter(n deskNotifier, log *slog.Logger, onAnswer func(string), onShow func()) *alerter {
	return &alerter{n: n, log: log, onAnswer: onAnswer, onShow: onShow, wake: make(chan struct{}, 1),
		ringing: map[string]uint32{}, dialogs: map[uint32]string{}, others: map[uint32]bool{}}
}

// post queues op for run.
func (a *alerter) post(op func(ctx context.Context)) {
	a.mu.Lock()
	a.queue = append(a.queue, op)
	a.mu.Unlock()
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// ring shows (or updates in place) the notification of dialogID's ringing.
func (a *alerter) ring(dialogID string, n desknotify.Notification) {
	a.post(func(ctx context.Context) {
		old, shown := a.ringing[dialogID]
		if shown && old == 0 {
			return // a notifier without ids (Fyne's) cannot update it: a second one would be noise
		}
		n.AppName, n.Urgency, n.Sticky = appName, desknotify.Critical, true
		n.Replaces, n.Tag = old, dialogID
		if a.hasActions(ctx) {
			n.Actions = []desknotify.Action{{Key: desknotify.DefaultAction, Label: "Show"}, {Key: actionAnswer, Label: "Answer"}}
		}
		id, err := a.n.Notify(ctx, n)
		if err != nil {
			a.log.Warn("ui ringing notification failed", "err", err)
			return
		}
		if old != 0 && old != id {
			delete(a.dialogs, old)
		}
		a.ringing[dialogID] = id
		if id != 0 {
			a.dialogs[id] = dialogID
		}
	})
}

// stopRinging withdraws dialogID's ringing notification.
func (a *alerter) stopRinging(dialogID string) {
	a.post(func(ctx context.Context) {
		id := a.ringing[dialogID]
		delete(a.ringing, dialogID)
		delete(a.dialogs, id)
		if id == 0 {
			return
		}
		if err := a.n.Withdraw(ctx, id); err != nil {
			a.log.Warn("ui withdrawing the ringing notification failed", "err", err)
		}
	})
}

// missed shows a missed-call notification: normal urgency, it expires as
// the server's notifications do; clicking it brings the window forward.
func (a *alerter) missed(n desknotify.Notification) {
	a.post(func(ctx context.Context) {
		n.AppName, n.Urgency = appName, desknotify.Normal
		if a.hasActions(ctx) {
			n.Actions = []desknotify.Action{{Key: desknotify.DefaultAction, Label: "Show"}}
		}
		id, err := a.n.Notify(ctx, n)
		if err != nil {
			a.log.Warn("ui missed-call notification failed", "err", err)
			return
		}
		if id != 0 {
			a.others[id] = true
		}
	})
}

// hasActions asks the server, each time, whether it shows action buttons:
// the server may have been replaced since the last call.
func (a *alerter) hasActions(ctx context.Context) bool {
	caps, err := a.n.Capabilities(ctx)
	if err != nil {
		a.log.Warn("ui notification server capabilities unavailable", "err", err)
	}
	return slices.Contains(caps, desknotify.CapActions)
}

// run works the queue and the server's events until ctx ends, then
// withdraws what still rings: a sticky notification must not outlive the
// app.
func (a *alerter) run(ctx context.Context) {
	events := a.n.Events()
	for {
		select {
		case <-ctx.Done():
			a.withdrawAll()
			return
		case <-a.wake:
			a.drain(ctx)
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			a.onEvent(ev)
		}
	}
}

func (a *alerter) drain(ctx context.Context) {
	for {
		a.mu.Lock()
		if len(a.queue) == 0 {
			a.mu.Unlock()
			return
		}
		op := a.queue[0]
		a.queue = a.queue[1:]
		a.mu.Unlock()
		opCtx, cancel := context.WithTimeout(ctx, notifyTimeout)
		op(opCtx)
		cancel()
	}
}

// onEvent acts on a click and forgets closed notifications; events for
// ids this app did not show are someone else's.
func (a *alerter) onEvent(ev desknotify.Event) {
	dialogID, ringing := a.dialogs[ev.ID]
	switch {
	case ev.Closed:
		if ringing { // dismissed by the agent (or expired): an update must not bring it back
			delete(a.dialogs, ev.ID)
			a.ringing[dialogID] = 0
		}
		delete(a.others, ev.ID)
	case ringing && ev.Action == actionAnswer:
		a.onAnswer(dialogID)
	case (ringing || a.others[ev.ID]) && ev.Action == desknotify.DefaultAction:
		a.onShow()
	}
}

func (a *alerter) withdrawAll() {
	ctx, cancel := context.WithTimeout(context.Background(), notifyTimeout)
	defer cancel()
	for id := range a.dialogs {
		if err := a.n.Withdraw(ctx, id); err != nil {
			a.log.Warn("ui withdrawing the ringing notification failed", "err", err)
		}
	}
}

// ringNotification is the notification of a ringing call: titled with the
// customer's name when the call card has one (callerName), else the number
// is all there is, with the main call variable as before. Fyne thread.
func (s *shell) ringNotification(d core.Dialog) desknotify.Notification {
	number := otherParty(d, s.m.Agent.Extension)
	if name, _ := s.callerName(d); name != "" {
		return desknotify.Notification{Title: "Incoming call: " + name, Body: "From " + number}
	}
	body := "From " + number
	if v, ok := mainVariable(d); ok {
		body += "\n" + v.Name + ": " + v.Value
	}
	return desknotify.Notification{Title: "Incoming call", Body: body}
}

// caller is who a call is with, in words: "Jane Doe (0201234567)" when the
// customer's name is known, else the number. Fyne thread.
func (s *shell) caller(d core.Dialog) string {
	number := otherParty(d, s.m.Agent.Extension)
	if name, _ := s.callerName(d); name != "" {
		return name + " (" + number + ")"
	}
	return number
}

// syncRinging makes the ringing notifications match the model: one per
// call ringing for the agent, updated when what it says changes (the
// name arrives with the layout or a later dialog update), withdrawn once
// the call stops ringing. Fyne thread.
func (s *shell) syncRinging() {
	if s.alerts == nil {
		return
	}
	now := map[string]bool{}
	for _, d := range s.m.Dialogs {
		if d.AgentState != core.PartAlerting {
			continue
		}
		now[d.ID] = true
		n := s.ringNotification(d)
		if key := n.Title + "\n" + n.Body; s.ringShown[d.ID] != key {
			s.ringShown[d.ID] = key
			s.alerts.ring(d.ID, n)
		}
	}
	for id := range s.ringShown {
		if !now[id] {
			delete(s.ringShown, id)
			s.alerts.stopRinging(id)
		}
	}
}

// answerFromNotification answers dialogID if it still rings and Finesse
// allows it: the click may come after the call was answered elsewhere.
// Fyne thread.
func (s *shell) answerFromNotification(dialogID string) {
	if d, ok := s.m.dialog(dialogID); ok && d.AgentState == core.PartAlerting && d.Allows(core.ActionAnswer) {
		s.callAction(core.ActionAnswer, dialogID)
	}
}

// toastActivator is a notifier whose clicks come back from outside
// (*wintoast.Notifier: through a protocol launch).
type toastActivator interface{ Activate(dialogID string) error }

// followNotificationAnswers hands each Answer click that came back
// through a protocol launch to the notifier, which reports it as an event
// of the toast it showed; the alerter then answers if the call still
// rings (answerFromNotification).
func (s *shell) followNotificationAnswers(ctx context.Context, ids <-chan string) {
	if ids == nil {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-ids:
			a, ok := s.notifier.(toastActivator)
			if !ok {
				s.log.Info("ui Answer from a protocol launch ignored: these notifications report clicks themselves", "dialog", id)
				continue
			}
			if err := a.Activate(id); err != nil {
				s.log.Info("ui Answer from a notification not done", "dialog", id, "err", err)
			}
		}
	}
}

// notificationAppID is the app ID Fyne shows its Windows notifications
// under (fyne.io/fyne/v2/app notificationAppID): toasts of both kinds
// then carry the same name and icon.
func notificationAppID(app fyne.App) string {
	id := app.UniqueID()
	if id == "" || strings.HasPrefix(id, "missing-id") {
		id = app.Metadata().Name
	}
	return id
}

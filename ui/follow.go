package ui

import (
	"context"
	"errors"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/ui/internal/desknotify"
)

// follow is the one goroutine that keeps the widgets current: it applies
// the session's watch, re-watching with Since when the session cut it off
// for falling behind, ticks the timers once a second, and repaints on bridge
// changes. It returns when ctx ends or the session closes the watch.
func (s *shell) follow(ctx context.Context, w watcher) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var bridgeCh <-chan struct{}
	if s.bridge != nil {
		bridgeCh = s.bridge.Changes()
	}
	since := w.Snapshot().Seq
	for {
		var again bool
		since, again = s.drain(ctx, w, since, tick.C, bridgeCh)
		w.Close()
		if !again {
			return
		}
		w = s.sess.Watch(core.WatchOptions{Since: since})
		since = s.start(w, since)
	}
}

// start applies a new watcher's starting point: a fresh snapshot, or
// nothing when it resumed (its replayed events follow on the channel). It
// returns the sequence number the model is at.
func (s *shell) start(w watcher, since uint64) uint64 {
	if w.Resumed() {
		return since
	}
	snap := w.Snapshot()
	s.do(func() { s.setModel(modelFrom(snap)) })
	return snap.Seq
}

// drain applies w's events until ctx ends or w closes. It returns the last
// sequence number seen (since if none) and whether to watch again.
func (s *shell) drain(ctx context.Context, w watcher, since uint64, tick <-chan time.Time, bridgeCh <-chan struct{}) (uint64, bool) {
	last := since
	for {
		select {
		case <-ctx.Done():
			return last, false
		case <-tick:
			s.do(s.tick)
		case <-bridgeCh:
			s.do(s.refresh)
		case ev, ok := <-w.Events():
			if !ok {
				err := w.Err()
				if errors.Is(err, core.ErrSlowWatcher) {
					s.log.Warn("ui watch cut off, resuming", "since", last)
					return last, true
				}
				return last, false
			}
			last = ev.Seq
			s.do(func() { s.onEvent(ev) })
		}
	}
}

// setModel replaces the model (a fresh snapshot). Fyne thread.
func (s *shell) setModel(m model) {
	s.m = m
	s.afterChange()
}

// onEvent folds one event in and sends the notification it deserves.
// Fyne thread.
func (s *shell) onEvent(ev core.Event) {
	prev := s.m
	s.m = s.m.apply(ev)
	if n := notificationFor(prev, ev, s.loggingOut); n != nil {
		s.app.SendNotification(n)
	}
	if ev.Kind == core.EventSystem {
		s.watchOutage(prev.System, s.m.System)
	}
	s.onRingChange(prev, ev)
	if ev.Kind == core.EventError && ev.Err != nil {
		s.errText = asyncErrorMessage(ev.Err)
	}
	if prev.Agent.LoggedIn() && !s.m.Agent.LoggedIn() && s.login != nil {
		s.login.prefillPassword() // signed out: offer the stored password again
	}
	s.afterChange()
}

func (s *shell) afterChange() {
	if !s.m.Agent.LoggedIn() {
		s.loggingOut = false
		s.lists = reasonLists{}
		s.layouts = layoutState{}
	} else if s.lists.agentID != s.m.Agent.ID {
		s.loadLists(s.m.Agent.ID)
	}
	if s.m.Agent.LoggedIn() {
		s.loadLayouts(s.m.Agent.ID) // once per sign-in (calldata.go)
	}
	s.refresh()
}

// loadLists fetches the reason and wrap-up lists for a new sign-in. A
// failure leaves them empty: Not Ready then works without a reason, and the
// error is shown. Fyne thread.
func (s *shell) loadLists(agentID string) {
	s.lists = reasonLists{agentID: agentID}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		ctx, cancel := context.WithTimeout(s.ctx, commandTimeout)
		defer cancel()
		nr, err1 := s.sess.ReasonCodes(ctx, core.CategoryNotReady)
		lo, err2 := s.sess.ReasonCodes(ctx, core.CategoryLogout)
		wu, err3 := s.sess.WrapUpReasons(ctx)
		err := errors.Join(err1, err2, err3)
		s.do(func() {
			if s.lists.agentID != agentID {
				return // signed out or someone else signed in meanwhile
			}
			s.lists.notReady, s.lists.logout, s.lists.wrapUp = nr, lo, wu
			if err != nil {
				s.log.Warn("ui reason lists failed", "err", err)
				s.errText = commandMessage("Loading reason codes", err)
			}
			s.refresh()
		})
	}()
}

// onRingChange brings the window forward when a call starts ringing (unless
// configured off) and keeps a missed call on screen until the next call
// rings. Fyne thread.
func (s *shell) onRingChange(prev model, ev core.Event) {
	if ev.Kind == core.EventDialog && ev.Dialog != nil && newlyRinging(prev, *ev.Dialog) {
		s.notice = ""
		if s.raiseOnRing && s.win != nil {
			s.showWindow()
		}
	}
	if d, ok := missedCall(prev, ev); ok {
		s.syncRinging() // withdraw the ringing notification first
		from, at := s.caller(d), s.now().Format("15:04")
		s.notice = "Missed call from " + from + " at " + at
		s.alerts.missed(desknotify.Notification{Title: "Missed call", Body: "From " + from + " at " + at})
	}
}

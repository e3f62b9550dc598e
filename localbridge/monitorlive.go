package localbridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/agentlink/agentlink/core"
)

// sseInterval coalesces monitor updates: at most a few pushes per second.
const sseInterval = 250 * time.Millisecond

// baseContext is the Run context (Background before Run).
func (s *Server) baseContext() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.runCtx == nil {
		return context.Background()
	}
	return s.runCtx
}

// notifyMonitor wakes every monitor SSE stream without blocking.
func (s *Server) notifyMonitor() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.monSubs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

func (s *Server) noteCommandError(c *client, cmd string, e *RequestError) {
	s.events.add(levelError, "command failed", fmt.Sprintf("%s from %s: %s", cmd, c.id, e.Error()))
	s.notifyMonitor()
}

// watchForMonitor keeps the monitor's log of session events. It watches the
// session like a toolbar does, and re-watches if it is ever cut off.
func (s *Server) watchForMonitor(ctx context.Context) {
	for ctx.Err() == nil {
		w := s.sess.watch(core.WatchOptions{})
		s.drainForMonitor(ctx, w)
		err := w.Err()
		w.Close()
		if errors.Is(err, core.ErrSlowWatcher) {
			s.events.add(levelWarn, "monitor watch restarted", "fell behind")
			continue
		}
		return
	}
}

func (s *Server) drainForMonitor(ctx context.Context, w watcher) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.Events():
			if !ok {
				return
			}
			if ev.System != nil && ev.Kind == core.EventSystem {
				s.faults.observe(*ev.System)
			}
			level, kind, msg := summarize(ev)
			s.events.add(level, kind, msg)
			s.notifyMonitor()
		}
	}
}

// summarize turns a session event into one monitor log line.
func summarize(ev core.Event) (level, kind, msg string) {
	kind = ev.Kind.String()
	switch {
	case ev.System != nil && ev.Kind == core.EventSystem:
		level = levelInfo
		if ev.System.Status != core.InService {
			level = levelWarn
		}
		return level, kind, fmt.Sprintf("#%d %s node %s xmpp=%t %s", ev.Seq, ev.System.Status, ev.System.Node, ev.System.XMPPConnected, ev.System.Reason)
	case ev.Agent != nil && ev.Kind == core.EventAgent:
		return levelInfo, kind, fmt.Sprintf("#%d %s %s pending=%s reason=%s", ev.Seq, ev.Agent.ID, ev.Agent.State, ev.Agent.PendingState, ev.Agent.ReasonCodeID)
	case ev.Ended != nil && ev.Kind == core.EventWrapUp:
		return levelInfo, kind, fmt.Sprintf("#%d call %s wrap-up reason %q (kept with the ended call)", ev.Seq, ev.Ended.DialogID, ev.Ended.WrapUpReason)
	case ev.Ended != nil:
		return levelInfo, kind, fmt.Sprintf("#%d call %s from %s to %s ended", ev.Seq, ev.Ended.DialogID, ev.Ended.From, ev.Ended.To)
	case ev.Dialog != nil:
		return levelInfo, kind, fmt.Sprintf("#%d call %s %s from %s to %s (me: %s)", ev.Seq, ev.Dialog.ID, ev.Dialog.State, ev.Dialog.From, ev.Dialog.To, ev.Dialog.AgentState)
	case ev.Outcome != nil:
		level = levelInfo
		if ev.Outcome.Outcome != core.OutcomeApplied {
			level = levelWarn
		}
		return level, kind, fmt.Sprintf("#%d unconfirmed %s (request %s) turned out %s", ev.Seq, ev.Outcome.Kind, ev.Outcome.RequestID, ev.Outcome.Outcome)
	case ev.Err != nil:
		return levelError, kind, fmt.Sprintf("#%d %s", ev.Seq, ev.Err.Error())
	case ev.Kind == core.EventMedia:
		return levelInfo, kind, fmt.Sprintf("#%d %s", ev.Seq, mediaSummary(ev.Media))
	}
	return levelInfo, kind, fmt.Sprintf("#%d", ev.Seq)
}

// subscribeMonitor registers a change channel for an SSE stream.
func (s *Server) subscribeMonitor() (chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	s.monSubs[ch] = true
	s.mu.Unlock()
	return ch, func() {
		s.mu.Lock()
		delete(s.monSubs, ch)
		s.mu.Unlock()
	}
}

// serveMonitorSSE streams the monitor state as server-sent events: one
// "state" event now and one after each (coalesced) change.
func (s *Server) serveMonitorSSE(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, CodeInternal, "streaming unsupported")
		return
	}
	ch, unsubscribe := s.subscribeMonitor()
	defer unsubscribe()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	heartbeat := time.NewTicker(15 * time.Second)
	defer heartbeat.Stop()
	ch <- struct{}{}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-heartbeat.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case <-ch:
			data, err := json.Marshal(s.monitorState())
			if err != nil {
				return
			}
			fmt.Fprintf(w, "event: state\ndata: %s\n\n", data)
			select {
			case <-r.Context().Done():
				return
			case <-time.After(sseInterval):
			}
		}
		fl.Flush()
	}
}

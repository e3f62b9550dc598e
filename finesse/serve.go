package finesse

import (
	"context"
	"fmt"
	"time"

	"github.com/agentlink/agentlink/core"
)

// serve runs one session on side idx over conn: resync, re-LOGIN after a
// side switch, IN_SERVICE, then notifications until something breaks.
func (s *supervisor) serve(ctx context.Context, conn notifConn, idx int, c creds, gen uint64) error {
	start := time.Now()
	s.l.mu.Lock()
	wasLoggedIn, ext := s.l.loggedIn, s.l.extension
	s.l.mu.Unlock()
	if err := s.resync(ctx, conn, c); err != nil {
		return err
	}
	switched := s.relocated || (s.lastSide >= 0 && s.lastSide != idx)
	if switched && wasLoggedIn && ext != "" {
		s.relogin(ctx, c, idx, ext)
		s.noticeMaintenanceMove(ctx, c, idx)
	}
	s.maintenanceMoved = false
	s.lastSide, s.wasUp, s.relocated = idx, true, false
	// Ready before IN_SERVICE: whoever sees IN_SERVICE and signs in must
	// not get the error of an earlier failed attempt.
	s.l.setReady(readyState{gen: gen, ok: true}, s.epoch)
	s.up(idx)
	s.bo.reset()
	s.l.cfg.Logger.Info("finesse link up", "side", s.l.sides[idx].name, "agent", c.user,
		"elapsed", time.Since(start).Round(time.Millisecond))
	defer s.startBoard(ctx, conn, idx, c)() // queues and team messages (queue.go)
	drain := newDrainWatch(s.drainingStart, s.l.cfg.OutOfServiceGrace)
	defer drain.stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-drain.due():
			if s.leaveMaintenance(ctx, idx, c) {
				return errMaintenanceMove
			}
			drain.retry()
		case <-s.l.credC:
			if s.l.credsChanged(gen) {
				return errCredsChanged
			}
		case <-conn.Done():
			return conn.Err()
		case <-s.l.rest.unavail.signal():
			if !s.l.rest.unavail.failing(s.l.endpoint(idx)) {
				continue // another side's streak (a probe): not this session's
			}
			if err := s.outOfService(ctx, conn, idx, c, gen, outage{rest: true}); err != nil {
				return err
			}
		case it := <-conn.Items():
			var o outage
			switch it.webapp {
			case webappUp:
				continue
			case webappDown:
				o.webapp = true
			default:
				mode := maintenanceOf(it.node, it.inner)
				sys, err := s.deliver(it)
				if err != nil {
					return err
				}
				if sys != nil && sys.Status == core.InService {
					if drain.set(draining(mode)) && s.leaveMaintenance(ctx, idx, c) {
						return errMaintenanceMove
					}
				}
				if sys == nil || sys.Status == core.InService {
					continue
				}
				o.system, o.reason = true, sys.Reason
			}
			if err := s.outOfService(ctx, conn, idx, c, gen, o); err != nil {
				return err
			}
		}
	}
}

// deliver decodes one item and applies it. A SystemInfo update is returned
// to the caller instead: the link, not the sink, acts on it.
func (s *supervisor) deliver(it pubsubItem) (*core.System, error) {
	if s.deliverMedia(it) || s.deliverBoard(it) { // media.go, queue.go
		return nil, nil
	}
	ups, err := fastDecodeItem(it.node, it.inner)
	if err != nil {
		// One bad payload must not cost the connection; it is logged and
		// the next resync repairs whatever it carried.
		s.l.cfg.Logger.Warn("finesse notification dropped", "node", it.node, "err", err)
		return nil, nil
	}
	var sys *core.System
	for _, u := range ups {
		if u.Kind == core.UpdateSystem {
			sys = u.System
			continue
		}
		s.l.observe(u.Agent)
		s.sink.Apply(u)
	}
	return sys, nil
}

func (s *supervisor) up(idx int) {
	sd := s.l.sides[idx]
	s.l.publish(s.sink, core.System{Status: core.InService, Node: sd.name, Host: sd.ep.Host, XMPPConnected: true})
}

// resync reads User and Dialogs and hands them to the sink as one
// UpdateResync. Notifications that arrive before the GETs are older than
// them and dropped; if any arrive while the GETs run, the snapshot may
// already be stale, so it is read again (up to three times, after which
// the late notifications are applied on top as the best guess).
func (s *supervisor) resync(ctx context.Context, conn notifConn, c creds) error {
	ep := s.l.endpoint(s.l.currentSide())
	for attempt := 1; ; attempt++ {
		drainItems(conn)
		u, err := s.l.rest.user(ctx, ep, c)
		if err != nil {
			return fmt.Errorf("resync: %w", err)
		}
		ds, err := s.l.rest.dialogs(ctx, ep, c)
		if err != nil {
			return fmt.Errorf("resync: %w", err)
		}
		late := drainItems(conn)
		if len(late) > 0 && attempt < 3 {
			continue
		}
		a := agentFromWire(u)
		s.l.observe(&a)
		s.l.noteTeam(u.TeamID)
		s.sink.Apply(core.Update{Kind: core.UpdateResync, Agent: &a, Dialogs: dialogsFromWire(ds)})
		s.resyncMedia(ctx, ep, c)
		for _, it := range late {
			if _, err := s.deliver(it); err != nil {
				return err
			}
		}
		return nil
	}
}

// drainItems takes whatever items are queued without waiting.
func drainItems(conn notifConn) []pubsubItem {
	var out []pubsubItem
	for {
		select {
		case it := <-conn.Items():
			out = append(out, it)
		default:
			return out
		}
	}
}

// relogin PUTs LOGIN again after a side switch: LOGIN is idempotent and
// keeps the agent's state (reference §7.4), and the new node may not know
// the agent's device otherwise.
func (s *supervisor) relogin(ctx context.Context, c creds, idx int, ext string) {
	body := userRequest{State: string(core.StateLogin), Extension: ext}
	// Mobile agent data lives only on the side the agent signed in on
	// (reference §2.2): the new side needs it again.
	body.ActiveDeviceID, body.MobileAgent = s.l.lastPhone()
	if err := s.l.rest.putUser(ctx, s.l.endpoint(idx), c, body, newRequestID()); err != nil {
		s.l.cfg.Logger.Warn("finesse re-login after failover failed", "side", s.l.sides[idx].name, "err", err)
	}
}

// outage says why a side with a live XMPP connection cannot be used now.
type outage struct {
	system bool   // SystemInfo is OUT_OF_SERVICE: Finesse lost its CTI link
	webapp bool   // the "finesse" user is unavailable: the web app is down
	rest   bool   // REST answers 503 again and again (unavailable.go)
	reason string // SystemInfo's statusReason, if any
}

func (o outage) over() bool { return !o.system && !o.webapp && !o.rest }

// describe tells the agent what is wrong with side n and what happens next.
func (o outage) describe(n core.Node) string {
	what := fmt.Sprintf("side %s is out of service", n)
	if o.reason != "" {
		what += " (" + o.reason + ")"
	}
	if o.webapp {
		what = fmt.Sprintf("the Finesse web application on side %s is not responding", n)
	}
	if o.rest {
		what = fmt.Sprintf("Finesse on side %s refuses requests (503 Service Unavailable)", n)
	}
	return what + "; waiting for it to recover"
}

// outOfService handles a side that stops being usable while XMPP stays up
// (reference §7.2 rules 2 and 3): keep the connection and wait for the web
// app's presence to come back and for IN_SERVICE (an event, or a SystemInfo
// poll with backoff), then resync. If the other side is IN_SERVICE and this
// one stays unusable for OutOfServiceGrace, make it current and return
// errSwitchSide.
func (s *supervisor) outOfService(ctx context.Context, conn notifConn, idx int, c creds, gen uint64, o outage) error {
	sd := s.l.sides[idx]
	s.l.cfg.Logger.Warn("finesse side unusable", "side", sd.name, "outOfService", o.system, "webappDown", o.webapp, "reason", o.reason)
	bo := newBackoff(s.l.cfg.Backoff)
	since := time.Now()
	for {
		s.l.publish(s.sink, core.System{Status: core.OutOfService, Node: sd.name, Host: sd.ep.Host, XMPPConnected: true,
			Reason: o.describe(sd.name)})
		var err error
		o, err = s.waitRecovery(ctx, conn, gen, o, bo.next())
		if err != nil || ctx.Err() != nil {
			return err
		}
		// Poll only while the web app answers: when it is down, REST to
		// this side just times out (§7.2).
		if !o.webapp && (o.system || o.rest) && s.probe(ctx, idx, c) {
			o.system, o.rest = false, false
		}
		if o.over() {
			if err := s.resync(ctx, conn, c); err != nil {
				return err
			}
			s.up(idx)
			s.l.cfg.Logger.Info("finesse side usable again", "side", sd.name, "after", time.Since(since).Round(time.Millisecond))
			return nil
		}
		if time.Since(since) < s.l.cfg.OutOfServiceGrace {
			continue
		}
		if other, ok := s.otherSide(ctx, idx, c, inService); ok {
			// pickSide starts at the current side, which may still answer
			// IN_SERVICE over REST while its web app presence says down.
			s.l.setCurrentSide(other)
			return errSwitchSide
		}
	}
}

// waitRecovery follows the web app's presence and SystemInfo events for up
// to d, dropping anything else (Finesse sends nothing useful while out of
// service, and the resync that follows replaces it all). It returns early
// when the outage is over, or when the web app comes back (SystemInfo must
// then be checked: it may have changed unseen).
func (s *supervisor) waitRecovery(ctx context.Context, conn notifConn, gen uint64, o outage, d time.Duration) (outage, error) {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return o, nil
		case <-s.l.credC:
			if s.l.credsChanged(gen) {
				return o, errCredsChanged
			}
		case <-conn.Done():
			return o, conn.Err()
		case <-t.C:
			return o, nil
		case it := <-conn.Items():
			switch it.webapp {
			case webappUp:
				o.webapp, o.system = false, true // confirm IN_SERVICE by a poll
				return o, nil
			case webappDown:
				o.webapp = true
				continue
			}
			ups, err := fastDecodeItem(it.node, it.inner)
			if err != nil {
				continue
			}
			for _, u := range ups {
				if u.Kind == core.UpdateSystem {
					o.system, o.reason = u.System.Status != core.InService, u.System.Reason
				}
			}
			if o.over() {
				return o, nil
			}
		}
	}
}

func (s *supervisor) probe(ctx context.Context, idx int, c creds) bool {
	info, err := s.l.systemInfo(ctx, idx, c)
	return err == nil && inService(info)
}

func inService(info *wireSystemInfo) bool { return systemStatus(info.Status) == core.InService }

// otherSide returns a side other than idx whose SystemInfo accept takes.
func (s *supervisor) otherSide(ctx context.Context, idx int, c creds, accept func(*wireSystemInfo) bool) (int, bool) {
	for i := range s.l.sides {
		if i == idx {
			continue
		}
		if info, err := s.l.systemInfo(ctx, i, c); err == nil && accept(info) {
			return i, true
		}
	}
	return 0, false
}

package finesse

import (
	"context"

	"github.com/agentlink/agentlink/core"
)

// SetEndpoints replaces the Finesse servers: a is required, b optional
// (zero Host). They are validated like [NewLink]'s (a [ConfigError] names
// the field). The supervisor drops its current connection or probe and
// starts over on a, keeping the credentials it has; without credentials it
// idles as before. Giving the endpoints already in use changes nothing.
func (l *Link) SetEndpoints(a, b Endpoint) error {
	if a.Host == "" {
		return &ConfigError{"SideA.Host", "required"}
	}
	if err := validateSides(a, b); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.want == [2]Endpoint{a, b} {
		return nil
	}
	l.want, l.pending = [2]Endpoint{a, b}, true
	l.epoch++
	l.cfg.Logger.Info("finesse servers changed", "sideA", a.Host, "sideB", b.Host)
	if !l.running.Load() {
		// No supervisor reads the sides now; the next Run starts on them.
		l.applyLocked()
	}
	// A Login waiting for the old servers' outcome (or holding their
	// failure) now waits for the new ones'.
	l.setReadyLocked(readyState{gen: l.credGen})
	if l.stopAttempt != nil {
		l.stopAttempt()
	}
	select {
	case l.credC <- struct{}{}:
	default:
	}
	return nil
}

// applyLocked makes the wanted endpoints the sides, forgetting the ports
// learned from the old servers' SystemInfo. Called by NewLink, by Run's
// goroutine between cycles, or by SetEndpoints while no Run is active.
func (l *Link) applyLocked() {
	a, b := l.want[0], l.want[1]
	l.sides = nil
	if a.Host != "" {
		l.sides = append(l.sides, newSide(core.NodeA, a, a.withDefaults(l.cfg.XMPPTLS)))
		if b.Host != "" {
			l.sides = append(l.sides, newSide(core.NodeB, b, b.withDefaults(l.cfg.XMPPTLS)))
		}
	}
	l.learned = make([]learnedPorts, len(l.sides))
	l.cur = 0
	l.pending = false
}

// beginCycle applies endpoints given since the last cycle and returns the
// context of the next one, which SetEndpoints cancels. moved reports that
// the endpoints changed; hasSides that there is a server to connect to.
func (s *supervisor) beginCycle(ctx context.Context) (cctx context.Context, moved, hasSides bool) {
	cctx, cancel := context.WithCancel(ctx)
	s.l.mu.Lock()
	defer s.l.mu.Unlock()
	if s.l.pending {
		s.l.applyLocked()
		moved = true
	}
	s.l.stopAttempt = cancel
	s.epoch = s.l.epoch
	return cctx, moved, len(s.l.sides) > 0
}

// endCycle releases the cycle's context.
func (s *supervisor) endCycle() {
	s.l.mu.Lock()
	defer s.l.mu.Unlock()
	if s.l.stopAttempt != nil {
		s.l.stopAttempt()
		s.l.stopAttempt = nil
	}
}

// moved handles new endpoints: the agent's session moves to the new
// servers (re-LOGIN there if signed in, as after a failover), and the
// status says so until the new servers answer.
func (s *supervisor) moved() {
	if s.lastSide >= 0 {
		s.lastSide = -1
		s.relocated = true
	}
	s.wasUp = false // a failure on the new servers is news, not a blip
	s.bo.reset()
	if s.l.Status() == (core.System{}) {
		return // nothing published yet: nothing stale to correct
	}
	host := ""
	if len(s.l.sides) > 0 {
		host = s.l.sides[0].ep.Host
	}
	s.l.publish(s.sink, core.System{Status: core.OutOfService, Node: core.NodeA, Host: host,
		Reason: "connecting to the new Finesse servers"})
}

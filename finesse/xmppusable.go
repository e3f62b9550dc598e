package finesse

import (
	"errors"
	"strings"
	"time"
)

// xmppBadHold is how long a side whose notification service failed to
// connect counts as unusable while another side can take the agent. The
// reference's usable side is SystemInfo IN_SERVICE *and* XMPP established
// *and* the Finesse presence available: SystemInfo alone kept the link on a
// side whose XMPP was dead (REST still answering) until Finesse's presence
// rule signed the agent out. After the hold the side is tried first again,
// so the link comes back to a repaired primary on its next failover.
const xmppBadHold = 2 * time.Minute

// noteConnect records the outcome of connecting XMPP on side idx.
func (s *supervisor) noteConnect(idx int, err error) {
	if err == nil {
		delete(s.xmppBad, idx)
		return
	}
	if isAuthFailure(err) || errors.Is(err, errCredsChanged) {
		return
	}
	if s.xmppBad == nil {
		s.xmppBad = map[int]time.Time{}
	}
	s.xmppBad[idx] = time.Now().Add(xmppBadHold)
	s.l.cfg.Logger.Warn("finesse notifications unusable on this side; another side is preferred",
		"side", s.l.sides[idx].name, "for", xmppBadHold, "err", err)
}

// xmppUnusable reports whether side idx's XMPP failed recently enough that
// another usable side should be preferred.
func (s *supervisor) xmppUnusable(idx int) bool {
	until, ok := s.xmppBad[idx]
	if ok && time.Now().After(until) {
		delete(s.xmppBad, idx)
		return false
	}
	return ok
}

// sidePrefixed reports whether msg already names a side ("side A: …"), so
// that a reason is not prefixed twice ("side A: side A: …").
func sidePrefixed(msg string) bool {
	return strings.HasPrefix(msg, "side ")
}

// betterFallback reports whether side a is a better last resort than side
// b: a side merely being drained beats one whose XMPP failed, and of two
// whose XMPP failed, the one that failed longest ago is tried first.
func (s *supervisor) betterFallback(a, b int) bool {
	ua, aBad := s.xmppBad[a]
	ub, bBad := s.xmppBad[b]
	switch {
	case aBad && bBad:
		return ua.Before(ub)
	default:
		return !aBad && bBad
	}
}

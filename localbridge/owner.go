package localbridge

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// The screen-pop lease (field notes §2.1 and §4 proposal 4): every toolbar
// tab gets every event and may command, but only one should pop the CRM
// record and log the call, or an agent with three CRM tabs gets three pops
// and three activity records. Clients that Connect with "lease": true take
// part; the first becomes the owner; ClaimOwner moves the lease to the
// caller (the reference toolbar claims when its tab becomes visible); when
// the owner goes, the lease passes to the participant seen most recently.
// Participants learn the owner from the Owner event (seq 0: it is the
// bridge's own, not one of Finesse's sequenced events); other clients never
// see it, so classic connector clients get exactly the events they did.

// ownerLease records who holds the lease. Lock order: Server.mu, then
// client.mu, then ownerLease.mu.
type ownerLease struct {
	mu     sync.Mutex // guards the fields below
	id     string     // client id of the owner; "" when none
	origin string
	since  time.Time
}

// wireOwner is the data of the Owner event and the ClaimOwner result.
type wireOwner struct {
	ClientID string `json:"clientId"` // "" when no toolbar holds the lease
	Origin   string `json:"origin,omitempty"`
	Since    string `json:"since,omitempty"`
}

func (s *Server) ownerID() string {
	s.lease.mu.Lock()
	defer s.lease.mu.Unlock()
	return s.lease.id
}

func (s *Server) owner() wireOwner {
	s.lease.mu.Lock()
	defer s.lease.mu.Unlock()
	if s.lease.id == "" {
		return wireOwner{}
	}
	return wireOwner{ClientID: s.lease.id, Origin: originLabel(s.lease.origin), Since: wireTime(s.lease.since)}
}

// takeLease makes c the owner (only if there is none, when ifFree) and
// reports whether the owner changed.
func (s *Server) takeLease(c *client, ifFree bool) bool {
	s.lease.mu.Lock()
	defer s.lease.mu.Unlock()
	if s.lease.id == c.id || (ifFree && s.lease.id != "") {
		return false
	}
	s.lease.id, s.lease.origin, s.lease.since = c.id, c.origin, s.cfg.Now()
	return true
}

// connectedForLease runs after a client's Connect response is queued: a
// participant takes a free lease, and the client learns who the owner is.
func (s *Server) connectedForLease(c *client) {
	c.mu.Lock()
	leasing := c.lease
	c.mu.Unlock()
	switch {
	case !leasing:
	case s.takeLease(c, true):
		s.ownerChanged()
	default:
		s.sendOwner(c, s.owner())
	}
}

func cmdClaimOwner(_ context.Context, c *client, _ json.RawMessage) (any, error) {
	c.mu.Lock()
	c.lease, c.seen = true, c.srv.cfg.Now()
	c.mu.Unlock()
	if c.srv.takeLease(c, false) {
		c.srv.ownerChanged()
	}
	return c.srv.owner(), nil
}

// releaseOwner passes the lease on when its owner disconnects.
func (s *Server) releaseOwner(id string) {
	s.lease.mu.Lock()
	if s.lease.id != id {
		s.lease.mu.Unlock()
		return
	}
	s.lease.id = ""
	s.lease.mu.Unlock()
	if next := s.nextOwner(); next != nil {
		s.takeLease(next, true)
	}
	s.ownerChanged()
}

// nextOwner is the connected participant seen most recently, or nil.
func (s *Server) nextOwner() *client {
	s.mu.Lock()
	defer s.mu.Unlock()
	var best *client
	var bestSeen time.Time
	for _, c := range s.clients {
		c.mu.Lock()
		ok, seen := c.lease && c.state == stateConnected, c.seen
		c.mu.Unlock()
		if ok && (best == nil || seen.After(bestSeen)) {
			best, bestSeen = c, seen
		}
	}
	return best
}

// ownerChanged tells every participant, and the monitor and the UI.
func (s *Server) ownerChanged() {
	o := s.owner()
	s.log.Info("bridge screen-pop owner", "client", o.ClientID, "origin", o.Origin)
	s.mu.Lock()
	var to []*client
	for _, c := range s.clients {
		c.mu.Lock()
		if c.state == stateConnected && c.lease {
			to = append(to, c)
		}
		c.mu.Unlock()
	}
	s.mu.Unlock()
	for _, c := range to {
		s.sendOwner(c, o)
		if c.id == o.ClientID {
			s.offerCallLogs(c) // the new holder logs what is still waiting
		}
	}
	s.notifyChanged()
}

func (s *Server) sendOwner(c *client, o wireOwner) {
	data, err := json.Marshal(wireEvent{Event: eventOwner, Seq: 0, Data: o})
	if err != nil {
		return // a struct of strings always encodes
	}
	c.enqueue(outItem{data: data})
}

// eventOwner names the Owner event.
const eventOwner = "Owner"

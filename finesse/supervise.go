package finesse

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/agentlink/agentlink/core"
)

// errSwitchSide ends a session so the supervisor moves to the other side.
var errSwitchSide = errors.New("finesse: moving to the other side")

// errCredsChanged ends a session so the supervisor reconnects as the new
// agent.
var errCredsChanged = errors.New("finesse: credentials changed")

// Run supervises the link until ctx ends, then returns nil. It idles until
// credentials arrive (Login or SetCredentials). It is the only caller of
// sink.Apply. Only one Run may be active at a time.
func (l *Link) Run(ctx context.Context, sink core.Sink) error {
	if !l.running.CompareAndSwap(false, true) {
		return errors.New("finesse: Run is already running")
	}
	defer l.running.Store(false)
	if l.cfg.InsecureSkipVerify {
		l.cfg.Logger.Warn("finesse certificate verification disabled", "setting", "InsecureSkipVerify")
	}
	if p := proxyTrap(); p != "" {
		l.cfg.Logger.Warn("xmpp may be sent to an http proxy", "proxy", p,
			"fix", "add 127.0.0.1 to NO_PROXY: go-xmpp honours HTTP_PROXY even for loopback")
	}
	defer l.rest.closeIdle()
	defer l.stopSSORefresh() // sso_mode.go
	s := &supervisor{l: l, sink: sink, bo: newBackoff(l.cfg.Backoff), lastSide: -1}
	for ctx.Err() == nil {
		s.cycle(ctx)
	}
	return nil
}

// cycle applies new endpoints, then makes one connect-and-serve attempt
// (and its backoff), or idles until there are credentials and a server.
// SetEndpoints cuts it short by cancelling its context.
func (s *supervisor) cycle(ctx context.Context) {
	cctx, moved, hasSides := s.beginCycle(ctx)
	defer s.endCycle()
	if moved {
		s.moved()
	}
	c, gen, ok := s.l.credentials()
	if !ok || !hasSides {
		if ok {
			// A Login is waiting: tell it there is nowhere to sign in.
			s.l.setReady(readyState{gen: gen, err: errNoServer}, s.epoch)
		}
		select {
		case <-cctx.Done():
		case <-s.l.credC:
		}
		return
	}
	if wait := s.attempt(cctx, c, gen); wait {
		s.pause(cctx)
	}
}

// supervisor is the state of one Run; owned by Run's goroutine.
type supervisor struct {
	l        *Link
	sink     core.Sink
	bo       *backoff
	lastSide int  // side of the last session that came up; -1 before
	wasUp    bool // the last session came up (so retry at once)
	// relocated: the endpoints changed after a session had come up, so the
	// next session re-LOGINs like after a failover.
	relocated bool
	// maintenanceMoved: the last session left a node in maintenance, so the
	// next one sends the move notice (maintenance.go).
	maintenanceMoved bool
	// drainingStart: the side picked for this attempt is in maintenance
	// (no other side could take the agent), so serve keeps asking.
	drainingStart bool
	epoch         uint64 // the endpoints' generation this cycle runs with
	// xmppBad: sides whose XMPP failed to connect, until when they count as
	// unusable while another side is usable (xmppusable.go).
	xmppBad map[int]time.Time
}

// pause waits for the next backoff step, a credential change or the end.
func (s *supervisor) pause(ctx context.Context) {
	t := time.NewTimer(s.bo.next())
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	case <-s.l.credC:
		s.bo.reset()
	}
}

// attempt runs one connect-and-serve cycle. It reports whether the caller
// should back off before the next one.
func (s *supervisor) attempt(ctx context.Context, c creds, gen uint64) bool {
	idx, info, err := s.pickSide(ctx, c)
	if err == nil {
		var conn *xmppConn
		conn, err = s.connect(ctx, idx, info, c)
		if ctx.Err() == nil {
			s.noteConnect(idx, err)
		}
		if err == nil {
			err = s.serve(ctx, conn, idx, c, gen)
			conn.Close()
		}
	}
	if ctx.Err() != nil || errors.Is(err, errCredsChanged) {
		return false
	}
	return s.failed(c, gen, err)
}

// failed records why a cycle ended and reports whether to back off.
func (s *supervisor) failed(c creds, gen uint64, err error) bool {
	if isAuthFailure(err) {
		if c.sso != nil && c.sso.retryAfterRefusal() {
			return true // a refreshed access token gets another try (sso_mode.go)
		}
		err = s.l.ssoHint(c, err) // a password on an SSO Finesse (sso_mode.go)
		s.l.cfg.Logger.Warn("finesse refused the credentials", "agent", c.user, "err", err)
		s.l.dropCredentials(gen, err)
		s.down(fmt.Sprintf("sign-in refused: %v", err))
		return false
	}
	if s.wasUp {
		// A reconnect follows at once: a Login now waits for its outcome
		// instead of getting the error of a session that had worked.
		s.l.setReady(readyState{gen: gen}, s.epoch)
	} else {
		s.l.setReady(readyState{gen: gen, err: err}, s.epoch)
	}
	s.l.cfg.Logger.Warn("finesse link down", "err", err)
	s.down(humanReason(s.l.sides[s.l.currentSide()].name, err))
	if s.wasUp || errors.Is(err, errSwitchSide) {
		s.wasUp = false
		return false // first retry after a working session: at once
	}
	return true
}

func humanReason(n core.Node, err error) string {
	switch {
	case isMaintenanceMove(err):
		return fmt.Sprintf("side %s is going into maintenance; moving to the other side", n)
	case errors.Is(err, errSwitchSide):
		return fmt.Sprintf("side %s is out of service; moving to the other side", n)
	case errors.Is(err, core.ErrUntrustedCertificate):
		return err.Error()
	case sidePrefixed(err.Error()):
		return err.Error() + "; reconnecting"
	}
	return fmt.Sprintf("side %s: %v; reconnecting", n, err)
}

// setCurrentSide makes side i the one the next cycle tries first.
func (l *Link) setCurrentSide(i int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cur = i
}

func (l *Link) currentSide() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cur
}

func (s *supervisor) down(reason string) {
	st := s.l.Status()
	s.l.publish(s.sink, core.System{Status: core.OutOfService, Node: st.Node, Host: st.Host, Reason: reason})
}

// pickSide probes SystemInfo on the current side, then on the others, and
// returns the first IN_SERVICE one. Probes are sequential so a wrong
// password costs one strike, not one per side.
func (s *supervisor) pickSide(ctx context.Context, c creds) (int, *wireSystemInfo, error) {
	cur := s.l.currentSide()
	var first error
	var others []string
	drainIdx, drainInfo := -1, (*wireSystemInfo)(nil)
	for i := range s.l.sides {
		idx := (cur + i) % len(s.l.sides)
		sd := s.l.sides[idx]
		info, err := s.l.systemInfo(ctx, idx, c)
		switch {
		case err == nil && inService(info) && (draining(info.FinesseMMode) || s.xmppUnusable(idx)):
			// Usable, but being drained or its notifications failed: only
			// if no other side is; among several, the one that failed
			// longest ago, so that both sides keep being tried.
			if drainIdx < 0 || s.betterFallback(idx, drainIdx) {
				drainIdx, drainInfo = idx, info
			}
			continue
		case err == nil && inService(info):
			s.drainingStart = false
			return idx, info, nil
		case isAuthFailure(err) || ctx.Err() != nil:
			return 0, nil, err
		case err == nil:
			err = fmt.Errorf("%w: status %s %s", core.ErrOutOfService, info.Status, info.StatusReason)
		}
		if i == 0 {
			first = fmt.Errorf("side %s: %w", sd.name, err)
			if len(s.l.sides) > 1 {
				s.down(fmt.Sprintf("side %s unavailable, trying side %s", sd.name, s.l.sides[(idx+1)%len(s.l.sides)].name))
			}
			continue
		}
		others = append(others, fmt.Sprintf("side %s: %v", sd.name, err))
	}
	if drainIdx >= 0 {
		s.drainingStart = draining(drainInfo.FinesseMMode)
		return drainIdx, drainInfo, nil
	}
	// The current side's error is the one callers branch on (an untrusted
	// certificate must not read as "out of service"); the rest is context.
	if len(others) == 0 {
		return 0, nil, first
	}
	return 0, nil, fmt.Errorf("%w; %s", first, strings.Join(others, "; "))
}

// connect makes idx the current side and connects XMPP there, using the
// xmppDomain that side reported (it is per node) and the XMPP port chosen
// from Config and SystemInfo (ports.go).
func (s *supervisor) connect(ctx context.Context, idx int, info *wireSystemInfo, c creds) (*xmppConn, error) {
	s.l.setCurrentSide(idx)
	ep := s.l.endpoint(idx)
	s.l.logPorts(idx)
	domain := strings.TrimSpace(info.XMPPDomain)
	if domain == "" {
		domain = ep.Host
	}
	return dialXMPP(ctx, xmppOptions{
		Addr:       net.JoinHostPort(ep.Host, strconv.Itoa(ep.XMPPPort)),
		ServerName: ep.Host, Domain: domain, Creds: c, Resource: s.l.cfg.Resource,
		Mode: s.l.cfg.XMPPTLS, TLS: s.l.tls, PingInterval: s.l.cfg.PingInterval,
		HandshakeTimeout: s.l.cfg.HandshakeTimeout, Logger: s.l.cfg.Logger,
	})
}

package localbridge

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"

	"github.com/agentlink/agentlink/localbridge/peercred"
)

// The bridge's port range (issue 10): each OS user's AgentLink takes the
// first port of the range no other user holds, and the SDK probes them all
// (DEFAULT_PORTS in assets/sdk/agentlink.js must match).
const (
	PortRangeFirst = 28445
	PortRangeSize  = 10
	PortRangeLast  = PortRangeFirst + PortRangeSize - 1
)

// PortInUseError says who holds the bridge's port. It unwraps to the
// listen error (syscall.EADDRINUSE).
type PortInUseError struct {
	Addr     string
	Owner    peercred.Peer
	Known    bool // Owner was found
	SameUser bool // Owner is this OS user (another AgentLink, usually)
	Err      error
}

func (e *PortInUseError) Error() string {
	switch {
	case !e.Known:
		return fmt.Sprintf("localbridge: %s is in use (is AgentLink already running?): %v", e.Addr, e.Err)
	case e.SameUser:
		return fmt.Sprintf("localbridge: %s is in use by this OS user's %s: is AgentLink already running?", e.Addr, e.Owner)
	}
	return fmt.Sprintf("localbridge: %s is held by another OS user, %s; AgentLink does not share its port: "+
		"ask them or an administrator to stop that program, or set bridge.addr to a free loopback port", e.Addr, e.Owner)
}

func (e *PortInUseError) Unwrap() error { return e.Err }

// listen opens the loopback listeners: the configured address, plus [::1]
// on the same port when the configured host is IPv4 loopback or localhost
// and ::1 exists. Either both are bound or neither: a squatter on one of
// them would get the browser's "localhost" requests. With PortFallback, a
// port another OS user holds makes it try the next port of the range.
func (s *Server) listen() ([]net.Listener, error) {
	host, port, _ := net.SplitHostPort(s.cfg.Addr) // validated by New
	if host == "localhost" {
		host = "127.0.0.1"
	}
	first, _ := strconv.Atoi(port)
	last := first
	if s.cfg.PortFallback && first >= s.cfg.portFirst && first <= s.cfg.portLast {
		last = s.cfg.portLast
	}
	var err error
	for p := first; p <= last; p++ {
		var lns []net.Listener
		if lns, err = s.listenPair(host, p); err == nil {
			_, actual, _ := net.SplitHostPort(lns[0].Addr().String())
			s.mu.Lock()
			s.addr, s.port = lns[0].Addr().String(), actual
			s.mu.Unlock()
			return lns, nil
		}
		var pe *PortInUseError
		if !errors.As(err, &pe) || !pe.Known || pe.SameUser {
			return nil, err
		}
		if p < last {
			s.log.Warn("bridge port held by another OS user; trying the next", "port", p, "holder", pe.Owner.String())
		}
	}
	if last > first {
		return nil, fmt.Errorf("localbridge: every bridge port %d-%d is taken; the last: %w", first, last, err)
	}
	return nil, err
}

// listenPair binds host:port and, for IPv4 loopback, [::1]:port too.
func (s *Server) listenPair(host string, port int) ([]net.Listener, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return nil, s.inUse(net.JoinHostPort(host, strconv.Itoa(port)), err)
	}
	ip := net.ParseIP(host)
	if ip == nil || ip.To4() == nil {
		return []net.Listener{ln}, nil
	}
	_, actual, _ := net.SplitHostPort(ln.Addr().String())
	addr6 := net.JoinHostPort("::1", actual)
	ln6, err := net.Listen("tcp", addr6)
	switch {
	case err == nil:
		return []net.Listener{ln, ln6}, nil
	case errors.Is(err, syscall.EADDRNOTAVAIL) || errors.Is(err, syscall.EAFNOSUPPORT):
		s.log.Info("bridge not listening on ::1: this machine has no IPv6 loopback", "err", err)
		return []net.Listener{ln}, nil
	}
	_ = ln.Close()
	return nil, s.inUse(addr6, err)
}

// inUse explains a listen error, naming who holds the port when it can.
func (s *Server) inUse(addr string, err error) error {
	if !errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("localbridge: listen on %s: %w", addr, err)
	}
	e := &PortInUseError{Addr: addr, Err: err}
	if ta, rerr := net.ResolveTCPAddr("tcp", addr); rerr == nil {
		if owner, oerr := peercred.ListenerOwner(ta); oerr == nil {
			self, _ := peercred.Self()
			e.Owner, e.Known, e.SameUser = owner, true, owner.UID == self
		}
	}
	return e
}

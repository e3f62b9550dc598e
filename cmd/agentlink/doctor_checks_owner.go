package main

import (
	"errors"
	"fmt"
	"net"
	"strconv"

	"github.com/agentlink/agentlink/localbridge"
	"github.com/agentlink/agentlink/localbridge/peercred"
)

// foreignListener finds out, before doctor sends the bridge anything (the
// token least of all), whether another OS user's program listens on the
// bridge's address or on [::1] at its port. ok is false with the FAIL
// result when one does; where the lookup is not supported it says ok.
func (d *doctor) foreignListener(addr string) (checkResult, bool) {
	lookup := d.portOwner
	if lookup == nil {
		lookup = peercred.ListenerOwner
	}
	self, err := peercred.Self()
	if errors.Is(err, peercred.ErrUnsupported) {
		return checkResult{}, true
	}
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	addrs := []*net.TCPAddr{{IP: net.ParseIP(host), Port: p}}
	if host == "localhost" || (net.ParseIP(host) != nil && net.ParseIP(host).To4() != nil) {
		addrs = append(addrs, &net.TCPAddr{IP: net.IPv6loopback, Port: p})
	}
	if host == "localhost" {
		addrs[0].IP = net.IPv4(127, 0, 0, 1)
	}
	for _, a := range addrs {
		owner, err := lookup(a)
		if err != nil || owner.UID == self {
			continue
		}
		return checkResult{Status: statusFail,
			Detail: fmt.Sprintf("another OS user's program listens on %s: %s; doctor sent it nothing (not the token) and AgentLink will not share the port", a, owner),
			Fix: fmt.Sprintf("ask that user or an administrator to stop it; with the default bridge.addr AgentLink takes the next free port of %d-%d, "+
				"otherwise set bridge.addr (--bridge-addr) to a free loopback port", localbridge.PortRangeFirst, localbridge.PortRangeLast)}, false
	}
	return checkResult{}, true
}

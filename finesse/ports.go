package finesse

import (
	"context"
	"strconv"
	"strings"
)

// PortPolicy decides whose XMPP port wins when both the Config and
// SystemInfo name one for a side (reference §1.3 "Per-node ports"). The
// zero value is [PortsFromSystemInfo].
type PortPolicy int

// Port policies.
const (
	// PortsFromSystemInfo (default): the port a node advertises for itself
	// (or the other node advertises for it) wins over Config's XMPPPort;
	// Config is the fallback for servers that advertise nothing.
	PortsFromSystemInfo PortPolicy = iota
	// PortsFromConfig: an explicitly configured XMPPPort always wins;
	// advertised ports only replace the built-in default (5223/5222).
	PortsFromConfig
)

func (p PortPolicy) String() string {
	if p == PortsFromConfig {
		return "config"
	}
	return "systeminfo"
}

// nodePorts are the ports SystemInfo advertises for one node; zero means
// absent or unusable.
type nodePorts struct {
	rest int // httpsPort
	xmpp int // xmppSecurePort (DirectTLS) or xmppPort (StartTLS)
}

// learnedPorts is what the link has read from SystemInfo about one side.
type learnedPorts struct {
	own   nodePorts // from the side's own SystemInfo (freshest for XMPP)
	other nodePorts // from the other side's SystemInfo
}

// Port sources, logged with the port chosen.
const (
	srcConfig     = "config"
	srcDefault    = "default"
	srcSystemInfo = "systeminfo"
)

// splitNodes finds this node's entry in info (the primaryNode or
// secondaryNode whose host equals xmppDomain, case-insensitive, as
// finesse.js does) and the other one. ok is false when no entry, or both,
// match: the ports cannot then be attributed and nothing is learned.
func splitNodes(info *wireSystemInfo, mode XMPPTLSMode) (self, other nodePorts, ok bool) {
	domain := strings.TrimSpace(info.XMPPDomain)
	if domain == "" {
		return nodePorts{}, nodePorts{}, false
	}
	p, s := info.PrimaryNode, info.SecondaryNode
	pm := strings.EqualFold(strings.TrimSpace(p.Host), domain)
	sm := strings.EqualFold(strings.TrimSpace(s.Host), domain)
	switch {
	case pm && !sm:
		return p.ports(mode), s.ports(mode), true
	case sm && !pm:
		return s.ports(mode), p.ports(mode), true
	}
	return nodePorts{}, nodePorts{}, false
}

// ports reads one entry; an entry without a host advertises nothing.
func (n wireNode) ports(mode XMPPTLSMode) nodePorts {
	if strings.TrimSpace(n.Host) == "" {
		return nodePorts{}
	}
	x := n.XMPPSecurePort
	if mode == StartTLS {
		x = n.XMPPPort
	}
	return nodePorts{rest: parsePort(n.HTTPSPort), xmpp: parsePort(x)}
}

// parsePort returns s as a port, or 0 when it is empty or not 1-65535.
func parsePort(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 65535 {
		return 0
	}
	return n
}

// choosePort picks between the configured port (explicit, or the built-in
// default when not explicit) and an advertised one (0 = none). An explicit
// port wins unless advertisedWins; a default always yields to an
// advertised port.
func choosePort(configured int, explicit bool, advertised int, advertisedWins bool) (int, string) {
	switch {
	case advertised != 0 && (advertisedWins || !explicit):
		return advertised, srcSystemInfo
	case explicit:
		return configured, srcConfig
	}
	return configured, srcDefault
}

// endpoint returns side idx's endpoint with the ports chosen from Config
// and SystemInfo. The host is always the configured one: advertised hosts
// are FQDNs the desktop may not resolve.
func (l *Link) endpoint(idx int) Endpoint {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.endpointLocked(idx)
}

func (l *Link) endpointLocked(idx int) Endpoint {
	ep, _, _ := l.resolveLocked(idx)
	return ep
}

// resolveLocked also returns where each port came from, for the log.
func (l *Link) resolveLocked(idx int) (ep Endpoint, restSrc, xmppSrc string) {
	sd, lp := l.sides[idx], l.learned[idx]
	ep = sd.ep
	// REST is only learned from the other side: this side's own SystemInfo
	// was read over the REST port we already use.
	ep.RESTPort, restSrc = choosePort(sd.ep.RESTPort, sd.explicitREST, lp.other.rest, false)
	adv := lp.own.xmpp
	if adv == 0 {
		adv = lp.other.xmpp
	}
	ep.XMPPPort, xmppSrc = choosePort(sd.ep.XMPPPort, sd.explicitXMPP, adv, l.cfg.XMPPPorts == PortsFromSystemInfo)
	return ep, restSrc, xmppSrc
}

// learnPorts records the ports SystemInfo read from side idx advertises:
// its own entry for idx, the other entry for the other configured side.
func (l *Link) learnPorts(idx int, info *wireSystemInfo) {
	self, other, ok := splitNodes(info, l.cfg.XMPPTLS)
	if !ok {
		l.cfg.Logger.Debug("finesse systeminfo ports not attributable", "side", l.sides[idx].name,
			"xmppDomain", info.XMPPDomain, "primary", info.PrimaryNode.Host, "secondary", info.SecondaryNode.Host)
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.learned[idx].own = self
	if len(l.sides) == 2 {
		l.learned[1-idx].other = other
	}
}

// systemInfo reads SystemInfo from side idx (one probe, no retries) and
// learns the ports it advertises.
func (l *Link) systemInfo(ctx context.Context, idx int, c creds) (*wireSystemInfo, error) {
	info, err := l.rest.systemInfo(ctx, l.endpoint(idx), c)
	if err != nil {
		return nil, err
	}
	l.learnPorts(idx, info)
	return info, nil
}

// logPorts logs, at debug, the ports the link uses for side idx and why.
func (l *Link) logPorts(idx int) {
	l.mu.Lock()
	ep, restSrc, xmppSrc := l.resolveLocked(idx)
	l.mu.Unlock()
	l.cfg.Logger.Debug("finesse ports chosen", "side", l.sides[idx].name, "host", ep.Host,
		"restPort", ep.RESTPort, "restFrom", restSrc, "xmppPort", ep.XMPPPort, "xmppFrom", xmppSrc,
		"policy", l.cfg.XMPPPorts)
}

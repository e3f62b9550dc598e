package main

import (
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// maxClockSkew is the clock difference from Finesse that breaks TLS and
// SSO token checks.
const maxClockSkew = 60 * time.Second

// sideProbe is what a Finesse side check learned that the password check
// needs.
type sideProbe struct {
	name    string // "A" or "B"
	addr    string // REST "host:port"
	host    string
	trusted bool   // the app would send the password here: certificate verified, or plain_http/insecure as configured
	status  string // SystemInfo status; "" when unknown

	certStatus checkStatus // the REST certificate's verdict; "" when not checked
}

// sideConfig names the settings of one side, for fix: lines.
type sideConfig struct {
	name, addr, host, key, flag string
}

// systemInfo is the part of GET /finesse/api/SystemInfo the doctor reads.
type systemInfo struct {
	Status         string         `xml:"status"`
	StatusReason   string         `xml:"statusReason"`
	XMPPDomain     string         `xml:"xmppDomain"`
	DeploymentType string         `xml:"deploymentType"`
	SystemAuthMode string         `xml:"systemAuthMode"`
	FinesseMMode   string         `xml:"finesseMMode"` // maintenance mode (Finesse 12.6)
	Nodes          []sysInfoNodes `xml:",any"`
}

// sysInfoNodes catches primaryNode and secondaryNode.
type sysInfoNodes struct {
	XMLName        xml.Name
	Host           string `xml:"host"`
	XMPPPort       string `xml:"xmppPort"`
	XMPPSecurePort string `xml:"xmppSecurePort"`
}

// sideCheck returns the check of one Finesse side.
func (d *doctor) sideCheck(name, addr string) func(context.Context) checkResult {
	return func(ctx context.Context) checkResult { return d.checkSide(ctx, name, addr) }
}

// checkSide checks one Finesse side: DNS, the REST port with TLS and an
// unauthenticated SystemInfo (status, clock), then the XMPP port.
func (d *doctor) checkSide(ctx context.Context, name, addr string) checkResult {
	lower := strings.ToLower(name)
	sc := d.vpnlessSide(sideConfig{name: name, addr: addr, key: "finesse.side_" + lower, flag: "--side-" + lower})
	if addr == "" {
		if name == "A" {
			return checkResult{Status: statusWarn, Detail: "no Finesse server configured (the login form asks for it)",
				Fix: fmt.Sprintf("set finesse.side_a in %s or pass --side-a", d.cfg.fileHint())}
		}
		return checkResult{Status: statusSkip, Detail: "not configured (no failover side): set finesse.side_b for failover"}
	}
	sc.host, _, _ = net.SplitHostPort(addr)
	if f, ok := d.resolve(ctx, sc); !ok {
		return combine([]finding{f})
	}
	probe := &sideProbe{name: name, addr: addr, host: sc.host}
	fs, info := d.probeREST(ctx, sc, probe)
	fs = append(fs, d.probeNotifications(ctx, sc, info, probe.certStatus)...) // doctor_checks_ws.go
	r := combine(fs)
	r.probe = probe
	return r
}

// resolve looks the host up in DNS (not for IP addresses).
func (d *doctor) resolve(ctx context.Context, sc sideConfig) (finding, bool) {
	if _, err := netip.ParseAddr(sc.host); err == nil {
		return finding{}, true
	}
	ctx, cancel := d.stepContext(ctx)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupHost(ctx, sc.host)
	if err != nil {
		return finding{status: statusFail, text: fmt.Sprintf("cannot resolve %s: %v", sc.host, err),
			fix: fmt.Sprintf("check the host name in %s (%s) and this PC's DNS (nslookup %s)", sc.key, sc.flag, sc.host)}, false
	}
	return finding{status: statusOK, text: sc.host + " resolves to " + strings.Join(addrs, ", ")}, true
}

// probeREST connects to the REST port, checks the certificate and reads
// SystemInfo without credentials. info is nil when SystemInfo was not read.
func (d *doctor) probeREST(ctx context.Context, sc sideConfig, probe *sideProbe) (fs []finding, info *systemInfo) {
	conn, err := d.dial(ctx, sc.addr)
	if err != nil {
		return []finding{{status: statusFail, text: fmt.Sprintf("REST %s: %s", sc.addr, describeNetErr(err)),
			fix: fmt.Sprintf("check the host and port in %s (%s; Finesse REST is 8445) and that the firewall lets this PC reach TCP %s on %s",
				sc.key, sc.flag, portOf(sc.addr), sc.host)}}, nil
	}
	defer conn.Close()
	var c net.Conn = conn
	if d.cfg.Finesse.PlainHTTP {
		probe.trusted = true
		fs = append(fs, finding{status: statusWarn, text: "REST " + sc.addr + " over plain HTTP (finesse.plain_http)",
			fix: "plain_http is for the simulator only: remove finesse.plain_http for a real Finesse"})
	} else {
		tc, tf := d.handshake(ctx, conn, sc, "REST "+sc.addr)
		fs = append(fs, tf...)
		if tc == nil {
			return fs, nil
		}
		probe.certStatus = tf[0].status
		probe.trusted = tf[0].status != statusFail
		c = tc
	}
	sf, info := d.systemInfo(ctx, c, sc)
	if info != nil {
		probe.status = info.Status
	}
	return append(fs, sf...), info
}

// dial opens a TCP connection within one step.
func (d *doctor) dial(ctx context.Context, addr string) (net.Conn, error) {
	ctx, cancel := d.stepContext(ctx)
	defer cancel()
	var dl net.Dialer
	return dl.DialContext(ctx, "tcp", addr)
}

// describeNetErr names the usual reasons a connection fails.
func describeNetErr(err error) string {
	s := err.Error()
	switch {
	case strings.Contains(s, "connection refused"):
		return "connection refused (nothing listens there, or a firewall rejects it)"
	case strings.Contains(s, "timeout"), strings.Contains(s, "deadline exceeded"):
		return "no answer in time (a firewall drops the packets, or the host is down)"
	case strings.Contains(s, "no route to host"), strings.Contains(s, "network is unreachable"):
		return "no route to the host (network or VPN down?)"
	}
	return s
}

// systemInfo sends GET /finesse/api/SystemInfo without credentials over c
// and reports the status and the clock difference.
func (d *doctor) systemInfo(ctx context.Context, c net.Conn, sc sideConfig) ([]finding, *systemInfo) {
	ctx, cancel := d.stepContext(ctx)
	defer cancel()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://"+sc.addr+d.sidePrefix(sc.name)+"/finesse/api/SystemInfo", nil)
	req.Header.Set("Accept", "application/xml")
	sent := time.Now()
	if err := req.Write(c); err != nil {
		return []finding{{status: statusWarn, text: "GET /finesse/api/SystemInfo: " + describeNetErr(err)}}, nil
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), req)
	if err != nil {
		return []finding{{status: statusWarn, text: "no answer to GET /finesse/api/SystemInfo: " + describeNetErr(err),
			fix: "check that " + sc.addr + " is Finesse's REST port (8445)"}}, nil
	}
	defer resp.Body.Close()
	mid := sent.Add(time.Since(sent) / 2)
	fs := clockFinding(resp.Header.Get("Date"), mid)
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized:
		return append(fs, finding{status: statusOK, text: "SystemInfo requires sign-in on this server: service status not checked"}), nil
	default:
		return append(fs, finding{status: statusWarn, text: fmt.Sprintf("SystemInfo answered HTTP %d", resp.StatusCode),
			fix: "check that " + sc.addr + " is a Finesse server"}), nil
	}
	var info systemInfo
	if err := xml.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&info); err != nil {
		return append(fs, finding{status: statusWarn, text: "SystemInfo is not Finesse's XML: " + err.Error(),
			fix: "check that " + sc.addr + " is a Finesse server"}), nil
	}
	return append(fs, serviceFinding(info, sc)), &info
}

// serviceFinding reports SystemInfo's status.
func serviceFinding(info systemInfo, sc sideConfig) finding {
	text := fmt.Sprintf("Finesse %s, xmppDomain %s, %s", info.Status, info.XMPPDomain, info.DeploymentType)
	if info.SystemAuthMode != "" {
		text += ", " + info.SystemAuthMode
	}
	if info.Status == "IN_SERVICE" && info.FinesseMMode != "" && info.FinesseMMode != "FAILED" {
		return finding{status: statusWarn, text: text + ", in maintenance (finesseMMode " + info.FinesseMMode + ")",
			fix: fmt.Sprintf("side %s is being drained for maintenance: AgentLink moves agents to the other side; nothing to do unless it stays so", sc.name)}
	}
	if info.Status == "IN_SERVICE" {
		return finding{status: statusOK, text: text}
	}
	if info.StatusReason != "" {
		text += " (" + info.StatusReason + ")"
	}
	return finding{status: statusWarn, text: text,
		fix: fmt.Sprintf("side %s cannot serve agents now (AgentLink uses the other side); ask the Finesse administrator", sc.name)}
}

// clockFinding compares Finesse's Date header with this PC's clock.
func clockFinding(date string, local time.Time) []finding {
	t, err := http.ParseTime(date)
	if err != nil {
		return nil
	}
	skew := local.Sub(t).Round(time.Second)
	if skew.Abs() <= maxClockSkew {
		return nil
	}
	way := "ahead of"
	if skew < 0 {
		way = "behind"
	}
	return []finding{{status: statusWarn, text: fmt.Sprintf("this PC's clock is %v %s Finesse's", skew.Abs(), way),
		fix: "sync the clock (Windows: w32tm /resync; Linux: timedatectl set-ntp true): TLS and SSO break with skewed clocks"}}
}

// xmppPort picks the port the app would dial for this side, and says
// whether it is certain: with xmpp_ports_from = "systeminfo" and no
// SystemInfo, the app learns the real port only after sign-in.
func (d *doctor) xmppPort(sc sideConfig, info *systemInfo) (port int, source string, certain bool) {
	f := d.cfg.Finesse
	if f.XMPPPortsFrom == "config" {
		return f.XMPPPort, "finesse.xmpp_port", true
	}
	if info == nil {
		return f.XMPPPort, "finesse.xmpp_port, as SystemInfo was not readable", false
	}
	for _, n := range info.Nodes {
		if !strings.EqualFold(n.Host, info.XMPPDomain) || info.XMPPDomain == "" {
			continue
		}
		p := n.XMPPSecurePort
		if f.XMPPTLS == "starttls" {
			p = n.XMPPPort
		}
		if v, err := strconv.Atoi(p); err == nil && v > 0 && v < 65536 {
			return v, "SystemInfo", true
		}
	}
	return f.XMPPPort, "finesse.xmpp_port", true
}

package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/xml"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/coder/websocket"
)

// The doctor's view of the notification transports: XMPP over WebSocket
// (wss://<side>/ws, RFC 7395) next to XMPP over TCP, which of them the
// configured finesse.xmpp_transport uses, and what "auto" would pick.

// sideAddr is the address the side check probes: the VPN-less proxy's
// host:port when the side has one, else the direct side.
func (d *doctor) sideAddr(name string) string {
	direct, proxy := d.cfg.Finesse.SideA, d.cfg.Finesse.VPNLessA
	if name == "B" {
		direct, proxy = d.cfg.Finesse.SideB, d.cfg.Finesse.VPNLessB
	}
	if proxy == "" {
		return direct
	}
	if ep, err := vpnlessEndpoint(proxy); err == nil {
		return net.JoinHostPort(ep.Host, strconv.Itoa(ep.RESTPort))
	}
	return direct
}

// sidePrefix is the VPN-less path prefix of side name ("" for none).
func (d *doctor) sidePrefix(name string) string {
	proxy := d.cfg.Finesse.VPNLessA
	if name == "B" {
		proxy = d.cfg.Finesse.VPNLessB
	}
	if ep, err := vpnlessEndpoint(proxy); proxy != "" && err == nil {
		return ep.PathPrefix
	}
	return ""
}

// vpnlessSide renames sc's setting for fix: lines when the side goes
// through a VPN-less proxy.
func (d *doctor) vpnlessSide(sc sideConfig) sideConfig {
	if d.sidePrefixSet(sc.name) {
		lower := strings.ToLower(sc.name)
		sc.key, sc.flag = "finesse.vpnless_"+lower, "--vpnless-"+lower
	}
	return sc
}

func (d *doctor) sidePrefixSet(name string) bool {
	if name == "B" {
		return d.cfg.Finesse.VPNLessB != ""
	}
	return d.cfg.Finesse.VPNLessA != ""
}

// probeNotifications checks the transport(s) the app would use on this
// side and says what "auto" would pick.
func (d *doctor) probeNotifications(ctx context.Context, sc sideConfig, info *systemInfo, restCert checkStatus) []finding {
	transport := d.cfg.Finesse.XMPPTransport
	if d.sidePrefixSet(sc.name) {
		transport = "websocket" // the proxy publishes HTTPS only
	}
	ws, wsOK := d.probeWS(ctx, sc, info, restCert)
	switch transport {
	case "websocket":
		if !wsOK {
			ws.status = statusFail
			ws.fix = d.wsFix(sc)
		}
		return []finding{ws}
	case "auto":
		if wsOK {
			ws.text += "; auto uses WebSocket"
			return []finding{ws}
		}
		tcp := d.probeXMPP(ctx, sc, info, restCert)
		if combine(tcp).Status == statusFail {
			ws.fix = d.wsFix(sc) // neither works: the TCP finding fails the check
			return append([]finding{ws}, tcp...)
		}
		ws.status, ws.text = statusOK, ws.text+"; auto falls back to XMPP over TCP"
		return append([]finding{ws}, tcp...)
	}
	tcp := d.probeXMPP(ctx, sc, info, restCert)
	if !wsOK {
		ws.status, ws.text = statusOK, ws.text+" (not used: xmpp_transport is tcp)"
		if combine(tcp).Status != statusFail {
			ws.text = strings.TrimSuffix(ws.text, ")") + "; auto would pick TCP)"
		}
		return append(tcp, ws)
	}
	ws.text += " (not used: xmpp_transport is tcp; auto would pick WebSocket, which Cisco recommends)"
	if combine(tcp).Status == statusFail {
		ws.status = statusWarn
		ws.fix = `XMPP over TCP fails but WebSocket works: set finesse.xmpp_transport = "auto" (--xmpp-transport auto)`
	}
	return append(tcp, ws)
}

// wsFix is the fix: line for a side whose WebSocket does not work.
func (d *doctor) wsFix(sc sideConfig) string {
	if d.sidePrefixSet(sc.name) {
		return fmt.Sprintf("check %s (%s): the VPN-less proxy must pass /ws to Finesse with the WebSocket upgrade "+
			"(Upgrade and Connection headers, Sec-WebSocket-Protocol xmpp); Finesse serves it from 12.6", sc.key, sc.flag)
	}
	return `this Finesse does not serve XMPP over WebSocket on its HTTPS port (from 12.6 it does on 8445): ` +
		`set finesse.xmpp_transport = "auto" or "tcp" (--xmpp-transport), or open the port if a firewall is in the way`
}

// probeWS upgrades to XMPP over WebSocket with the xmpp subprotocol and
// sends one <open/>, which a working server answers with its own. A
// certificate problem is the REST check's (same port): it is not repeated.
func (d *doctor) probeWS(ctx context.Context, sc sideConfig, info *systemInfo, restCert checkStatus) (finding, bool) {
	scheme := "wss"
	if d.cfg.Finesse.PlainHTTP {
		scheme = "ws"
	}
	url := scheme + "://" + sc.addr + d.sidePrefix(sc.name) + "/ws"
	what := "XMPP over WebSocket " + url
	ctx, cancel := d.stepContext(ctx)
	defer cancel()
	tc := &tls.Config{ServerName: sc.host, RootCAs: d.rootPool(), MinVersion: tls.VersionTLS12,
		InsecureSkipVerify: d.cfg.Finesse.InsecureSkipVerify || restCert == statusFail} //nolint:gosec // reported by the REST check
	// Direct, like every doctor probe: the proxy check covers HTTP(S)_PROXY.
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: tc, Proxy: nil}}
	defer hc.CloseIdleConnections()
	c, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPClient: hc, Subprotocols: []string{"xmpp"}})
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			return finding{status: statusWarn, text: fmt.Sprintf("%s: HTTP %d, no WebSocket upgrade", what, resp.StatusCode)}, false
		}
		return finding{status: statusWarn, text: what + ": " + describeNetErr(err)}, false
	}
	defer c.CloseNow()
	if c.Subprotocol() != "xmpp" {
		return finding{status: statusWarn, text: what + ": upgraded without the xmpp subprotocol (RFC 7395 needs it)"}, false
	}
	domain := sc.host
	if info != nil && info.XMPPDomain != "" {
		domain = info.XMPPDomain
	}
	var b bytes.Buffer
	b.WriteString(`<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" version="1.0" to="`)
	_ = xml.EscapeText(&b, []byte(domain))
	b.WriteString(`"/>`)
	if err := c.Write(ctx, websocket.MessageText, b.Bytes()); err != nil {
		return finding{status: statusWarn, text: what + ": upgraded, then " + describeNetErr(err)}, false
	}
	_, msg, err := c.Read(ctx)
	if err != nil || !bytes.Contains(msg, []byte("<open")) {
		return finding{status: statusWarn, text: what + ": upgraded, but no XMPP <open/> came back"}, false
	}
	return finding{status: statusOK, text: what + ": upgrade ok, subprotocol xmpp, XMPP answers"}, true
}

package main

import (
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// checkSSO compares Finesse's systemAuthMode with the [sso] settings and,
// when SSO is configured, checks that Cisco IdS answers: TLS and its
// certificate, the authorize endpoint (with AgentLink's client id and
// redirect URL) and the token endpoint. It never sends a credential.
func (d *doctor) checkSSO(ctx context.Context) checkResult {
	mode := d.authMode(ctx)
	fix := fmt.Sprintf("set sso.ids_url and sso.client_id in %s (the client Cisco IdS registered for AgentLink; docs: README, \"Single sign-on\")", d.cfg.fileHint())
	if !d.cfg.SSO.Enabled() {
		switch mode {
		case "SSO":
			return checkResult{Status: statusFail, Fix: fix,
				Detail: "Finesse signs agents in with single sign-on (systemAuthMode SSO), but AgentLink has no [sso] settings: no agent can sign in"}
		case "HYBRID":
			return checkResult{Status: statusWarn, Fix: fix,
				Detail: "Finesse runs HYBRID (systemAuthMode): agents with SSO accounts cannot sign in, as AgentLink has no [sso] settings"}
		case "":
			return checkResult{Status: statusSkip, Detail: "not configured (Finesse's systemAuthMode could not be read without signing in)"}
		}
		return checkResult{Status: statusSkip, Detail: "not configured; Finesse says systemAuthMode " + mode}
	}
	var fs []finding
	switch mode {
	case "NON_SSO":
		fs = append(fs, finding{status: statusWarn, text: "[sso] is configured but Finesse says systemAuthMode NON_SSO: it will refuse SSO sign-ins",
			fix: "sign in with the password, or ask the Finesse administrator whether SSO is enabled"})
	case "":
		fs = append(fs, finding{status: statusOK, text: "Finesse's systemAuthMode not readable without signing in"})
	default:
		fs = append(fs, finding{status: statusOK, text: "Finesse systemAuthMode " + mode})
	}
	return combine(append(fs, d.probeIDS(ctx)...))
}

// authMode reads systemAuthMode from side A's SystemInfo without
// credentials; "" when it cannot.
func (d *doctor) authMode(ctx context.Context) string {
	addr := d.cfg.Finesse.SideA
	if addr == "" {
		return ""
	}
	host, _, _ := net.SplitHostPort(addr)
	sc := sideConfig{name: "A", addr: addr, host: host, key: "finesse.side_a", flag: "--side-a"}
	req, _ := http.NewRequest(http.MethodGet, "https://"+addr+"/finesse/api/SystemInfo", nil)
	resp, _ := d.httpOnce(ctx, sc, "REST "+addr, req, !d.cfg.Finesse.PlainHTTP)
	if resp == nil || resp.StatusCode != http.StatusOK {
		return ""
	}
	var info systemInfo
	if xml.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&info) != nil {
		return ""
	}
	return strings.ToUpper(strings.TrimSpace(info.SystemAuthMode))
}

// probeIDS checks IdS: certificate, authorize and token endpoints.
func (d *doctor) probeIDS(ctx context.Context) []finding {
	s := d.cfg.SSO
	u, err := url.Parse(s.IDSURL)
	if err != nil {
		return []finding{{status: statusFail, text: "sso.ids_url: " + err.Error()}}
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "443")
	}
	sc := sideConfig{name: "IdS", addr: addr, host: u.Hostname(), key: "sso.ids_url", flag: "--sso-ids-url"}
	tlsOn := u.Scheme == "https"
	port := s.RedirectPort
	if port == 0 {
		port = 28460 // any: IdS must then accept every loopback port
	}
	redirect := "http://127.0.0.1:" + strconv.Itoa(port) + "/callback"
	q := url.Values{"response_type": {"code"}, "client_id": {s.ClientID}, "redirect_uri": {redirect},
		"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, "code_challenge_method": {"S256"}, "state": {"doctor"}}
	base := strings.TrimRight(s.IDSURL, "/")
	areq, _ := http.NewRequest(http.MethodGet, base+"/ids/v1/oauth/authorize?"+q.Encode(), nil)
	resp, fs := d.httpOnce(ctx, sc, "IdS "+addr, areq, tlsOn)
	if resp == nil {
		return fs
	}
	fs = append(fs, authorizeFinding(resp, s.ClientID, redirect))
	form := url.Values{"grant_type": {"authorization_code"}, "code": {"agentlink-doctor-probe"},
		"client_id": {s.ClientID}, "redirect_uri": {redirect}}
	treq, _ := http.NewRequest(http.MethodPost, base+"/ids/v1/oauth/token", strings.NewReader(form.Encode()))
	treq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, tfs := d.httpOnce(ctx, sc, "IdS "+addr, treq, tlsOn)
	if resp == nil {
		return append(fs, tfs...)
	}
	return append(fs, tokenFinding(resp))
}

// authorizeFinding judges the authorize endpoint's answer: a login page or
// a redirect means IdS took the client id and redirect URL.
func authorizeFinding(resp *http.Response, clientID, redirect string) finding {
	switch c := resp.StatusCode; {
	case c == http.StatusOK || (c >= 300 && c < 400):
		return finding{status: statusOK, text: fmt.Sprintf("IdS authorize endpoint answers for client %q (HTTP %d)", clientID, c)}
	case c == http.StatusNotFound:
		return finding{status: statusFail, text: "IdS has no /ids/v1/oauth/authorize (HTTP 404)",
			fix: "check sso.ids_url: the Cisco IdS base URL, usually https://<ids host>:8553"}
	case c >= 400 && c < 500:
		return finding{status: statusFail, text: fmt.Sprintf("IdS refused the authorization request (HTTP %d: %s)", c, shortBody(resp)),
			fix: fmt.Sprintf("check sso.client_id %q and that IdS has %s registered as its redirect URL (sso.redirect_port)", clientID, redirect)}
	}
	return finding{status: statusWarn, text: fmt.Sprintf("IdS authorize endpoint answered HTTP %d", resp.StatusCode),
		fix: "IdS may be down or starting; try again, then ask the contact-centre administrator"}
}

// tokenFinding judges the token endpoint's answer to a made-up code: an
// OAuth error (400/401) proves it is there.
func tokenFinding(resp *http.Response) finding {
	switch c := resp.StatusCode; {
	case c == http.StatusBadRequest || c == http.StatusUnauthorized:
		return finding{status: statusOK, text: "IdS token endpoint answers"}
	case c == http.StatusNotFound:
		return finding{status: statusFail, text: "IdS has no /ids/v1/oauth/token (HTTP 404)",
			fix: "check sso.ids_url: the Cisco IdS base URL, usually https://<ids host>:8553"}
	}
	return finding{status: statusWarn, text: fmt.Sprintf("IdS token endpoint answered HTTP %d to a made-up code", resp.StatusCode),
		fix: "IdS may be down or starting; try again, then ask the contact-centre administrator"}
}

func shortBody(resp *http.Response) string {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	return strings.TrimSpace(string(b))
}

// httpOnce sends req on a fresh connection to sc.addr (TLS checked as the
// Finesse sides are, when tlsOn) and reads the answer, within one step.
// resp is nil when there was none; fs then say why, and always carry the
// certificate's verdict first when TLS was used.
func (d *doctor) httpOnce(ctx context.Context, sc sideConfig, what string, req *http.Request, tlsOn bool) (*http.Response, []finding) {
	conn, err := d.dial(ctx, sc.addr)
	if err != nil {
		return nil, []finding{{status: statusFail, text: fmt.Sprintf("%s: %s", what, describeNetErr(err)),
			fix: fmt.Sprintf("check %s (%s) and that the firewall lets this PC reach TCP %s on %s", sc.key, sc.flag, portOf(sc.addr), sc.host)}}
	}
	context.AfterFunc(ctx, func() { conn.Close() })
	var c net.Conn = conn
	var fs []finding
	if tlsOn {
		tc, tf := d.handshake(ctx, conn, sc, what)
		fs = tf
		if tc == nil || tf[0].status == statusFail {
			conn.Close()
			return nil, fs
		}
		c = tc
	}
	sctx, cancel := d.stepContext(ctx)
	defer cancel()
	if dl, ok := sctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	req.Header.Set("Connection", "close")
	if !tlsOn {
		req.URL.Scheme = "http"
	}
	if err := req.Write(c); err != nil {
		conn.Close()
		return nil, append(fs, finding{status: statusFail, text: what + ": " + describeNetErr(err)})
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), req)
	if err != nil {
		conn.Close()
		return nil, append(fs, finding{status: statusFail, text: what + ": no HTTP answer: " + describeNetErr(err),
			fix: fmt.Sprintf("check the port in %s (%s)", sc.key, sc.flag)})
	}
	return resp, fs
}

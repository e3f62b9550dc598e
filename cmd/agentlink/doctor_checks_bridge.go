package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
)

// bridgeStatus is the part of the bridge's GET /v1/status answer the
// doctor reports (localbridge/routes.go statusResult).
type bridgeStatus struct {
	App     string `json:"app"`
	Version string `json:"version"`
	System  struct {
		Status        string `json:"status"`
		Node          string `json:"node"`
		Host          string `json:"host"`
		XMPPConnected bool   `json:"xmppConnected"`
		Reason        string `json:"reason"`
	} `json:"system"`
	Agent struct {
		AgentID  string `json:"agentId"`
		State    string `json:"state"`
		LoggedIn bool   `json:"loggedIn"`
	} `json:"agent"`
	Clients int `json:"clients"`
}

// bridgeClient talks to the local bridge directly, never through a proxy.
func bridgeClient(d *doctor) *http.Client {
	return &http.Client{Timeout: d.stepTimeout / 2, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
}

// checkBridge finds out whether AgentLink already listens on bridge.addr
// and what it reports, or else whether it could listen there.
func (d *doctor) checkBridge(ctx context.Context) checkResult {
	addr := d.cfg.Bridge.Addr
	if strings.HasSuffix(addr, ":0") {
		return checkResult{Status: statusWarn, Detail: "bridge.addr " + addr + " has port 0: toolbars cannot find a random port",
			Fix: "set bridge.addr to " + defaultBridgeAddr + " (or --bridge-addr)"}
	}
	if r, ok := d.foreignListener(addr); !ok {
		return r
	}
	hc := bridgeClient(d)
	health, err := getJSON[map[string]any](ctx, hc, "http://"+addr+"/healthz", "")
	if err == nil && health["app"] == "agentlink" {
		return d.bridgeRunning(ctx, hc, addr)
	}
	if err == nil {
		return checkResult{Status: statusFail, Detail: "another program (not AgentLink) answers HTTP on " + addr,
			Fix: "stop that program, or move AgentLink to a free port with bridge.addr (--bridge-addr) and update the CRM toolbar's URL"}
	}
	ln, lerr := net.Listen("tcp", addr)
	if lerr == nil {
		ln.Close()
		return checkResult{Status: statusWarn, Detail: "AgentLink is not running; " + addr + " is free for its bridge",
			Fix: "start AgentLink (the toolbar needs it running)"}
	}
	if errors.Is(lerr, syscall.EADDRINUSE) {
		return checkResult{Status: statusFail,
			Detail: fmt.Sprintf("something other than AgentLink holds %s (it does not answer GET /healthz)", addr),
			Fix: fmt.Sprintf("find it (ss -ltnp 'sport = :%s' or netstat -ano) and stop it, or set bridge.addr (--bridge-addr) to a free loopback port",
				portOf(addr))}
	}
	return checkResult{Status: statusFail, Detail: fmt.Sprintf("AgentLink is not running and cannot listen on %s: %v", addr, lerr),
		Fix: "set bridge.addr (--bridge-addr) to a loopback address such as " + defaultBridgeAddr}
}

// bridgeRunning asks a running AgentLink for its status with the token
// from the token file.
func (d *doctor) bridgeRunning(ctx context.Context, hc *http.Client, addr string) checkResult {
	path := d.configFile(tokenFileName)
	tok, err := readToken(path)
	if err != nil {
		return checkResult{Status: statusWarn,
			Detail: "AgentLink is running on " + addr + "; its status was not read: the token file is missing or unusable (see token file)",
			Fix:    "fix the token file, then run agentlink doctor again"}
	}
	st, err := getJSON[bridgeStatus](ctx, hc, "http://"+addr+"/v1/status", tok)
	var se *httpStatusError
	if errors.As(err, &se) && se.code == http.StatusUnauthorized {
		return checkResult{Status: statusFail,
			Detail: fmt.Sprintf("an AgentLink answers on %s but refuses the token in %s: it was started by another user "+
				"or from another install (another config directory)", addr, path),
			Fix: "run agentlink doctor as the user who runs AgentLink; if two AgentLinks are installed, quit the other one and start this one"}
	}
	if err != nil {
		return checkResult{Status: statusWarn, Detail: fmt.Sprintf("AgentLink is running on %s but GET /v1/status failed: %v", addr, err),
			Fix: "restart AgentLink"}
	}
	return describeBridgeStatus(addr, st)
}

// describeBridgeStatus turns the running app's status into a result.
func describeBridgeStatus(addr string, st bridgeStatus) checkResult {
	fin := "Finesse " + st.System.Status
	if st.System.Node != "" {
		fin += " on side " + st.System.Node
	}
	if st.System.Host != "" {
		fin += " (" + st.System.Host + ")"
	}
	if st.System.XMPPConnected {
		fin += ", notifications connected"
	} else {
		fin += ", notifications not connected"
	}
	if st.System.Reason != "" {
		fin += " (" + st.System.Reason + ")"
	}
	agent := "no agent signed in"
	if st.Agent.LoggedIn {
		agent = fmt.Sprintf("agent %s %s", st.Agent.AgentID, st.Agent.State)
	}
	detail := fmt.Sprintf("AgentLink %s is running on %s: %s; %s; %d toolbar connection(s)",
		st.Version, addr, fin, agent, st.Clients)
	r := checkResult{Status: statusOK, Detail: detail}
	if st.Agent.LoggedIn && (st.System.Status != "IN_SERVICE" || !st.System.XMPPConnected) {
		r.Status = statusWarn
		r.Fix = "see the finesse side checks below; AgentLink reconnects on its own once Finesse answers"
	}
	return r
}

// httpStatusError is a non-200 answer.
type httpStatusError struct{ code int }

func (e *httpStatusError) Error() string { return fmt.Sprintf("HTTP %d", e.code) }

// getJSON GETs target (with a bearer token when tok is not empty) and decodes
// a 200 answer.
func getJSON[T any](ctx context.Context, hc *http.Client, target, tok string) (T, error) {
	var v T
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return v, err
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return v, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return v, &httpStatusError{code: resp.StatusCode}
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&v); err != nil {
		return v, fmt.Errorf("reading the answer: %w", err)
	}
	return v, nil
}

func portOf(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}

// checkOrigins lists the CRM origins the bridge accepts, from the config
// and from the agent's choices in origins.json, and flags entries that
// never match what a browser sends.
func (d *doctor) checkOrigins(context.Context) checkResult {
	var fs []finding
	configured := d.cfg.Bridge.AllowedOrigins
	for _, o := range configured {
		if p := originProblem(o); p != "" {
			fs = append(fs, finding{status: statusWarn, text: fmt.Sprintf("bridge.allowed_origins %q %s", o, p),
				fix: "use the CRM's https:// origin in bridge.allowed_origins"})
		}
	}
	approved, denied, cf := d.consentOrigins()
	fs = append(fs, cf...)
	if len(configured)+len(approved) == 0 {
		fs = append(fs, finding{status: statusWarn,
			text: "no CRM origin is allowed yet: a toolbar in the CRM is refused until the agent allows it in AgentLink",
			fix:  fmt.Sprintf("set bridge.allowed_origins = [\"https://crm.example.com\"] in %s (or --allow-origin)", d.cfg.fileHint())})
	}
	summary := fmt.Sprintf("allowed by config: %s; approved by the agent: %s", listOrNone(configured), listOrNone(approved))
	if len(denied) > 0 {
		summary += "; denied by the agent: " + strings.Join(denied, ", ")
	}
	return combine(append([]finding{{status: statusOK, text: summary}}, fs...))
}

// consentOrigins reads origins.json. The bridge refuses to start when the
// file is not valid JSON, and ignores entries that are not origins.
func (d *doctor) consentOrigins() (approved, denied []string, fs []finding) {
	path := d.configFile("origins.json")
	if path == "" {
		return nil, nil, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, []finding{{status: statusFail, text: fmt.Sprintf("cannot read %s: %v", path, err),
			fix: "check the permissions of " + path}}
	}
	var f struct{ Allowed, Denied []string }
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, nil, []finding{{status: statusFail, text: fmt.Sprintf("%s is not valid JSON (%v): AgentLink will not start", path, err),
			fix: fmt.Sprintf("repair or delete %s (the agent then allows the CRMs again)", path)}}
	}
	for _, o := range f.Allowed {
		if p := originProblem(o); p != "" {
			fs = append(fs, finding{status: statusWarn, text: fmt.Sprintf("%s: approved origin %q %s", path, o, p),
				fix: "remove the entry from " + path + " and let the agent allow the CRM again"})
		}
	}
	return f.Allowed, f.Denied, fs
}

// originProblem says why an allowed origin never matches a browser's
// Origin header, or is unsafe; "" when it is fine. Case and a trailing "/"
// are fine: AgentLink normalises them as browsers do.
func originProblem(o string) string {
	if strings.Contains(o, "*") {
		return "has a wildcard: origins match exactly, so it never matches"
	}
	if !strings.Contains(o, "://") {
		return "has no scheme (https://): it never matches"
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "is not an http(s) origin: it never matches"
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "has a path or more: an origin is scheme://host[:port] only, so it never matches"
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
		return "is plain http on a network host: browsers keep non-secure pages from reaching the local bridge"
	}
	return ""
}

func listOrNone(ss []string) string {
	if len(ss) == 0 {
		return "none"
	}
	return strings.Join(ss, ", ")
}

package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// lockoutNote is said whenever a password was tried or not tried because
// of Finesse's lock-out.
const lockoutNote = "each wrong password counts towards Finesse's lock-out (5 wrong tries lock the account)"

// checkStoredPassword tries the stored password once against Finesse, only
// with --check-password: a wrong one counts towards the lock-out.
func (d *doctor) checkStoredPassword(ctx context.Context, probes []*sideProbe) checkResult {
	agent := d.cfg.Finesse.AgentID
	switch {
	case !d.checkPassword:
		return checkResult{Status: statusSkip,
			Detail: "not checked: " + lockoutNote + "; run agentlink doctor --check-password to try it once"}
	case agent == "":
		return checkResult{Status: statusSkip, Detail: "not checked: no agent configured (finesse.agent_id, --agent)"}
	}
	pw, err := d.keys.Password(agent)
	if err != nil {
		return checkResult{Status: statusSkip, Detail: "not checked: no stored password (see keychain)"}
	}
	side := pickSide(probes)
	if side == nil {
		return checkResult{Status: statusSkip,
			Detail: "not checked: no Finesse side answered with a trusted certificate (see the finesse side checks)"}
	}
	ctx, cancel := d.stepContext(ctx)
	defer cancel()
	code, body, err := d.getUser(ctx, side, agent, pw)
	if err != nil {
		return checkResult{Status: statusWarn, Detail: fmt.Sprintf("not checked: GET User/%s on side %s failed: %s", agent, side.name, describeNetErr(err)),
			Fix: "run agentlink doctor --check-password again once Finesse answers"}
	}
	return passwordResult(code, body, agent, side.name)
}

// pickSide returns the first side that is IN_SERVICE, else the first whose
// status is unknown (SystemInfo needs sign-in), among those the app would
// send the password to.
func pickSide(probes []*sideProbe) *sideProbe {
	for _, want := range []string{"IN_SERVICE", ""} {
		for _, p := range probes {
			if p.trusted && p.status == want {
				return p
			}
		}
	}
	return nil
}

// getUser sends one authenticated GET /finesse/api/User/{id}; it returns
// the status and the start of the body (for ACCOUNT_LOCKED).
func (d *doctor) getUser(ctx context.Context, side *sideProbe, agent, pw string) (int, string, error) {
	scheme := "https"
	if d.cfg.Finesse.PlainHTTP {
		scheme = "http"
	}
	u := scheme + "://" + side.addr + d.sidePrefix(side.name) + "/finesse/api/User/" + url.PathEscape(agent)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, "", err
	}
	req.SetBasicAuth(agent, pw)
	tr := &http.Transport{Proxy: nil, DisableKeepAlives: true, TLSClientConfig: &tls.Config{
		RootCAs: d.rootPool(), InsecureSkipVerify: d.cfg.Finesse.InsecureSkipVerify, MinVersion: tls.VersionTLS12}} //nolint:gosec // as configured
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return 0, "", ue.Err // the URL adds nothing to the cause
		}
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<10))
	return resp.StatusCode, string(b), nil
}

// passwordResult maps Finesse's answer to a result.
func passwordResult(code int, body, agent, side string) checkResult {
	switch {
	case code == http.StatusOK:
		return checkResult{Status: statusOK, Detail: fmt.Sprintf("Finesse side %s accepted the stored password of agent %s", side, agent)}
	case code == http.StatusUnauthorized && strings.Contains(body, "ACCOUNT_LOCKED"):
		return checkResult{Status: statusFail, Detail: fmt.Sprintf("agent %s is locked out of Finesse (too many wrong passwords)", agent),
			Fix: "wait for the lock-out to end or ask the Finesse administrator to unlock it; do not retry meanwhile"}
	case code == http.StatusUnauthorized && strings.Contains(body, "Invalid Authorization User Specified"):
		return checkResult{Status: statusFail, Detail: fmt.Sprintf("Finesse side %s does not accept %s as this agent's login id", side, agent),
			Fix: "set finesse.agent_id (--agent) to the agent's Finesse login id"}
	case code == http.StatusUnauthorized:
		return checkResult{Status: statusFail,
			Detail: fmt.Sprintf("Finesse side %s refused the stored password of agent %s: wrong password; %s", side, agent, lockoutNote),
			Fix:    fmt.Sprintf("agentlink login --agent %s (store the right password; do not retry with the wrong one)", agent)}
	case code == http.StatusServiceUnavailable:
		return checkResult{Status: statusWarn, Detail: fmt.Sprintf("not checked: Finesse side %s is out of service (HTTP 503)", side),
			Fix: "run agentlink doctor --check-password again once Finesse is in service"}
	}
	return checkResult{Status: statusWarn, Detail: fmt.Sprintf("not checked: Finesse side %s answered HTTP %d", side, code),
		Fix: "check the finesse side checks above"}
}

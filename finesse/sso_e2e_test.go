package finesse

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
	"golang.org/x/oauth2"
)

// syncBuf is a log sink tests read while the link writes.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// ssoRig is a simulator in an SSO mode and a link set up for its IdS,
// recording the tokens it hands out and the sign-in prompts.
type ssoRig struct {
	*simEnv
	log *syncBuf

	mu      sync.Mutex
	tokens  []string // every access and refresh token given to OnTokens
	prompts []error  // OnSignInNeeded calls
	promptC chan struct{}
}

func newSSORig(t *testing.T, sso finessesim.SSOConfig, mech string) *ssoRig {
	t.Helper()
	sim := startSim(t, finessesim.Config{SSO: sso})
	r := &ssoRig{log: &syncBuf{}, promptC: make(chan struct{}, 4)}
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.Logger = newTextLogger(r.log) // debug level: everything the link logs
	cfg.SSO = SSOConfig{
		IDSURL: sim.IDSURL(), ClientID: "agentlink", XMPPMechanism: mech,
		OnTokens: func(agent string, tok *oauth2.Token) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.tokens = append(r.tokens, tok.AccessToken, tok.RefreshToken)
		},
		OnSignInNeeded: func(agent string, err error) {
			r.mu.Lock()
			r.prompts = append(r.prompts, err)
			r.mu.Unlock()
			r.promptC <- struct{}{}
		},
	}
	r.simEnv = runLink(t, sim, cfg)
	return r
}

// browserClient acts as the agent's browser: it trusts the simulator's CA
// and does not follow redirects, so each hop is checked.
func browserClient(sim *finessesim.Sim) *http.Client {
	return &http.Client{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: sim.CAPool(), MinVersion: tls.VersionTLS12}},
		Timeout:   5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

var hiddenField = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`)

// browse plays the agent in the browser: open the IdS authorize URL, fill
// in the IdP login form, follow the redirect to AgentLink's loopback.
func browse(sim *finessesim.Sim, authURL, user, pass string) error {
	c := browserClient(sim)
	resp, err := c.Get(authURL)
	if err != nil {
		return err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("authorize page: %s: %s", resp.Status, page)
	}
	form := url.Values{"username": {user}, "password": {pass}}
	for _, m := range hiddenField.FindAllStringSubmatch(string(page), -1) {
		form.Set(m[1], htmlUnescape(m[2]))
	}
	resp, err = c.PostForm(sim.IDSURL()+"/ids/v1/oauth/authorize", form)
	if err != nil {
		return err
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "http://127.0.0.1:") {
		return fmt.Errorf("login form: %s, Location %q", resp.Status, loc)
	}
	resp, err = c.Get(loc)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("loopback redirect: %s: %s", resp.Status, body)
	}
	return nil
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">").Replace(s)
}

// signIn runs the browser sign-in for 1001 and signs the agent in to the
// phone with no password.
func (r *ssoRig) signIn(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	browsed := make(chan error, 1)
	err := r.link.SignInSSO(ctx, "1001", func(u string) error {
		go func() { browsed <- browse(r.sim, u, "1001", "secret1") }()
		return nil
	})
	if err != nil {
		t.Fatalf("SignInSSO: %v", err)
	}
	if err := <-browsed; err != nil {
		t.Fatalf("browser: %v", err)
	}
	if err := r.link.Send(ctx, core.Command{Kind: core.CmdLogin, AgentID: "1001", Extension: "5001", SSO: true}); err != nil {
		t.Fatalf("login with the SSO session: %v", err)
	}
	r.sink.waitFor(t, "agent NOT_READY after SSO login", waitEvent, func(v view) bool {
		return v.Agent.State == core.StateNotReady && v.Agent.Extension == "5001"
	})
}

// noTokenInLog fails when any token IdS issued appears in the log.
func (r *ssoRig) noTokenInLog(t *testing.T) {
	t.Helper()
	r.mu.Lock()
	toks := append([]string(nil), r.tokens...)
	r.mu.Unlock()
	if len(toks) == 0 {
		t.Fatal("OnTokens never received a token")
	}
	log := r.log.String()
	for _, tok := range toks {
		if tok != "" && strings.Contains(log, tok) {
			t.Fatalf("a token appears in the log:\n%s", log)
		}
	}
}

func (r *ssoRig) waitPrompt(t *testing.T) error {
	t.Helper()
	select {
	case <-r.promptC:
	case <-time.After(waitEvent):
		t.Fatal("no re-sign-in prompt (OnSignInNeeded) within the deadline")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.prompts[0]
}

// A full SSO sign-in: browser (driven over HTTP) → IdS → loopback redirect
// → code exchange with PKCE → Bearer REST and the token on XMPP, for both
// XMPP mechanisms; no token in the log.
func TestSSOLoginEndToEnd(t *testing.T) {
	t.Parallel()
	for _, mech := range []string{"PLAIN", "X-OAUTH2"} {
		t.Run(mech, func(t *testing.T) {
			t.Parallel()
			r := newSSORig(t, finessesim.SSOConfig{AuthMode: finessesim.AuthSSO, RequirePKCE: true, XMPPMechanism: mech}, mech)
			r.signIn(t)
			waitSim(t, "agent present over XMPP", simAgentIs(r.sim, "NOT_READY"))
			r.send(t, core.Command{Kind: core.CmdReady})
			r.sink.waitFor(t, "READY", waitEvent, agentIs(core.StateReady))
			r.noTokenInLog(t)
		})
	}
}

// A password on an SSO-only Finesse says "use SSO", not "wrong password".
func TestSSOPasswordOnSSOFinesseSaysUseSSO(t *testing.T) {
	t.Parallel()
	r := newSSORig(t, finessesim.SSOConfig{AuthMode: finessesim.AuthSSO}, "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := r.link.Send(ctx, core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "secret1", Extension: "5001"})
	if !errors.Is(err, core.ErrSSORequired) {
		t.Fatalf("login with a password on an SSO Finesse: err = %v, want ErrSSORequired", err)
	}
	if mode, err := r.link.ProbeAuthMode(ctx); err != nil || mode != AuthSSO {
		t.Fatalf("ProbeAuthMode = %q, %v; want SSO", mode, err)
	}
}

// HYBRID takes both: a password for one agent, SSO for another.
func TestSSOHybridTakesBoth(t *testing.T) {
	t.Parallel()
	r := newSSORig(t, finessesim.SSOConfig{AuthMode: finessesim.AuthHybrid}, "")
	r.signIn(t)
	pw := runLink(t, r.sim, linkConfig(r.sim, DirectTLS, t))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := pw.link.Send(ctx, core.Command{Kind: core.CmdLogin, AgentID: "1002", Password: "secret2", Extension: "5002"}); err != nil {
		t.Fatalf("password login on HYBRID: %v", err)
	}
}

// The access token is refreshed (several times) during a call: the call's
// events keep arriving, XMPP never drops, commands keep working with the
// new token, and nothing signs in again.
func TestSSORefreshMidCall(t *testing.T) {
	t.Parallel()
	r := newSSORig(t, finessesim.SSOConfig{AuthMode: finessesim.AuthSSO, AccessTTL: 1200 * time.Millisecond}, "")
	r.signIn(t)
	r.send(t, core.Command{Kind: core.CmdReady})
	r.sink.waitFor(t, "READY", waitEvent, agentIs(core.StateReady))
	id, err := r.sim.InjectCall(finessesim.CallSpec{AgentID: "1001", ANI: "4085550100"})
	if err != nil {
		t.Fatal(err)
	}
	r.dialogWhere(t, "call alerting", id, func(d core.Dialog) bool { return agentPart(d).State == core.PartAlerting })
	r.send(t, core.Command{Kind: core.CmdAnswer, DialogID: id})
	r.dialogWhere(t, "call active", id, func(d core.Dialog) bool { return agentPart(d).State == core.PartActive })
	mark := len(r.sink.snapshotUpdates())

	// 75 % of 1.2 s: a refresh every 0.9 s. After three, the first token
	// has long expired, so a command that works used a refreshed one.
	waitSim(t, "three refreshes", func() bool { return finessesimRefreshes(r.sim) >= 3 })
	r.send(t, core.Command{Kind: core.CmdHold, DialogID: id})
	r.dialogWhere(t, "call held", id, func(d core.Dialog) bool { return agentPart(d).State == core.PartHeld })
	waitSim(t, "a fourth refresh", func() bool { return finessesimRefreshes(r.sim) >= 4 })
	r.send(t, core.Command{Kind: core.CmdRetrieve, DialogID: id})
	r.dialogWhere(t, "call retrieved", id, func(d core.Dialog) bool { return agentPart(d).State == core.PartActive })
	if err := r.sim.HangUp(id); err != nil {
		t.Fatal(err)
	}
	r.sink.waitFor(t, "call gone", waitEvent, func(v view) bool { _, ok := v.Dialogs[id]; return !ok })

	for _, u := range r.sink.snapshotUpdates()[mark:] {
		if u.Kind == core.UpdateSystem && (!u.System.XMPPConnected || u.System.Status != core.InService) {
			t.Fatalf("the link went down during refreshes: %+v", *u.System)
		}
		if u.Kind == core.UpdateResync {
			t.Fatalf("the link resynchronised (reconnected) during refreshes")
		}
	}
	if info, _ := r.sim.Agent("1001"); info.State == "LOGOUT" || !info.Present {
		t.Fatalf("agent after refreshes: %+v", info)
	}
	r.noTokenInLog(t)
}

// Finesse refuses an access token before its expiry (IdS expired it): the
// next command refreshes and succeeds on the retry, without a prompt.
func TestSSOExpiredAccessTokenIsRefreshed(t *testing.T) {
	t.Parallel()
	r := newSSORig(t, finessesim.SSOConfig{AuthMode: finessesim.AuthSSO}, "")
	r.signIn(t)
	before := finessesimRefreshes(r.sim)
	if n := r.sim.ExpireSSOAccess("1001"); n == 0 {
		t.Fatal("no access token to expire")
	}
	r.send(t, core.Command{Kind: core.CmdReady})
	r.sink.waitFor(t, "READY after an expired token", waitEvent, agentIs(core.StateReady))
	if got := finessesimRefreshes(r.sim); got != before+1 {
		t.Fatalf("refreshes = %d, want %d", got, before+1)
	}
	r.mu.Lock()
	prompts := len(r.prompts)
	r.mu.Unlock()
	if prompts != 0 {
		t.Fatalf("prompted to sign in again after a refreshable expiry")
	}
	r.noTokenInLog(t)
}

// Revoked tokens (or an expired refresh token): the agent is asked to sign
// in again, commands say so, a reconnect fails with the same words, and a
// new browser sign-in works.
func TestSSORevokedAsksToSignInAgain(t *testing.T) {
	t.Parallel()
	r := newSSORig(t, finessesim.SSOConfig{AuthMode: finessesim.AuthSSO}, "")
	r.signIn(t)
	r.sim.RevokeSSO("1001")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := r.link.Send(ctx, core.Command{Kind: core.CmdReady})
	if !errors.Is(err, core.ErrSignInExpired) {
		t.Fatalf("command with revoked tokens: err = %v, want ErrSignInExpired", err)
	}
	if perr := r.waitPrompt(t); !errors.Is(perr, core.ErrSignInExpired) {
		t.Fatalf("prompt error = %v", perr)
	}
	// The notification connection is cut: the reconnect cannot
	// authenticate and the agent reads why.
	r.sim.DropXMPP(finessesim.NodeA)
	r.sink.waitFor(t, "out of service saying sign in again", waitEvent, func(v view) bool {
		return v.System.Status == core.OutOfService && strings.Contains(v.System.Reason, "sign in again")
	})
	if err := r.link.Send(ctx, core.Command{Kind: core.CmdLogin, AgentID: "1001", Extension: "5001", SSO: true}); err == nil {
		t.Fatal("login without a new sign-in succeeded")
	}
	r.signIn(t) // a fresh browser sign-in brings the session back
	r.noTokenInLog(t)
}

func TestSSORefreshTokenExpiryAsksToSignInAgain(t *testing.T) {
	t.Parallel()
	r := newSSORig(t, finessesim.SSOConfig{AuthMode: finessesim.AuthSSO,
		AccessTTL: 800 * time.Millisecond, RefreshTTL: 300 * time.Millisecond}, "")
	r.signIn(t)
	if perr := r.waitPrompt(t); !errors.Is(perr, core.ErrSignInExpired) {
		t.Fatalf("prompt error = %v", perr)
	}
}

func finessesimRefreshes(sim *finessesim.Sim) int { return sim.SSORefreshes("1001") }

func (r *recSink) snapshotUpdates() []core.Update {
	v, _ := r.snapshot()
	return v.Updates
}

// After refreshes, a failover to side B connects XMPP and REST with the
// current access token (the first one has expired by then).
func TestSSOFailoverUsesCurrentToken(t *testing.T) {
	t.Parallel()
	r := newSSORig(t, finessesim.SSOConfig{AuthMode: finessesim.AuthSSO, AccessTTL: 800 * time.Millisecond}, "")
	r.signIn(t)
	waitSim(t, "two refreshes", func() bool { return finessesimRefreshes(r.sim) >= 2 })
	if err := r.sim.KillNode(finessesim.NodeA); err != nil {
		t.Fatal(err)
	}
	r.sink.waitFor(t, "in service on side B", waitEvent, func(v view) bool {
		return v.System.Status == core.InService && v.System.Node == core.NodeB && v.System.XMPPConnected
	})
	r.send(t, core.Command{Kind: core.CmdReady})
	r.sink.waitFor(t, "READY on side B", waitEvent, agentIs(core.StateReady))
	r.noTokenInLog(t)
}

// The access token expired while the notification connection was down
// (a laptop asleep): the reconnect's first request is refused, the link
// refreshes and gets in, with no prompt.
func TestSSOReconnectAfterExpiryRefreshes(t *testing.T) {
	t.Parallel()
	r := newSSORig(t, finessesim.SSOConfig{AuthMode: finessesim.AuthSSO}, "")
	r.signIn(t)
	before := finessesimRefreshes(r.sim)
	r.sim.ExpireSSOAccess("1001")
	mark := len(r.sink.snapshotUpdates())
	if err := r.sim.DropXMPP(finessesim.NodeA); err != nil {
		t.Fatal(err)
	}
	r.sink.waitFor(t, "XMPP back after a refresh", waitEvent, func(v view) bool {
		down := false
		for _, u := range v.Updates[mark:] {
			if u.Kind == core.UpdateSystem && !u.System.XMPPConnected {
				down = true
			}
		}
		return down && v.System.Status == core.InService && v.System.XMPPConnected
	})
	if got := finessesimRefreshes(r.sim); got <= before {
		t.Fatalf("refreshes = %d, want more than %d", got, before)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.prompts) != 0 {
		t.Fatalf("prompted to sign in again: %v", r.prompts)
	}
}

// Tokens that REST takes and XMPP refuses (the simulator wants X-OAUTH2,
// the link sends PLAIN): a bounded number of refreshes, then a sign-in
// error naming the setting, not a refresh loop.
func TestSSOXMPPMechanismMismatch(t *testing.T) {
	t.Parallel()
	r := newSSORig(t, finessesim.SSOConfig{AuthMode: finessesim.AuthSSO, XMPPMechanism: "X-OAUTH2"}, "PLAIN")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err := r.link.SignInSSO(ctx, "1001", func(u string) error {
		go func() { _ = browse(r.sim, u, "1001", "secret1") }()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = r.link.Send(ctx, core.Command{Kind: core.CmdLogin, AgentID: "1001", Extension: "5001", SSO: true})
	if !errors.Is(err, core.ErrSignInExpired) || !strings.Contains(err.Error(), "sso.xmpp_mechanism") {
		t.Fatalf("login with the wrong XMPP mechanism: err = %v", err)
	}
	if n := finessesimRefreshes(r.sim); n > maxAuthRetries {
		t.Fatalf("%d refreshes, want at most %d", n, maxAuthRetries)
	}
	r.noTokenInLog(t)
}

package localbridge_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/coder/websocket"

	"github.com/agentlink/agentlink/localbridge"
)

// crmPage frames the reference toolbar as the CRM hosts it (its own copy of
// toolbar and SDK, same origin as the page); the query (bridge= or ports=)
// tells it where to look for AgentLink.
const crmPage = `<!doctype html><html><body>
<iframe id="tb" src="/toolbar/?%s&agentId=1001&extension=5001&parent=%s" width="320" height="760"
 allow="loopback-network; local-network-access"></iframe>
</body></html>`

func withPairing(t *testing.T) func(*chain, *localbridge.Config) {
	return func(_ *chain, cfg *localbridge.Config) {
		cfg.RequirePairing = true
		cfg.PairingFile = filepath.Join(t.TempDir(), "pairings.json")
	}
}

func (c *chain) openHostedToolbar(t *testing.T, ctx context.Context, query string) *toolbar {
	t.Helper()
	u := fmt.Sprintf("http://localhost:%s/crm.html?%s", c.hostPt, query)
	if err := chromedp.Run(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	return c.toolbar(t, ctx)
}

func portOf(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}

// waitPairingRequest waits until AgentLink shows the agent a pairing request.
func (c *chain) waitPairingRequest(t *testing.T) localbridge.PairingRequest {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		if reqs := c.srv.PairingRequests(); len(reqs) > 0 {
			if len(reqs) != 1 {
				t.Fatalf("pairing requests = %+v, want 1", reqs)
			}
			return reqs[0]
		}
		select {
		case <-c.srv.Changes():
		case <-deadline:
			t.Fatal("AgentLink was never asked to pair")
		}
	}
}

// pair does what the agent does: reads the code in AgentLink, types it in
// the toolbar (a wrong one first), and allows the pairing in AgentLink.
func (c *chain) pair(t *testing.T, tb *toolbar) {
	t.Helper()
	tb.wait("toolbar asks for the pairing code", "#pair-code")
	req := c.waitPairingRequest(t)
	if req.Origin != "http://localhost:"+c.hostPt || len(req.Code) != 6 {
		t.Fatalf("pairing request %+v, want the CRM origin and a 6-digit code", req)
	}
	n, _ := strconv.Atoi(req.Code)
	wrong := fmt.Sprintf("%06d", (n+1)%1000000)
	tb.run("type a wrong code", chromedp.SetValue("#pair-code", wrong, chromedp.ByQuery, tb.in()),
		chromedp.Click("#pair-btn", chromedp.ByQuery, tb.in()))
	tb.wait("wrong code refused", "#pair-error")
	tb.run("type the code", chromedp.SetValue("#pair-code", req.Code, chromedp.ByQuery, tb.in()),
		chromedp.Click("#pair-btn", chromedp.ByQuery, tb.in()))
	if err := c.srv.DecidePairing(req.ID, true); err != nil {
		t.Fatalf("allow the pairing: %v", err)
	}
	tb.wait("paired and connected", "#conn-dot.open")
}

// signIn presses the toolbar's Sign in. Not with a mouse click: an earlier
// page's toolbar may still hold the screen-pop lease, and the banner that
// says so goes away as the press claims the lease, moving the button
// between mouse down and up.
func signIn(tb *toolbar) {
	tb.t.Helper()
	tb.wait("sign-in form", "#login-btn")
	tb.run("sign in", chromedp.Evaluate(`document.getElementById("tb").contentDocument.getElementById("login-btn").click()`, nil))
}

// storedKey describes the pairing key in the CRM origin's IndexedDB.
func storedKey(t *testing.T, ctx context.Context) string {
	t.Helper()
	var got string
	js := `new Promise((res) => { const r = indexedDB.open("agentlink", 1);
	  r.onupgradeneeded = () => r.result.createObjectStore("keys");
	  r.onsuccess = () => { const g = r.result.transaction("keys").objectStore("keys").get("pairing");
	    g.onsuccess = () => res(g.result ? [g.result.key.type, g.result.key.algorithm.name, "extractable=" + g.result.key.extractable].join(" ") : "none"); }; })`
	if err := chromedp.Run(ctx, chromedp.Evaluate(js, &got, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	})); err != nil {
		t.Fatalf("read IndexedDB: %v", err)
	}
	return got
}

// TestPairingInChromium: the CRM-hosted toolbar pairs on first use with the
// agent's confirmation, keeps a non-extractable key in the CRM origin, and
// proves it on every later connection without asking again.
func TestPairingInChromium(t *testing.T) {
	ctx := browser(t)
	c := startChain(t, nil, withPairing(t))
	tb := c.openHostedToolbar(t, ctx, "bridge="+c.srv.Addr())
	c.pair(t, tb)
	// The paired toolbar knows its client id: it holds the screen-pop lease.
	tb.run("lease held after pairing", chromedp.WaitNotVisible("#owner", chromedp.ByQuery, tb.in()))
	var owner bool
	tb.run("is owner", chromedp.Evaluate(`document.getElementById("tb").contentWindow.document.getElementById("owner").hidden`, &owner))
	if !owner {
		t.Error("after pairing the toolbar says another tab holds the screen-pop lease")
	}
	if got := storedKey(t, ctx); got != "secret HMAC extractable=false" {
		t.Errorf("stored pairing key: %q, want a non-extractable HMAC key", got)
	}
	signIn(tb)
	tb.wait("agent NOT_READY", "#agent-state.NOT_READY")

	// Reconnect: the proof, not a new pairing.
	c.waitClients(t, 1)
	before := c.srv.Clients()
	c.srv.DisconnectClients()
	c.waitClients(t, 1, before...)
	tb.wait("reconnected with proof", "#conn-dot.open")
	tb.wait("still signed in", "#agent-state.NOT_READY")
	// A new page load finds the key in IndexedDB.
	tb = c.openHostedToolbar(t, ctx, "bridge="+c.srv.Addr())
	tb.wait("reloaded page connected with proof", "#agent-state.NOT_READY")
	if reqs := c.srv.PairingRequests(); len(reqs) != 0 {
		t.Errorf("asked to pair again: %+v", reqs)
	}
	if got := c.srv.PairedOrigins(); len(got) != 1 {
		t.Errorf("paired origins = %v, want the CRM", got)
	}
	// The SDK never sends a plain password, not even when asked to.
	var code string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`import("/sdk/agentlink.js").then((m) =>
	    new m.AgentLink().login({agentId: "1001", extension: "5001", password: "secret1"}).then(() => "sent", (e) => e.code))`,
		&code, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) })); err != nil {
		t.Fatal(err)
	}
	if code != "password_not_accepted" {
		t.Errorf("SDK login with a password: %q, want password_not_accepted", code)
	}
}

// squatter mimics the bridge without the pairing key: it answers Hello
// like AgentLink (claiming the origin is paired, with a made-up proof) and
// ok to everything else, and records every frame it receives.
type squatter struct {
	srv    *httptest.Server
	mu     sync.Mutex
	frames []string
}

func startSquatter(t *testing.T) *squatter {
	t.Helper()
	sq := &squatter{}
	sq.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			fmt.Fprint(w, `{"ok":true,"app":"agentlink"}`)
			return
		}
		conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
		if err != nil {
			return
		}
		defer conn.CloseNow()
		for {
			_, data, err := conn.Read(r.Context())
			if err != nil {
				return
			}
			sq.mu.Lock()
			sq.frames = append(sq.frames, string(data))
			sq.mu.Unlock()
			var req struct{ ID, Cmd string }
			_ = json.Unmarshal(data, &req)
			res := map[string]any{}
			if req.Cmd == "Hello" {
				res = map[string]any{"protocol": 1, "version": "1.0.0", "clientId": "c-squat", "scopes": []string{"events", "state", "calls", "dial"},
					"pairing": map[string]any{"required": true, "paired": true, "nonce": random(), "proof": random()}}
			}
			b, _ := json.Marshal(map[string]any{"id": req.ID, "ok": true, "result": res})
			if conn.Write(r.Context(), websocket.MessageText, b) != nil {
				return
			}
		}
	}))
	t.Cleanup(sq.srv.Close)
	return sq
}

// closedPort returns a loopback port where nothing listens (now).
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := portOf(ln.Addr().String())
	_ = ln.Close()
	return p
}

func random() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

func (sq *squatter) received() []string {
	sq.mu.Lock()
	defer sq.mu.Unlock()
	return append([]string(nil), sq.frames...)
}

// checkNothingSent fails unless the squatter got only Hello and the public
// first steps of a pairing: no proof of the toolbar, no pairing
// confirmation, no sign-in, no password, no token.
func (sq *squatter) checkNothingSent(t *testing.T, token string) {
	t.Helper()
	frames := sq.received()
	if len(frames) == 0 {
		t.Fatal("the squatter was never tried")
	}
	for _, f := range frames {
		var req struct{ Cmd string }
		_ = json.Unmarshal([]byte(f), &req)
		public := req.Cmd == "Hello" || req.Cmd == "PairBegin" || req.Cmd == "PairReveal"
		if !public || strings.Contains(f, "password") || strings.Contains(f, "secret1") || strings.Contains(f, token) {
			t.Errorf("the squatter received %s", f)
		}
	}
}

// TestSquatterRefusedInChromium: a program that holds a port of the range
// and answers like the bridge, without the pairing key, is refused by the
// SDK, learns nothing, and the agent reads why; with the agent's own
// AgentLink on another port of the range, the SDK skips the squatter and
// uses the one that proves itself. The first pairing already happens with
// the squatter on the range.
func TestSquatterRefusedInChromium(t *testing.T) {
	ctx := browser(t)
	c := startChain(t, nil, withPairing(t))
	sq := startSquatter(t)
	sqAddr := sq.srv.Listener.Addr().String()
	tb := c.openHostedToolbar(t, ctx, "ports="+portOf(sqAddr)+","+portOf(c.srv.Addr()))
	c.pair(t, tb)
	sq.checkNothingSent(t, c.token)

	tb = c.openHostedToolbar(t, ctx, "ports="+portOf(sqAddr))
	tb.wait("the agent is told", "#notice.error")
	var msg string
	tb.run("read the notice", chromedp.Text("#notice", &msg, chromedp.ByQuery, tb.in()))
	if !strings.Contains(msg, "Refused to use the program at "+sqAddr) || !strings.Contains(msg, "Nothing was sent to it") {
		t.Errorf("toolbar says %q, want the plain refusal naming %s", msg, sqAddr)
	}
	var loginHidden bool
	tb.run("no sign-in offered", chromedp.Evaluate(`document.getElementById("tb").contentDocument.getElementById("login").hidden`, &loginHidden))
	if !loginHidden {
		t.Error("the toolbar offers to sign in through the squatter")
	}
	sq.checkNothingSent(t, c.token)

	// A port where nothing listens, the squatter, then the agent's
	// AgentLink: the SDK skips the first two and uses the third.
	tb = c.openHostedToolbar(t, ctx, "ports="+closedPort(t)+","+portOf(sqAddr)+","+portOf(c.srv.Addr()))
	tb.wait("connected to the real AgentLink", "#conn-dot.open")
	signIn(tb)
	tb.wait("agent NOT_READY", "#agent-state.NOT_READY")
	sq.checkNothingSent(t, c.token)
}

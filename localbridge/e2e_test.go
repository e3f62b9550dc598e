package localbridge_test

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"github.com/agentlink/agentlink/assets"
	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse"
	"github.com/agentlink/agentlink/finesse/finessesim"
	"github.com/agentlink/agentlink/localbridge"
)

// chain is the real stack: simulator -> finesse.Link -> core.Session ->
// bridge, plus a CRM host page on another loopback port.
type chain struct {
	sim    *finessesim.Sim
	sess   *core.Session
	crm    *fakeCRM // the test CRM's server side (e2e_outbox_test.go)
	srv    *localbridge.Server
	host   *httptest.Server
	hostPt string
	token  string // the bridge token, for local-program clients
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// startChain is the app as cmd/agentlink wires it (with the call outbox)
// over a simulator that keeps calls in the agent's list during wrap-up.
func startChain(t *testing.T, secureKey []byte, opts ...func(c *chain, cfg *localbridge.Config)) *chain {
	t.Helper()
	outbox, _ := withCallLog(t)
	return startChainSim(t, finessesim.Config{KeepDialogInWrapUp: true}, secureKey, append([]func(*chain, *localbridge.Config){outbox}, opts...)...)
}

// startChainSim is startChain on a simulator configured by simCfg.
func startChainSim(t *testing.T, simCfg finessesim.Config, secureKey []byte, opts ...func(c *chain, cfg *localbridge.Config)) *chain {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	simCfg.Logger = quiet()
	sim, err := finessesim.Start(ctx, simCfg)
	if err != nil {
		t.Fatalf("finessesim.Start: %v", err)
	}
	ep := func(id finessesim.NodeID) finesse.Endpoint {
		n := sim.Node(id)
		return finesse.Endpoint{Host: n.Host(), RESTPort: n.RESTPort(), XMPPPort: n.XMPPTLSPort()}
	}
	link, err := finesse.NewLink(finesse.Config{SideA: ep(finessesim.NodeA), SideB: ep(finessesim.NodeB),
		CAFile: sim.CAFile(), PingInterval: time.Second, Logger: quiet()})
	if err != nil {
		t.Fatalf("NewLink: %v", err)
	}
	c := &chain{sim: sim, crm: newFakeCRM()}
	c.host = httptest.NewServer(c.crm.handler(hostHandler()))
	_, c.hostPt, _ = net.SplitHostPort(c.host.Listener.Addr().String())
	token, _ := localbridge.GenerateToken()
	c.token = token
	cfg := localbridge.Config{Addr: "127.0.0.1:0", Token: token,
		AllowedOrigins: []string{"http://localhost:" + c.hostPt}, SecurePasswordKey: secureKey, Logger: quiet(),
		// The app's keychain: toolbars sign in without sending a password.
		PasswordLookup: func(string) (string, error) { return "secret1", nil }}
	for _, o := range opts {
		o(c, &cfg)
	}
	// An option that gave the bridge an outbox (withOutbox) gives it to the
	// session too, as cmd/agentlink wires them.
	outbox, _ := cfg.CallLog.(core.Outbox)
	sess := core.NewSession(core.Config{Port: link, Logger: quiet(), Outbox: outbox})
	c.sess = sess
	cfg.Session = sess
	c.srv, err = localbridge.New(cfg)
	if err != nil {
		t.Fatalf("localbridge.New: %v", err)
	}
	done := make(chan struct{}, 2)
	go func() { _ = link.Run(ctx, sess); done <- struct{}{} }()
	go func() { _ = c.srv.Run(ctx); done <- struct{}{} }()
	t.Cleanup(func() {
		cancel()
		<-done
		<-done
		c.host.Close()
		_ = sim.Close()
	})
	select {
	case <-c.srv.Ready():
	case <-time.After(10 * time.Second):
		t.Fatal("bridge not ready")
	}
	return c
}

// hostHandler serves the CRM host page, and a self-hosted copy of the SDK
// (what a CRM does when it cannot load it from the bridge).
func hostHandler() http.Handler {
	sdk, _ := fs.Sub(assets.Web, "sdk")
	mux := http.NewServeMux()
	mux.Handle("/sdk/", http.StripPrefix("/sdk/", http.FileServerFS(sdk)))
	// The reference toolbar hosted by the CRM itself (e2e_pair_test.go).
	toolbar, _ := fs.Sub(assets.Web, "toolbar")
	mux.Handle("/toolbar/", http.StripPrefix("/toolbar/", http.FileServerFS(toolbar)))
	mux.HandleFunc("/crm.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, crmPage, r.URL.RawQuery, "http://"+r.Host)
	})
	mux.Handle("/testdata/", http.StripPrefix("/testdata/", http.FileServer(http.Dir("testdata")))) // CRM host pages
	mux.Handle("/support/", http.FileServer(http.Dir("testdata/crm")))                              // a stand-in for Salesforce's opencti_min.js
	mux.HandleFunc("/testdata/crm/salesforce-adapter.html", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, assets.Web, "crm/salesforce/adapter.html") // the page an admin hosts in Salesforce
	})
	mux.Handle("/webresources/", http.FileServer(http.Dir("testdata/crm"))) // a stand-in for Dynamics' msdyn_ciLibrary.js
	mux.HandleFunc("/testdata/crm/dynamics-adapter.html", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, assets.Web, "crm/dynamics/adapter.html") // the web resource an admin uploads to Dynamics
	})
	mux.HandleFunc("/host.html", func(w http.ResponseWriter, r *http.Request) {
		bridge := r.URL.Query().Get("bridge")
		origin := "http://" + r.Host
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, hostPage, bridge, origin, bridge, bridge)
	})
	return mux
}

// hostPage embeds the toolbar, records its postMessages, and also tries the
// SDK directly so a refused origin shows what the SDK reports.
const hostPage = `<!doctype html><html><body>
<iframe id="tb" src="http://%s/toolbar/?parent=%s&agentId=1001&extension=5001" width="320" height="760"
 allow="loopback-network; local-network-access"></iframe>
<p id="sdk-state"></p>
<script>window.msgs = []; addEventListener("message", e => window.msgs.push(e.data));</script>
<script type="module">
import { AgentLink } from "/sdk/agentlink.js";
const al = new AgentLink({url: "ws://%s/v1/bridge", minBackoff: 300, maxBackoff: 2000, requireProof: false});
al.on("state", s => { if (s.state !== "connecting") document.getElementById("sdk-state").textContent = s.state + ": " + s.reason + ": " + s.message; });
al.start();
window.al = al; window.bridge = %q;
</script></body></html>`

func browser(t *testing.T) context.Context {
	t.Helper()
	path := "/usr/bin/chromium"
	if _, err := exec.LookPath(path); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("chromium not installed; set CI=1 to make this a failure")
		}
		t.Fatalf("chromium not installed: %v", err)
	}
	// Not t.TempDir: Chromium's helper processes may still write to the
	// profile for a moment after the browser exits, which fails its check.
	profile, err := os.MkdirTemp("", "agentlink-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Keep the cross-origin toolbar iframe in the page's process so
		// chromedp can query inside it.
		chromedp.Flag("disable-site-isolation-trials", true),
		chromedp.Flag("disable-features", "IsolateOrigins,site-per-process"),
		chromedp.WindowSize(900, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelT()
		cancelC()
		cancelA()
		_ = os.RemoveAll(profile) // best effort, see above
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// toolbar drives the toolbar inside the host page's iframe.
type toolbar struct {
	t     *testing.T
	ctx   context.Context
	frame *cdp.Node
}

func (c *chain) openHost(t *testing.T, ctx context.Context, hostName string) {
	t.Helper()
	u := fmt.Sprintf("http://%s:%s/host.html?bridge=%s", hostName, c.hostPt, c.srv.Addr())
	if err := chromedp.Run(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("navigate: %v", err)
	}
}

func (tb *toolbar) run(what string, actions ...chromedp.Action) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		var status string
		_ = chromedp.Run(tb.ctx, chromedp.Text("body", &status, chromedp.ByQuery, chromedp.FromNode(tb.frame)))
		tb.t.Fatalf("%s: %v\ntoolbar shows: %s", what, err, strings.Join(strings.Fields(status), " "))
	}
}

func (tb *toolbar) in() chromedp.QueryOption { return chromedp.FromNode(tb.frame) }

// click waits for sel to be visible and enabled, then clicks it. The
// toolbar redraws a call's card when the call changes (ringing → talking),
// so the node found may be replaced before the click lands: chromedp then
// fails before any mouse event is sent ("Could not find node with given
// id"), and the wait and click are tried again on the new node.
func (tb *toolbar) click(what, sel string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	for {
		err := chromedp.Run(ctx, chromedp.WaitVisible(sel, chromedp.ByQuery, tb.in()),
			chromedp.WaitEnabled(sel, chromedp.ByQuery, tb.in()), chromedp.Click(sel, chromedp.ByQuery, tb.in()))
		if err == nil {
			return
		}
		if ctx.Err() != nil || !staleNode(err) {
			tb.run(what, chromedp.ActionFunc(func(context.Context) error { return err }))
			return
		}
	}
}

// staleNode says whether err is chromedp acting on a node the page has
// since replaced.
func staleNode(err error) bool {
	m := err.Error()
	return strings.Contains(m, "Could not find node with given id") || strings.Contains(m, "Node is detached")
}

func (tb *toolbar) wait(what, sel string) {
	tb.t.Helper()
	tb.run(what, chromedp.WaitVisible(sel, chromedp.ByQuery, tb.in()))
}

func (tb *toolbar) gone(what, sel string) {
	tb.t.Helper()
	tb.run(what, chromedp.WaitNotPresent(sel, chromedp.ByQuery, tb.in()))
}

// signedInToolbar opens the CRM page in ctx's tab and signs agent 1001 in
// from its toolbar.
func (c *chain) signedInToolbar(t *testing.T, ctx context.Context) *toolbar {
	t.Helper()
	c.openHost(t, ctx, "localhost")
	tb := c.toolbar(t, ctx)
	tb.wait("toolbar connected", "#conn-dot.open")
	tb.click("sign in", "#login-btn")
	tb.wait("agent NOT_READY", "#agent-state.NOT_READY")
	return tb
}

func (c *chain) toolbar(t *testing.T, ctx context.Context) *toolbar {
	t.Helper()
	var frames []*cdp.Node
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Run(tctx, chromedp.Nodes("iframe#tb", &frames, chromedp.ByQuery)); err != nil {
		t.Fatalf("find toolbar iframe: %v", err)
	}
	return &toolbar{t: t, ctx: ctx, frame: frames[0]}
}

// waitClients waits until the bridge has n WebSocket clients, none of them
// in old (client ids from before a drop).
func (c *chain) waitClients(t *testing.T, n int, old ...localbridge.ClientInfo) {
	t.Helper()
	deadline := time.After(15 * time.Second)
	fresh := func() bool {
		cs := c.srv.Clients()
		for _, c := range cs {
			for _, o := range old {
				if c.ID == o.ID {
					return false
				}
			}
		}
		return len(cs) == n
	}
	for !fresh() {
		select {
		case <-c.srv.Changes():
		case <-deadline:
			t.Fatalf("bridge has %d clients, want %d", len(c.srv.Clients()), n)
		}
	}
}

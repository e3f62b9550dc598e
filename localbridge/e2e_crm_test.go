package localbridge_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/agentlink/agentlink/callstore"
	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse"
	"github.com/agentlink/agentlink/finesse/finessesim"
	"github.com/agentlink/agentlink/localbridge"
)

// crmPlan is the dial plan of the CRM tests: North America, 9 for an
// outside line, four-digit extensions.
var crmPlan = core.DialPlan{CountryCode: "1", OutsidePrefix: "9", ExtensionLengths: []int{4}}

// crmTab is one browser tab holding a CRM test host page.
type crmTab struct {
	t   *testing.T
	ctx context.Context
}

func (c *chain) openCRM(t *testing.T, ctx context.Context, page string, q url.Values) *crmTab {
	t.Helper()
	q.Set("bridge", c.srv.Addr())
	u := fmt.Sprintf("http://localhost:%s/testdata/crm/%s?%s", c.hostPt, page, q.Encode())
	if err := chromedp.Run(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("open %s: %v", page, err)
	}
	return &crmTab{t: t, ctx: ctx}
}

// eval runs js in the host page, awaiting a promise, into out (may be nil).
func (h *crmTab) eval(what, js string, out any) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, chromedp.Evaluate(js, out, awaitPromise)); err != nil {
		h.t.Fatalf("%s: %v", what, err)
	}
}

// until waits for a JS condition in the host page. It asks the page every
// 100 ms (the page's state has no event the test could wait on) until a
// deadline.
func (h *crmTab) until(what, cond string) {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var ok bool
		err := chromedp.Run(h.ctx, chromedp.Evaluate(`!!(`+cond+`)`, &ok))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			var got string
			_ = chromedp.Run(h.ctx, chromedp.Evaluate(`JSON.stringify({received: window.received, popped: window.popped, crm: window.crmCalls})`, &got))
			h.t.Fatalf("%s: not within 20s (%v)\nthe CRM got: %s", what, err, got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// phone drives agent 1001 through the host page's own SDK connection.
func (h *crmTab) phone(what, js string) {
	h.t.Helper()
	h.eval(what, `(async () => { await al.ready(); `+js+`; return true })()`, nil)
}

// wrapUp hangs up dialog id, waits for wrap-up, sets the reason and goes
// Ready: the call then ends, for logging, with its disposition.
func (h *crmTab) wrapUp(id, reason string) {
	h.t.Helper()
	h.phone("hang up", `await al.release("`+id+`")`)
	h.until("wrap-up", `al.agentState === "WORK_READY"`)
	h.phone("wrap up and Ready", `await al.setWrapUp("`+id+`", "`+reason+`"); await al.setState("READY")`)
}

// agentSession signs another simulated agent in over its own Finesse link,
// for calls that agent consults and transfers.
func agentSession(t *testing.T, c *chain, id, pw, ext string) *core.Session {
	t.Helper()
	ep := func(n finessesim.NodeID) finesse.Endpoint {
		nd := c.sim.Node(n)
		return finesse.Endpoint{Host: nd.Host(), RESTPort: nd.RESTPort(), XMPPPort: nd.XMPPTLSPort()}
	}
	link, err := finesse.NewLink(finesse.Config{SideA: ep(finessesim.NodeA), SideB: ep(finessesim.NodeB),
		CAFile: c.sim.CAFile(), PingInterval: time.Second, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	sess := core.NewSession(core.Config{Port: link, Logger: quiet()})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = link.Run(ctx, sess); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	run(t, sess, core.Command{Kind: core.CmdLogin, AgentID: id, Password: pw, Extension: ext})
	run(t, sess, core.Command{Kind: core.CmdReady})
	return sess
}

func run(t *testing.T, sess *core.Session, cmd core.Command) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var err error
	for range 50 { // the link needs a moment to connect after Run starts
		if err = sess.Execute(ctx, cmd); err == nil || ctx.Err() != nil {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
	if err != nil {
		t.Fatalf("%v: %v", cmd.Kind, err)
	}
}

func inject(t *testing.T, c *chain, agent, ani string, vars ...finessesim.Var) string {
	t.Helper()
	id, err := c.sim.InjectCall(finessesim.CallSpec{AgentID: agent, ANI: ani, DNIS: "8000", Variables: vars})
	if err != nil {
		t.Fatalf("InjectCall: %v", err)
	}
	return id
}

func crmScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("AGENTLINK_ARTIFACTS")
	if dir == "" {
		return
	}
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 90)); err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	if err := os.MkdirAll(dir, 0o755); err == nil {
		_ = os.WriteFile(filepath.Join(dir, name), png, 0o644)
	}
}

func withDialPlan(_ *chain, cfg *localbridge.Config) { cfg.DialPlan = crmPlan }

// lostSaveAnswer runs the window the CRM driver's findLog closes, in a CRM
// stand-in whose adapter page is a frame: the stand-in saves the next call
// log but never answers (lose; as when the page dies between the CRM's
// save and its answer), so the call stays in AgentLink's outbox; the
// adapter frame reloads (reloadAdapter()) and is offered the call again;
// it must find the saved record and acknowledge it without a second save.
// saves(id) counts the stand-in's saved logs of call id; asked(id) tells
// whether the driver asked the CRM for the call's log.
func lostSaveAnswer(t *testing.T, c *chain, tab *crmTab, store *callstore.Store, lose func(), saves func(id string) int, asked func(id string) bool) {
	t.Helper()
	tab.phone("sign in and Ready", `await al.login({agentId: "1001", extension: "5001"}); await al.setState("READY")`)
	lose()
	id := inject(t, c, "1001", "(415) 555-0001")
	tab.until("the call rings", `al.lastDialogs.some(d => d.id === "`+id+`")`)
	tab.phone("answer", `await al.answer("`+id+`")`)
	tab.wrapUp(id, "Sale")
	deadline := time.Now().Add(20 * time.Second)
	for saves(id) != 1 { // the stand-in has no event to wait on: ask every 100 ms
		if time.Now().After(deadline) {
			t.Fatalf("the CRM did not save call %s within 20s", id)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n := len(store.Unlogged()); n != 1 {
		t.Fatalf("%d calls wait in the outbox, want 1 (its save's answer was lost)", n)
	}
	tab.eval("reload the adapter", `reloadAdapter()`, nil)
	waitOutboxEmpty(t, c, store)
	if n := saves(id); n != 1 {
		t.Errorf("the CRM saved call %s %d times, want once", id, n)
	}
	if !asked(id) {
		t.Errorf("the reloaded adapter did not ask the CRM for call %s's log", id)
	}
}

// jsCount and jsTrue read a stand-in page's records for lostSaveAnswer.
func (h *crmTab) jsCount(js func(id string) string) func(string) int {
	return func(id string) (n int) { h.eval("count", js(id), &n); return n }
}

func (h *crmTab) jsTrue(js func(id string) string) func(string) bool {
	return func(id string) (ok bool) { h.eval("check", `!!(`+js(id)+`)`, &ok); return ok }
}

// loseJS makes the stand-in page lose the answer to its next save.
func (h *crmTab) loseJS() {
	h.eval("lose the next save's answer", `window.loseNextSaveAnswer = true`, nil)
}

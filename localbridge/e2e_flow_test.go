package localbridge_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestToolbarEndToEnd drives the reference toolbar in real headless
// Chromium, embedded in a CRM page on an allowed origin, against the real
// chain (simulator -> finesse.Link -> core.Session -> bridge).
func TestToolbarEndToEnd(t *testing.T) {
	ctx := browser(t)
	c := startChain(t, nil)
	tb := c.signedInToolbar(t, ctx)
	tb.click("ready", "#ready-btn")
	tb.wait("agent READY", "#agent-state.READY")

	id, err := c.sim.InjectCall(finessesim.CallSpec{AgentID: "1001", ANI: "5550123", DNIS: "8000",
		Variables: []finessesim.Var{{Name: "callVariable1", Value: "account-42"}}})
	if err != nil {
		t.Fatalf("InjectCall: %v", err)
	}
	tb.click("answer", `button[data-action="ANSWER"]`)
	tb.click("hold", `button[data-action="HOLD"]`)
	tb.click("retrieve", `button[data-action="RETRIEVE"]`)
	tb.wait("call active again", `button[data-action="HOLD"]`)
	screenshot(t, ctx, tb)
	checkScreenPop(t, ctx)

	// Drop every WebSocket: the toolbar reconnects, resumes and keeps the call.
	// Two clients: the toolbar and the host page's own SDK connection.
	c.waitClients(t, 2)
	before := c.srv.Clients()
	if n := c.srv.DisconnectClients(); n != 2 {
		t.Errorf("DisconnectClients() = %d, want 2", n)
	}
	c.waitClients(t, 2, before...)
	tb.wait("toolbar reconnected", "#conn-dot.open")
	tb.wait("call survived the drop", `button[data-action="HOLD"]`)

	// Consult an external number, then transfer the caller to it.
	tb.run("consult number", chromedp.SendKeys(".call-target", "5559999", chromedp.ByQuery, tb.in()))
	tb.click("consult", `button[data-action="CONSULT_CALL"]`)
	tb.wait("original held", `.card button[data-action="RETRIEVE"]`)
	tb.wait("consult answered", `.card + .card button[data-action="HOLD"]`)
	tb.wait("transfer offered on the held call", `button[data-action="TRANSFER"]`)
	tb.click("transfer", `button[data-action="TRANSFER"]`)
	// The transferred call stays in wrap-up (KeepDialogInWrapUp); the agent
	// picks a wrap-up reason, then goes Ready, which ends it.
	tb.wait("agent in wrap-up", "#agent-state.WORK_READY")
	tb.run("pick a wrap-up reason", chromedp.SetValue("#wrapup-reason", "5", chromedp.ByQuery, tb.in()))
	tb.click("set wrap-up", "#wrapup-btn")
	wantWrapUp(t, c, id)
	tb.click("ready after wrap-up", "#ready-btn")
	tb.wait("agent READY", "#agent-state.READY")
	tb.gone("call card gone", ".card")

	// Click-to-dial from the host page through postMessage.
	dial := `document.getElementById("tb").contentWindow.postMessage({type: "agentlink:dial", number: "5559876"}, "http://" + window.bridge)`
	tb.run("click-to-dial", chromedp.Evaluate(dial, nil))
	tb.click("end the dialled call", `button[data-action="DROP"]`)
	tb.gone("dialled call ended", ".card")
}

func wantWrapUp(t *testing.T, c *chain, id string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		for _, d := range c.sim.Dialogs() {
			if d.ID == id && d.WrapUpReason != "" {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("dialog %s has no wrap-up reason: %+v", id, c.sim.Dialogs())
		}
		select {
		case <-c.srv.Changes():
		case <-time.After(100 * time.Millisecond): // polled: the simulator model has no change channel to wait on
		}
	}
}

// checkScreenPop checks the host page got the screen-pop postMessage.
func checkScreenPop(t *testing.T, ctx context.Context) {
	t.Helper()
	var types []string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`window.msgs.map(m => m.type)`, &types)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(types, " "), "agentlink:screenpop") {
		t.Errorf("host page messages %v, want an agentlink:screenpop", types)
	}
}

func screenshot(t *testing.T, ctx context.Context, tb *toolbar) {
	t.Helper()
	var png []byte
	if err := chromedp.Run(ctx, chromedp.Screenshot("iframe#tb", &png, chromedp.ByQuery)); err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	// Kept as a test artefact when the run asks for them; never outside it.
	dir := os.Getenv("AGENTLINK_ARTIFACTS")
	if dir == "" {
		return
	}
	p := filepath.Join(dir, "toolbar.png")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("artefact %s not kept: %v", p, err)
		return
	}
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Logf("artefact %s not kept: %v", p, err)
	}
}

// TestRefusedOriginEndToEnd: the same page served from an origin that is
// not allowed cannot frame the toolbar nor connect, and the SDK says why.
func TestRefusedOriginEndToEnd(t *testing.T) {
	ctx := browser(t)
	c := startChain(t, nil)
	c.openHost(t, ctx, "127.0.0.1") // http://127.0.0.1:PORT is not http://localhost:PORT
	var msg string
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	err := chromedp.Run(tctx,
		chromedp.Poll(`document.getElementById("sdk-state").textContent`, &msg, chromedp.WithPollingTimeout(20*time.Second)),
	)
	if err != nil {
		t.Fatalf("waiting for the SDK's verdict: %v", err)
	}
	if !strings.Contains(msg, "blocked: origin-not-allowed") || !strings.Contains(msg, "refused this site") {
		t.Errorf("SDK state %q, want blocked: origin-not-allowed with an explanation", msg)
	}
	var got []string
	for _, o := range c.srv.RefusedOrigins() {
		got = append(got, o.Origin)
	}
	if want := "http://127.0.0.1:" + c.hostPt; !strings.Contains(strings.Join(got, " "), want) {
		t.Errorf("RefusedOrigins() = %v, want %s offered to the agent", got, want)
	}
	if n := len(c.srv.Clients()); n != 0 {
		t.Errorf("bridge has %d clients from a refused page, want 0", n)
	}
	var framed []any
	if err := chromedp.Run(ctx, chromedp.Evaluate(`window.msgs`, &framed)); err != nil {
		t.Fatal(err)
	}
	if len(framed) != 0 {
		t.Errorf("the toolbar ran inside a refused origin (messages %v); frame-ancestors should block it", framed)
	}
}

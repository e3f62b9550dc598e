package localbridge_test

import (
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"github.com/agentlink/agentlink/finesse/finessesim"
	"github.com/agentlink/agentlink/localbridge"
)

// TestToolbarUnderScopes embeds the toolbar in a CRM page whose origin may
// only sign in and set state (bridge.origin_scopes). The toolbar offers no
// dialling and no call buttons, and a click-to-dial from the page is
// refused with forbidden_scope and says so, in real Chromium.
func TestToolbarUnderScopes(t *testing.T) {
	ctx := browser(t)
	c := startChain(t, nil, func(c *chain, cfg *localbridge.Config) {
		cfg.OriginScopes = map[string][]localbridge.Scope{"http://localhost:" + c.hostPt: {localbridge.ScopeState}}
	})
	tb := c.signedInToolbar(t, ctx)
	tb.click("ready (state is allowed)", "#ready-btn")
	tb.wait("agent READY", "#agent-state.READY")
	if _, err := c.sim.InjectCall(finessesim.CallSpec{AgentID: "1001", ANI: "5550123", DNIS: "8000"}); err != nil {
		t.Fatal(err)
	}
	tb.wait("the call shows", ".card")
	var buttons []*cdp.Node
	var hidden string
	var dialHidden bool
	tb.run("read the toolbar",
		chromedp.Nodes(".card .actions button", &buttons, chromedp.ByQueryAll, tb.in(), chromedp.AtLeast(0)),
		chromedp.AttributeValue("#dial", "hidden", &hidden, &dialHidden, chromedp.ByQuery, tb.in()))
	if !dialHidden || len(buttons) > 0 {
		t.Errorf("dial section hidden = %v, %d call buttons shown; want no dialling and no call buttons", dialHidden, len(buttons))
	}
	dial := `document.getElementById("tb").contentWindow.postMessage({type: "agentlink:dial", number: "5559876"}, "http://" + window.bridge)`
	tb.run("click-to-dial from the page", chromedp.Evaluate(dial, nil))
	tb.wait("refusal shown", "#notice.error")
	var notice string
	tb.run("read the notice", chromedp.Text("#notice", &notice, chromedp.ByQuery, tb.in()))
	// The agent reads what to do; the code and the scope it lacks are in
	// the console, the audit trail and the Connector Monitor.
	if want := "Call failed: This page is not allowed to do that. Ask your CRM administrator."; notice != want {
		t.Errorf("notice %q, want the forbidden_scope refusal in agent words: %q", notice, want)
	}
}

package localbridge_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestToolbarSpeaksAgentWords: the reference toolbar names states, the Not
// Ready reason, the call's part and its direction as the softphone does,
// never Finesse's raw codes (NOT_READY, PREROUTE_ACD_IN, ALERTING).
func TestToolbarSpeaksAgentWords(t *testing.T) {
	ctx := browser(t)
	c := startChain(t, nil)
	tb := c.signedInToolbar(t, ctx)
	tb.click("ready", "#ready-btn")
	tb.wait("agent READY", "#agent-state.READY")
	tb.wait("Ready not offered while Ready", "#ready-btn:disabled")
	tb.click("not ready with the listed reason", "#notready-btn")
	tb.wait("Ready offered again", "#ready-btn:enabled")
	tb.wait("agent NOT_READY", "#agent-state.NOT_READY")
	var state, reason, picked string
	tb.run("read the state",
		chromedp.Text("#agent-state", &state, chromedp.ByQuery, tb.in()),
		chromedp.Text("#agent-reason", &reason, chromedp.ByQuery, tb.in()),
		chromedp.TextContent("#notready-reason option:checked", &picked, chromedp.ByQuery, tb.in()))
	if state != "Not Ready" || reason != picked {
		t.Errorf("toolbar shows %q, reason %q; want \"Not Ready\" and the reason picked, %q", state, reason, picked)
	}
	tb.click("ready", "#ready-btn")
	tb.wait("agent READY", "#agent-state.READY")
	if _, err := c.sim.InjectCall(finessesim.CallSpec{AgentID: "1001", ANI: "5550123", DNIS: "8000", CallType: "PREROUTE_ACD_IN"}); err != nil {
		t.Fatal(err)
	}
	tb.wait("the call shows", ".card")
	var callState, meta string
	tb.run("read the card",
		chromedp.Text(".card .call-state", &callState, chromedp.ByQuery, tb.in()),
		chromedp.Text(".card .call-meta", &meta, chromedp.ByQuery, tb.in()))
	if callState != "Ringing" || !strings.HasPrefix(meta, "Inbound") || strings.Contains(meta, "_") {
		t.Errorf("card says %q, %q; want \"Ringing\" and an Inbound call in words", callState, meta)
	}
}

// TestToolbarDialAnswersHostAndPopsCustomer: click-to-dial from the CRM page
// gets an answer (a failure in agent words, then success); the outbound call's
// screen pop names the number dialled and the direction; the audit trail
// names the CRM page that embeds the toolbar.
func TestToolbarDialAnswersHostAndPopsCustomer(t *testing.T) {
	ctx := browser(t)
	c := startChain(t, nil)
	tb := c.signedInToolbar(t, ctx)
	dialJS := func(n string) string {
		return `document.getElementById("tb").contentWindow.postMessage({type: "agentlink:dial", number: ` + quoteJS(n) + `}, "http://" + window.bridge)`
	}
	tb.run("click-to-dial with no number", chromedp.Evaluate(dialJS(" "), nil))
	waitMsgs(t, ctx, "a failed dial answer", `m.type === "agentlink:dialresult" && !m.ok && m.code === "bad_request" && m.message === "Enter a number to call."`, 1)

	tb.run("click-to-dial", chromedp.Evaluate(dialJS("5559876"), nil))
	waitMsgs(t, ctx, "a dial answer", `m.type === "agentlink:dialresult" && m.ok && m.number === "5559876"`, 1)
	waitMsgs(t, ctx, "the outbound screen pop", `m.type === "agentlink:screenpop" && m.number === "5559876" && m.direction === "outbound"`, 1)

	crm := "http://localhost:" + c.hostPt
	for _, e := range fetchAuditAt(t, ctx, c) {
		if e.Command == "MakeCall" && e.EmbeddedBy != crm {
			t.Errorf("audit entry %+v names embeddedBy %q, want the CRM %q", e, e.EmbeddedBy, crm)
		}
	}
}

type auditRow struct {
	Command    string `json:"command"`
	Origin     string `json:"origin"`
	EmbeddedBy string `json:"embeddedBy"`
}

// fetchAuditAt reads the bridge's audit export with its token.
func fetchAuditAt(t *testing.T, ctx context.Context, c *chain) []auditRow {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+c.srv.Addr()+"/monitor/api/audit", nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rows []auditRow
	if err := json.NewDecoder(resp.Body).Decode(&rows); err != nil {
		t.Fatalf("audit export (%s): %v", resp.Status, err)
	}
	var calls int
	for _, r := range rows {
		if r.Command == "MakeCall" {
			calls++
		}
	}
	if calls < 1 {
		t.Fatalf("audit trail %+v, want the MakeCall", rows)
	}
	return rows
}

// TestToolbarLeavesWhenHidden: when the agent navigates the CRM page away
// (the browser may keep it hidden in its back/forward cache), its toolbar
// leaves the bridge, so a hidden page holds no screen-pop lease.
func TestToolbarLeavesWhenHidden(t *testing.T) {
	ctx := browser(t)
	c := startChain(t, nil)
	c.signedInToolbar(t, ctx)
	c.waitClients(t, 2) // the toolbar and the host page's own SDK
	away := "http://localhost:" + c.hostPt + "/host.html?bridge=127.0.0.1:1&away=1"
	if err := chromedp.Run(ctx, chromedp.Navigate(away)); err != nil {
		t.Fatal(err)
	}
	waitNoToolbar(t, c)
}

// waitNoToolbar waits until no bridge client speaks for agent 1001 or holds
// the screen-pop lease (the host page's own SDK does neither).
func waitNoToolbar(t *testing.T, c *chain) {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		left := false
		for _, ci := range c.srv.Clients() {
			left = left || ci.Agent == "1001" || ci.Owner
		}
		if !left {
			return
		}
		select {
		case <-c.srv.Changes():
		case <-deadline:
			t.Fatalf("a hidden page still holds the toolbar's connection: %+v", c.srv.Clients())
		}
	}
}

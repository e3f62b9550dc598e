package localbridge_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// pickAndSave picks the wrap-up reason with id value (the simulator's
// "5" Billing question, "6" Sales inquiry) and saves it.
func pickAndSave(tb *toolbar, value, label string) {
	tb.t.Helper()
	tb.wait("wrap-up picker", "#wrapup-reason")
	tb.run("pick "+label, chromedp.SetValue("#wrapup-reason", value, chromedp.ByQuery, tb.in()))
	tb.click("save "+label, "#wrapup-btn")
	tb.run("saved "+label, chromedp.Poll(`document.getElementById("wrapup-saved").textContent === "Saved: `+label+`"`, nil, chromedp.WithPollingInFrame(tb.frame)))
}

func (tb *toolbar) value(sel string) string {
	tb.t.Helper()
	var v string
	tb.run("read "+sel, chromedp.Value(sel, &v, chromedp.ByQuery, tb.in()))
	return v
}

// TestToolbarWrapUpDialogDeleted is the demo's default: the simulator
// DELETEs the call at its end while the agent stays in wrap-up (UCCX WORK
// here). The reason picked during the call reaches Finesse and the CRM's
// callended; the next call starts with nothing picked; a reason saved in
// wrap-up reaches the CRM as agentlink:wrapup. Also: errors in agent words,
// and tones sent with Enter report success.
func TestToolbarWrapUpDialogDeleted(t *testing.T) {
	ctx := browser(t)
	c := startChainSim(t, finessesim.Config{Deployment: finessesim.UCCX}, nil)
	tb := c.signedInToolbar(t, ctx)
	tb.click("ready", "#ready-btn")
	tb.wait("agent READY", "#agent-state.READY")

	// UCCX refuses MAKE_CALL from Ready: the toolbar says what to do.
	tb.run("dial number", chromedp.SendKeys("#dial-number", "5559876", chromedp.ByQuery, tb.in()))
	tb.click("call while Ready", "#call-btn")
	tb.run("agent words", chromedp.Poll(`document.getElementById("notice").textContent === "Go Not Ready to place a call."`, nil, chromedp.WithPollingInFrame(tb.frame)))

	// Call 1: the reason is picked during the call.
	id1, err := c.sim.InjectCall(finessesim.CallSpec{AgentID: "1001", ANI: "5550123"})
	if err != nil {
		t.Fatal(err)
	}
	tb.click("answer call 1", `button[data-action="ANSWER"]`)
	tb.wait("call 1 active", `button[data-action="HOLD"]`)
	// Tones: Enter sends, and success is reported although Finesse
	// publishes nothing for DTMF.
	tb.run("type tones", chromedp.SendKeys(".call-digits", "12#\r", chromedp.ByQuery, tb.in()))
	tb.run("tones sent", chromedp.Poll(`document.getElementById("notice").textContent === "Tones sent: 12#"`, nil, chromedp.WithPollingInFrame(tb.frame)))
	pickAndSave(tb, "6", "Sales inquiry")
	if err := c.sim.HangUp(id1); err != nil {
		t.Fatal(err)
	}
	waitMsgs(t, ctx, "callended of call 1 with its reason",
		`m.type === "agentlink:callended" && m.summary.id === `+quoteJS(id1)+` && m.summary.wrapUpReason === "Sales inquiry"`, 1)
	tb.wait("agent in wrap-up", "#agent-state.WORK")
	tb.click("ready after call 1", "#ready-btn")
	tb.wait("agent READY", "#agent-state.READY")

	// Call 2: nothing carried over; the reason is saved in wrap-up, after
	// Finesse removed the call.
	id2, err := c.sim.InjectCall(finessesim.CallSpec{AgentID: "1001", ANI: "5550124"})
	if err != nil {
		t.Fatal(err)
	}
	tb.click("answer call 2", `button[data-action="ANSWER"]`)
	tb.wait("call 2 active", `button[data-action="HOLD"]`)
	tb.wait("picker for call 2", "#wrapup-reason")
	if v := tb.value("#wrapup-reason"); v != "" {
		t.Errorf("call 2 starts with reason %q picked; the previous call's must not carry over", v)
	}
	tb.run("no saved note", chromedp.WaitNotVisible("#wrapup-saved", chromedp.ByQuery, tb.in()))
	if err := c.sim.HangUp(id2); err != nil {
		t.Fatal(err)
	}
	tb.wait("agent in wrap-up", "#agent-state.WORK")
	tb.gone("call 2 card gone", ".card")
	pickAndSave(tb, "5", "Billing question")
	waitMsgs(t, ctx, "wrapup message for call 2",
		`m.type === "agentlink:wrapup" && m.summary.id === `+quoteJS(id2)+` && m.summary.wrapUpReason === "Billing question"`, 1)
	var notice string
	tb.run("read notice", chromedp.Text("#notice", &notice, chromedp.ByQuery, tb.in()))
	if strings.Contains(notice, "ended") {
		t.Errorf("notice after saving in wrap-up = %q", notice)
	}
}

// TestToolbarWrapUpDialogKept: where Finesse keeps the call during wrap-up,
// the reason saved in wrap-up reaches Finesse and the CRM's callended, which
// comes when wrap-up ends.
func TestToolbarWrapUpDialogKept(t *testing.T) {
	ctx := browser(t)
	c := startChain(t, nil)
	tb := c.signedInToolbar(t, ctx)
	tb.click("ready", "#ready-btn")
	tb.wait("agent READY", "#agent-state.READY")
	id, err := c.sim.InjectCall(finessesim.CallSpec{AgentID: "1001", ANI: "5550123"})
	if err != nil {
		t.Fatal(err)
	}
	tb.click("answer", `button[data-action="ANSWER"]`)
	tb.click("end", `button[data-action="DROP"]`)
	tb.wait("agent in wrap-up", "#agent-state.WORK_READY")
	pickAndSave(tb, "5", "Billing question")
	wantWrapUp(t, c, id)
	tb.click("ready", "#ready-btn")
	waitMsgs(t, ctx, "callended with the reason",
		`m.type === "agentlink:callended" && m.summary.id === `+quoteJS(id)+` && m.summary.wrapUpReason === "Billing question"`, 1)
}

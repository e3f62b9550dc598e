package localbridge_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDemoCRM runs the demo CRM page (/crm/demo/, what `make demo` shows)
// in Chromium against the simulator: it is the adapter core's own screen
// pop — one contact opens, two offer a choice that opens the one picked,
// none offers a new contact with the number — plus click-to-dial of a
// formatted number and one log row per call.
func TestDemoCRM(t *testing.T) {
	ctx := browser(t)
	c := startChain(t, nil, withDialPlan)
	if err := chromedp.Run(ctx, chromedp.Navigate("http://"+c.srv.Addr()+"/crm/demo/?agentId=1001")); err != nil {
		t.Fatal(err)
	}
	page := &crmTab{t: t, ctx: ctx}
	page.until("the toolbar loads", `document.getElementById("tb").contentDocument?.getElementById("conn-dot")`)
	tb := c.toolbar(t, ctx)
	tb.wait("toolbar connected", "#conn-dot.open")
	tb.run("type extension", chromedp.SendKeys("#login-extension", "5001", chromedp.ByQuery, tb.in()))
	tb.click("sign in", "#login-btn")
	tb.click("ready", "#ready-btn")
	tb.wait("agent READY", "#agent-state.READY")

	one := inject(t, c, "1001", "+14155550123")
	page.until("one match opens the contact", `crmCalls.some(o => o.op === "open" && o.id === "C-1042" && o.call === "`+one+`")`)
	endCall(tb, "demo")
	page.until("the call is logged", `crmCalls.some(o => o.op === "log" && o.id === "`+one+`" && o.number === "+14155550123")`)

	two := inject(t, c, "1001", "030 901820") // not E.164: the plan is North American, so no match
	page.until("an unknown number offers a new contact", `crmCalls.some(o => o.op === "new" && o.call === "`+two+`" && o.phone === "030901820")`)
	if err := c.sim.HangUp(two); err != nil {
		t.Fatal(err)
	}
	page.until("the missed call is logged", `crmCalls.some(o => o.op === "log" && o.id === "`+two+`")`)
	page.eval("Ready", `true`, nil)
	// The simulator puts the agent back to Ready after a call that rang
	// out, so Ready is not offered here.
	tb.wait("agent READY again", "#agent-state.READY")

	many := inject(t, c, "1001", "+49 30 901820")
	page.until("two matches offer a choice", `crmCalls.some(o => o.op === "pick" && o.ids.join() === "C-3307,C-3308")`)
	page.eval("pick Jonas", `document.querySelector('#choices button[data-id="C-3308"]').click(); true`, nil)
	page.until("the picked contact opens", `crmCalls.some(o => o.op === "open" && o.id === "C-3308" && o.call === "`+many+`")`)
	endCall(tb, "demo")
	crmScreenshot(t, ctx, "crm-demo.png")

	page.eval("click to dial", `[...document.querySelectorAll("a.dial")].find(a => a.textContent === "+1 (212) 555-0199").click(); true`, nil)
	tb.wait("the outbound call shows", `.card`)
	var to string
	page.eval("the toolbar's dial field", `document.getElementById("tb").contentDocument.getElementById("dial-number").value`, &to)
	if to != "+12125550199" {
		t.Errorf("click-to-dial of +1 (212) 555-0199 put %q in the dial field, want +12125550199", to)
	}
	tb.click("end the outbound call", `button[data-action="DROP"]`)
	page.until("four calls logged", `crmCalls.filter(o => o.op === "log").length === 4`)
	var ids int
	page.eval("distinct logs", `new Set(crmCalls.filter(o => o.op === "log").map(o => o.id)).size`, &ids)
	if ids != 4 {
		t.Errorf("%d distinct calls logged, want 4 (each once)", ids)
	}
}

// TestDemoCRMFindsLostSave: the demo CRM saves a call but its answer never
// reaches the adapter (the page dies in between); after the reload the
// call, offered again, is found in the CRM (findLog) and acknowledged
// without a second save.
func TestDemoCRMFindsLostSave(t *testing.T) {
	ctx := browser(t)
	opt, store := withCallLog(t)
	c := startChain(t, nil, withDialPlan, opt)
	if err := chromedp.Run(ctx, chromedp.Navigate("http://"+c.srv.Addr()+"/crm/demo/?agentId=1001")); err != nil {
		t.Fatal(err)
	}
	page := &crmTab{t: t, ctx: ctx}
	page.until("the toolbar loads", `document.getElementById("tb").contentDocument?.getElementById("conn-dot")`)
	tb := c.toolbar(t, ctx)
	tb.wait("toolbar connected", "#conn-dot.open")
	tb.run("type extension", chromedp.SendKeys("#login-extension", "5001", chromedp.ByQuery, tb.in()))
	tb.click("sign in", "#login-btn")
	tb.click("ready", "#ready-btn")
	tb.wait("agent READY", "#agent-state.READY")
	page.eval("lose the next save's answer", `window.loseNextSaveAnswer = true`, nil)

	id := inject(t, c, "1001", "+14155550123")
	endCall(tb, "demo")
	page.until("the CRM saved the call", `crmCalls.some(o => o.op === "log" && o.id === "`+id+`")`)
	if n := len(store.Unlogged()); n != 1 {
		t.Fatalf("%d calls wait in the outbox, want 1 (its save's answer was lost)", n)
	}
	reload(t, page)
	page.until("the reloaded page finds the saved call", `crmCalls.some(o => o.op === "find" && o.ref === "`+id+`" && o.found === "LOG-`+id+`")`)
	waitOutboxEmpty(t, c, store)
	var saved int
	page.eval("the CRM's logs of the call", `JSON.parse(localStorage.getItem("agentlink.demo.logs")).filter(r => r.ref === "`+id+`").length`, &saved)
	if saved != 1 {
		t.Errorf("the CRM holds %d logs of call %s, want 1", saved, id)
	}
}

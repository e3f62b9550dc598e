package localbridge_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/localbridge"
)

// TestSalesforceAdapter runs the Open CTI adapter page (what an admin hosts
// in Salesforce) inside a stand-in for Lightning (testdata/crm/
// salesforce-host.html, with a stand-in opencti_min.js), in two tabs of real
// Chromium, against the simulator: searchAndScreenPop finds one record (it
// pops), two (a pick list; the one picked pops) or none (a new Contact with
// the E.164 number); the softphone opens on ring; click-to-dial dials the
// normalised number; and each call is saved once as a Task with its
// disposition, linked to the popped record, from the tab with the lease only.
// softphone is the adapter page in the Lightning stand-in's softphone frame.
func softphone(t *testing.T, ctx context.Context) *toolbar {
	t.Helper()
	var frames []*cdp.Node
	if err := chromedp.Run(ctx, chromedp.Nodes("iframe#softphone", &frames, chromedp.ByQuery)); err != nil {
		t.Fatalf("find the softphone frame: %v", err)
	}
	return &toolbar{t: t, ctx: ctx, frame: frames[0]}
}

func TestSalesforceAdapter(t *testing.T) {
	ctx := browser(t)
	var adapterOrigin string
	c := startChain(t, nil, withDialPlan, func(c *chain, cfg *localbridge.Config) {
		adapterOrigin = "http://127.0.0.1:" + c.hostPt // Salesforce serves the adapter from its own domain
		cfg.AllowedOrigins = append(cfg.AllowedOrigins, adapterOrigin)
	})
	q := url.Values{"adapter": {adapterOrigin}}
	tab := c.openCRM(t, ctx, "salesforce-host.html", q)
	tab.until("click-to-dial enabled", `crmCalls.some(c => c.method === "enableClickToDial")`)
	c.waitClients(t, 2)
	ctx2, cancel := chromedp.NewContext(ctx)
	defer cancel()
	tab2 := c.openCRM(t, ctx2, "salesforce-host.html", q)
	tab2.until("tab 2 enables click-to-dial", `crmCalls.some(c => c.method === "enableClickToDial")`)
	c.waitClients(t, 4)
	tab.phone("sign in and Ready", `await al.login({agentId: "1001", extension: "5001"}); await al.setState("READY")`)

	one := inject(t, c, "1001", "(415) 555-0001")
	tab.until("the softphone opens on ring", `crmCalls.some(c => c.method === "setSoftphonePanelVisibility" && c.args.visible)`)
	tab.until("one match pops the contact", `crmCalls.some(c => c.method === "searchAndScreenPop" && c.args.searchParams === "+14155550001" && c.args.deferred) &&
		crmCalls.some(c => c.method === "screenPop" && c.args.type === "sobject" && c.args.params.recordId === "003A1")`)
	tab.phone("answer", `await al.answer("`+one+`")`)
	tab.wrapUp(one, "Sale")
	tab.until("a Task with the disposition, on the contact", `crmCalls.some(c => c.method === "saveLog" && c.args.value.entityApiName === "Task" &&
		c.args.value.CallObject === "`+one+`" && c.args.value.CallDisposition === "Sale" && c.args.value.WhoId === "003A1" && c.args.value.CallType === "Inbound")`)

	many := inject(t, c, "1001", "415.555.0002")
	sp := softphone(t, ctx)
	sp.wait("two matches: a pick list", `#choices button[data-id="003B1"]`)
	sp.click("pick the account", `#choices button[data-id="001B2"]`)
	tab.until("the picked record pops", `crmCalls.some(c => c.method === "screenPop" && c.args.params.recordId === "001B2")`)
	if err := c.sim.HangUp(many); err != nil {
		t.Fatal(err)
	}
	tab.until("the missed call is logged on the account", `crmCalls.some(c => c.method === "saveLog" && c.args.value.CallObject === "`+many+`" && c.args.value.WhatId === "001B2")`)
	tab.phone("Ready", `await al.setState("READY")`)

	none := inject(t, c, "1001", "415 555 9999")
	tab.until("no match: a new Contact with the number", `crmCalls.some(c => c.method === "screenPop" && c.args.type === "newRecord" && c.args.params.defaultFieldValues.Phone === "+14155559999")`)
	if err := c.sim.HangUp(none); err != nil {
		t.Fatal(err)
	}
	tab.until("its Task", `crmCalls.some(c => c.method === "saveLog" && c.args.value.CallObject === "`+none+`")`)
	tab.phone("Ready", `await al.setState("READY")`)

	sfConsultAndTransfer(t, c, tab)
	tab.eval("click to dial", `document.getElementById("phone").click(); true`, nil)
	tab.until("Finesse dials the normalised number", `al.lastDialogs.some(d => d.to === "+12125550199")`)
	tab.phone("hang up", `await al.release(al.lastDialogs.find(d => d.to === "+12125550199").id)`)
	tab.until("an outbound Task", `crmCalls.some(c => c.method === "saveLog" && c.args.value.CallType === "Outbound")`)
	crmScreenshot(t, ctx, "crm-salesforce.png")

	var saves, others int
	tab.eval("count saveLog", `crmCalls.filter(c => c.method === "saveLog").length`, &saves)
	if saves != 5 {
		t.Errorf("%d saveLog calls, want 5 (one per customer call)", saves)
	}
	tab2.eval("tab 2 calls", `crmCalls.filter(c => !["enableClickToDial", "onClickToDial"].includes(c.method)).length`, &others)
	if others != 0 {
		t.Errorf("the tab without the lease made %d Open CTI calls, want 0", others)
	}
}

// sfConsultAndTransfer: agent 1002 consults agent 1001 (no Task, no pop for
// the consult leg) and transfers the call; 1001's Task for it names the
// original call.
func sfConsultAndTransfer(t *testing.T, c *chain, tab *crmTab) {
	t.Helper()
	bob := agentSession(t, c, "1002", "secret2", "5002")
	orig := inject(t, c, "1002", "4155550001")
	run(t, bob, core.Command{Kind: core.CmdAnswer, DialogID: orig})
	before := 0
	tab.eval("Open CTI calls so far", `crmCalls.length`, &before)
	run(t, bob, core.Command{Kind: core.CmdConsult, DialogID: orig, Number: "5001"})
	tab.until("the consult rings at 1001", `(window.consultId = al.lastDialogs.find(d => d.callType === "CONSULT")?.id)`)
	consult := ""
	tab.eval("consult id", `window.consultId`, &consult)
	tab.phone("answer the consult", `await al.answer(window.consultId)`)
	var during int
	tab.eval("Open CTI calls during the consult", `crmCalls.length`, &during)
	if during != before {
		t.Errorf("the consult leg made %d Open CTI calls, want 0", during-before)
	}
	run(t, bob, core.Command{Kind: core.CmdTransfer, DialogID: orig})
	tab.until("the transferred call pops", `crmCalls.slice(`+itoa(before)+`).some(c => c.method === "screenPop" && c.args.params.recordId === "003A1")`)
	tab.phone("hang up", `await al.release("`+orig+`"); await al.setState("READY")`)
	tab.until("its Task names the original", `crmCalls.some(c => c.method === "saveLog" && c.args.value.CallObject === "`+consult+`" &&
		c.args.value.Description === "Transferred call; original call `+orig+`")`)
}

// TestSalesforceFindsLostSave: Lightning saved the Task but its answer
// never reached the softphone, which reloads; offered the call again, the
// adapter (with findApex) asks the admin's Apex class through runApex for
// a Task with the call's CallObject, finds it, and saves no second Task.
func TestSalesforceFindsLostSave(t *testing.T) {
	ctx := browser(t)
	opt, store := withCallLog(t)
	var adapterOrigin string
	c := startChain(t, nil, withDialPlan, opt, func(c *chain, cfg *localbridge.Config) {
		adapterOrigin = "http://127.0.0.1:" + c.hostPt
		cfg.AllowedOrigins = append(cfg.AllowedOrigins, adapterOrigin)
	})
	tab := c.openCRM(t, ctx, "salesforce-host.html", url.Values{"adapter": {adapterOrigin}, "findApex": {"AgentLinkCallLog"}})
	tab.until("click-to-dial enabled", `crmCalls.some(c => c.method === "enableClickToDial")`)
	c.waitClients(t, 2)
	tasks := func(id string) string {
		return `crmCalls.filter(c => c.method === "saveLog" && c.args.value.CallObject === "` + id + `").length`
	}
	found := func(id string) string {
		return `crmCalls.some(c => c.method === "runApex" && c.args.apexClass === "AgentLinkCallLog" &&
			new URLSearchParams(c.args.methodParams).get("callObject") === "` + id + `")`
	}
	lostSaveAnswer(t, c, tab, store, tab.loseJS, tab.jsCount(tasks), tab.jsTrue(found))
}

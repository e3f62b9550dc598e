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

// TestDynamicsAdapter runs the CIF channel page (the web resource an admin
// uploads) inside a stand-in for Dynamics 365 (testdata/crm/dynamics-host.html
// with a stand-in msdyn_ciLibrary.js), in two tabs of real Chromium,
// against the simulator: searchAndOpenRecords finds one contact (its form
// opens), two (a pick list) or none (a new contact form with the number);
// click-to-act dials the normalised number; a consult leg makes no CIF
// call; the transferred call's phone call names the original; each call
// becomes one phonecall activity with its disposition, from the tab with
// the lease only.
func TestDynamicsAdapter(t *testing.T) {
	ctx := browser(t)
	var adapterOrigin string
	c := startChain(t, nil, withDialPlan, func(c *chain, cfg *localbridge.Config) {
		adapterOrigin = "http://127.0.0.1:" + c.hostPt
		cfg.AllowedOrigins = append(cfg.AllowedOrigins, adapterOrigin)
	})
	q := url.Values{"adapter": {adapterOrigin}}
	tab := c.openCRM(t, ctx, "dynamics-host.html", q)
	tab.until("click-to-act enabled", `crmCalls.some(c => c.method === "setClickToAct" && c.args[0] === true)`)
	c.waitClients(t, 2)
	ctx2, cancel := chromedp.NewContext(ctx)
	defer cancel()
	tab2 := c.openCRM(t, ctx2, "dynamics-host.html", q)
	tab2.until("tab 2 enables click-to-act", `crmCalls.some(c => c.method === "setClickToAct")`)
	c.waitClients(t, 4)
	tab.phone("sign in and Ready", `await al.login({agentId: "1001", extension: "5001"}); await al.setState("READY")`)

	one := inject(t, c, "1001", "(415) 555-0001")
	tab.until("the panel opens on ring", `crmCalls.some(c => c.method === "setMode" && c.args[0] === 1)`)
	tab.until("one match opens the contact", `crmCalls.some(c => c.method === "searchAndOpenRecords" && c.args[0] === "contact" &&
		c.args[1] === "?$select=telephone1&$filter=telephone1 eq '+14155550001'" && c.args[2] === true) &&
		crmCalls.some(c => c.method === "openForm" && JSON.parse(c.args[0]).entityId === "c-ada")`)
	tab.phone("answer", `await al.answer("`+one+`")`)
	tab.wrapUp(one, "Sale")
	tab.until("a phone call with the disposition, regarding the contact", `crmCalls.some(c => c.method === "createRecord" && c.args[0] === "phonecall" &&
		(r => r.directioncode === false && r["regardingobjectid_contact@odata.bind"] === "/contacts(c-ada)" &&
		r.description.includes("Disposition: Sale") && r.description.includes("`+one+`"))(JSON.parse(c.args[1])))`)

	many := inject(t, c, "1001", "415.555.0002")
	pn := panel(t, ctx)
	pn.wait("two matches: a pick list", `#choices button[data-id="c-bea"]`)
	pn.click("pick Ben", `#choices button[data-id="c-ben"]`)
	tab.until("the picked contact opens", `crmCalls.some(c => c.method === "openForm" && JSON.parse(c.args[0]).entityId === "c-ben")`)
	if err := c.sim.HangUp(many); err != nil {
		t.Fatal(err)
	}
	tab.until("the missed call is logged", `crmCalls.some(c => c.method === "createRecord" && JSON.parse(c.args[1]).description.includes("`+many+`"))`)
	tab.phone("Ready", `await al.setState("READY")`)

	none := inject(t, c, "1001", "415 555 9999")
	tab.until("no match: a new contact with the number", `crmCalls.some(c => c.method === "openForm" && !JSON.parse(c.args[0]).entityId &&
		JSON.parse(c.args[1]).telephone1 === "+14155559999")`)
	if err := c.sim.HangUp(none); err != nil {
		t.Fatal(err)
	}
	tab.until("its phone call", `crmCalls.some(c => c.method === "createRecord" && JSON.parse(c.args[1]).description.includes("`+none+`"))`)
	tab.phone("Ready", `await al.setState("READY")`)

	dynConsultAndTransfer(t, c, tab)

	tab.eval("click to act", `document.getElementById("phone").click(); true`, nil)
	tab.until("Finesse dials the normalised number", `al.lastDialogs.some(d => d.to === "+12125550199")`)
	tab.phone("hang up", `await al.release(al.lastDialogs.find(d => d.to === "+12125550199").id)`)
	tab.until("an outgoing phone call", `crmCalls.some(c => c.method === "createRecord" && JSON.parse(c.args[1]).directioncode === true)`)
	crmScreenshot(t, ctx, "crm-dynamics.png")

	var saves, others int
	tab.eval("count createRecord", `crmCalls.filter(c => c.method === "createRecord").length`, &saves)
	if saves != 5 {
		t.Errorf("%d phone calls created, want 5 (one per customer call)", saves)
	}
	tab2.eval("tab 2 calls", `crmCalls.filter(c => c.method !== "setClickToAct").length`, &others)
	if others != 0 {
		t.Errorf("the tab without the lease made %d CIF calls, want 0", others)
	}
}

// panel is the channel page in the Dynamics stand-in's panel frame.
func panel(t *testing.T, ctx context.Context) *toolbar {
	t.Helper()
	var frames []*cdp.Node
	if err := chromedp.Run(ctx, chromedp.Nodes("iframe#panel", &frames, chromedp.ByQuery)); err != nil {
		t.Fatalf("find the panel frame: %v", err)
	}
	return &toolbar{t: t, ctx: ctx, frame: frames[0]}
}

func dynConsultAndTransfer(t *testing.T, c *chain, tab *crmTab) {
	t.Helper()
	bob := agentSession(t, c, "1002", "secret2", "5002")
	orig := inject(t, c, "1002", "4155550001")
	run(t, bob, core.Command{Kind: core.CmdAnswer, DialogID: orig})
	before := 0
	tab.eval("CIF calls so far", `crmCalls.length`, &before)
	run(t, bob, core.Command{Kind: core.CmdConsult, DialogID: orig, Number: "5001"})
	tab.until("the consult rings at 1001", `(window.consultId = al.lastDialogs.find(d => d.callType === "CONSULT")?.id)`)
	tab.phone("answer the consult", `await al.answer(window.consultId)`)
	var during int
	tab.eval("CIF calls during the consult", `crmCalls.length`, &during)
	if during != before {
		t.Errorf("the consult leg made %d CIF calls, want 0", during-before)
	}
	run(t, bob, core.Command{Kind: core.CmdTransfer, DialogID: orig})
	tab.until("the transferred call opens the contact", `crmCalls.slice(`+itoa(before)+`).some(c => c.method === "openForm")`)
	tab.phone("hang up", `await al.release("`+orig+`"); await al.setState("READY")`)
	tab.until("its phone call names the original", `crmCalls.some(c => c.method === "createRecord" &&
		JSON.parse(c.args[1]).description.includes("Transferred call; original call `+orig+`"))`)
}

// TestDynamicsFindsLostSave: CIF saved the phone call but its answer never
// reached the channel page, which reloads; offered the call again, the
// adapter finds the phone call (searchAndOpenRecords on phonecall, by the
// description's reference line, or by refField) and does not create a
// second one.
func TestDynamicsFindsLostSave(t *testing.T) {
	for _, refField := range []string{"", "new_finessecallref"} {
		t.Run("refField="+refField, func(t *testing.T) {
			ctx := browser(t)
			opt, store := withCallLog(t)
			var adapterOrigin string
			c := startChain(t, nil, withDialPlan, opt, func(c *chain, cfg *localbridge.Config) {
				adapterOrigin = "http://127.0.0.1:" + c.hostPt
				cfg.AllowedOrigins = append(cfg.AllowedOrigins, adapterOrigin)
			})
			tab := c.openCRM(t, ctx, "dynamics-host.html", url.Values{"adapter": {adapterOrigin}, "refField": {refField}})
			tab.until("click-to-act enabled", `crmCalls.some(c => c.method === "setClickToAct")`)
			c.waitClients(t, 2)
			created := func(id string) string {
				return `crmCalls.filter(c => c.method === "createRecord" && JSON.parse(c.args[1]).description.split("\n").includes("Finesse call ` + id + `")).length`
			}
			found := func(id string) string {
				return `crmCalls.some(c => c.method === "searchAndOpenRecords" && c.args[0] === "phonecall" && c.args[2] === true &&
					c.args[1].includes("` + id + `") && c.args[1].includes("createdon ge ") &&
					c.args[1].includes("EqualUserId(PropertyName='createdby')"))`
			}
			lostSaveAnswer(t, c, tab, store, tab.loseJS, tab.jsCount(created), tab.jsTrue(found))
			if refField != "" {
				var n int
				tab.eval("phone calls with the reference field", `__crm.saved().filter(s => s.phonecall.new_finessecallref).length`, &n)
				if n != 1 {
					t.Errorf("%d phone calls carry refField, want 1", n)
				}
			}
		})
	}
}

// TestDynamicsOldLogOfSameID: Finesse hands a call id out again after a
// restart, and Dynamics holds a phone call logged hours ago under that
// id. The new call is still logged: findLog only counts phone calls
// created since (an hour before) the call began.
func TestDynamicsOldLogOfSameID(t *testing.T) {
	ctx := browser(t)
	opt, store := withCallLog(t)
	var adapterOrigin string
	c := startChain(t, nil, withDialPlan, opt, func(c *chain, cfg *localbridge.Config) {
		adapterOrigin = "http://127.0.0.1:" + c.hostPt
		cfg.AllowedOrigins = append(cfg.AllowedOrigins, adapterOrigin)
	})
	tab := c.openCRM(t, ctx, "dynamics-host.html", url.Values{"adapter": {adapterOrigin}})
	tab.until("click-to-act enabled", `crmCalls.some(c => c.method === "setClickToAct")`)
	c.waitClients(t, 2)
	tab.phone("sign in and Ready", `await al.login({agentId: "1001", extension: "5001"}); await al.setState("READY")`)
	id := inject(t, c, "1001", "(415) 555-0001")
	tab.eval("an old phone call with the same id", `__crm.add({crmId: "pc-old", createdAt: new Date(Date.now() - 3 * 3600e3).toISOString(),
		phonecall: {description: "Finesse call `+id+`\nDisposition: Old"}})`, nil)
	tab.until("the call rings", `al.lastDialogs.some(d => d.id === "`+id+`")`)
	tab.phone("answer", `await al.answer("`+id+`")`)
	tab.wrapUp(id, "Sale")
	// The agent's WORK_READY may come before the call's end reaches the
	// outbox, which would be empty for a moment: wait for the save first.
	tab.until("the new call is logged", `crmCalls.some(c => c.method === "createRecord")`)
	waitOutboxEmpty(t, c, store)
	var n int
	tab.eval("phone calls created", `crmCalls.filter(c => c.method === "createRecord").length`, &n)
	if n != 1 {
		t.Errorf("%d phone calls created for the new call, want 1 (the old one is another call)", n)
	}
}

package localbridge_test

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestSAPAdapter runs the SAP Service Cloud widget (/crm/sap/) in a stand-in
// for C4C (testdata/crm/sap-host.html) in real Chromium, open in two tabs,
// against the simulator: inbound calls from national numbers reach C4C as
// E.164 ANI, so its identification finds one account, a choice, or none;
// NOTIFY, ACCEPT and END follow the call with mapped variables and the
// disposition; a consult leg sends nothing; the call transferred in carries
// the original's reference; C4C's click-to-dial dials the normalised
// number; and the tab without the lease sends nothing at all.
func TestSAPAdapter(t *testing.T) {
	ctx := browser(t)
	c := startChain(t, nil, withDialPlan)
	q := url.Values{"map": {`{"user.customer.id":"CustomerID","wrapUpReason":"WrapUp"}`}}
	tab := c.openCRM(t, ctx, "sap-host.html", q)
	tab.until("the host's SDK connects", `window.al && al.state === "open"`)
	c.waitClients(t, 2) // the widget's toolbar and the host's SDK
	ctx2, cancel := chromedp.NewContext(ctx)
	defer cancel()
	tab2 := c.openCRM(t, ctx2, "sap-host.html", q)
	c.waitClients(t, 4)
	tab.phone("sign in and Ready", `await al.login({agentId: "1001", extension: "5001"}); await al.setState("READY")`)

	// One match, answered, wrapped up: NOTIFY, ACCEPT, END.
	id := inject(t, c, "1001", "415-555-0001", finessesim.Var{Name: "user.customer.id", Value: "C-77"})
	ref := `"` + id + `"`
	tab.until("NOTIFY pops Ada", `popped.some(p => p.ref === `+ref+` && p.kind === "account" && p.ids[0] === "1000001")`)
	tab.phone("answer", `await al.answer(`+ref+`)`)
	tab.until("ACCEPT", `received.some(p => p.Action === "ACCEPT" && p.ExternalReferenceID === `+ref+`)`)
	tab.wrapUp(id, "Sale")
	tab.until("END with disposition and mapped variable", `received.some(p => p.Action === "END" && p.ExternalReferenceID === `+ref+
		` && p.WrapUp === "Sale" && p.CustomerID === "C-77" && p.ANI === "+14155550001" && p.EventType === "INBOUND")`)

	// Several matches, then none: C4C offers a choice, then a new customer.
	many := inject(t, c, "1001", "(415) 555-0002")
	tab.until("NOTIFY offers a choice", `popped.some(p => p.ref === "`+many+`" && p.kind === "choice" && p.ids.length === 2)`)
	if err := c.sim.HangUp(many); err != nil {
		t.Fatal(err)
	}
	tab.until("a missed call is logged too", `received.some(p => p.Action === "END" && p.ExternalReferenceID === "`+many+`")`)
	tab.phone("Ready", `await al.setState("READY")`)
	none := inject(t, c, "1001", "1 415 555 9999")
	tab.until("NOTIFY for a new customer", `popped.some(p => p.ref === "`+none+`" && p.kind === "new")`)
	if err := c.sim.HangUp(none); err != nil {
		t.Fatal(err)
	}
	tab.until("END of the unknown caller", `received.some(p => p.Action === "END" && p.ExternalReferenceID === "`+none+`")`)
	tab.phone("Ready", `await al.setState("READY")`)

	sapConsultAndTransfer(t, c, tab)
	sapClickToDial(t, tab)
	crmScreenshot(t, ctx, "crm-sap.png")

	var ends, others int
	tab.eval("count ENDs", `received.filter(p => p.Action === "END").length`, &ends)
	if ends != 5 {
		t.Errorf("C4C got %d END payloads, want 5 (one per customer call)", ends)
	}
	tab2.eval("count tab 2", `received.length`, &others)
	if others != 0 {
		t.Errorf("the tab without the screen-pop lease sent C4C %d payloads, want 0", others)
	}
}

// sapConsultAndTransfer: agent 1002 takes a call, consults agent 1001 (whose
// widget sends nothing for the consult leg) and transfers it; 1001's widget
// reports the transferred call with its own reference and the original's.
func sapConsultAndTransfer(t *testing.T, c *chain, tab *crmTab) {
	t.Helper()
	bob := agentSession(t, c, "1002", "secret2", "5002")
	orig := inject(t, c, "1002", "4155550001")
	run(t, bob, core.Command{Kind: core.CmdAnswer, DialogID: orig})
	run(t, bob, core.Command{Kind: core.CmdConsult, DialogID: orig, Number: "5001"})
	tab.until("the consult rings at 1001", `(window.consultId = (al.lastDialogs || []).find(d => d.callType === "CONSULT")?.id)`)
	consult := ""
	tab.eval("consult id", `window.consultId`, &consult)
	tab.phone("answer the consult", `await al.answer(window.consultId)`)
	run(t, bob, core.Command{Kind: core.CmdTransfer, DialogID: orig})
	want := `p.ExternalReferenceID === "` + consult + `" && p.ExternalOriginalReferenceID === "` + orig + `"`
	tab.until("the transferred call pops with both references", `received.some(p => p.Action === "NOTIFY" && `+want+`)`)
	tab.phone("hang up the transferred call", `await al.release("`+orig+`"); await al.setState("READY")`)
	tab.until("END with both references", `received.some(p => p.Action === "END" && `+want+`)`)
	var legs int
	tab.eval("payloads before the transfer", `received.filter(p => p.ExternalReferenceID === "`+consult+`" && !p.ExternalOriginalReferenceID).length`, &legs)
	if legs != 0 {
		t.Errorf("the consult leg sent %d payloads, want 0", legs)
	}
}

// sapClickToDial: C4C's click on "+1 (212) 555-0199" dials +12125550199.
func sapClickToDial(t *testing.T, tab *crmTab) {
	t.Helper()
	tab.eval("click the phone number", `document.getElementById("phone").click(); true`, nil)
	tab.until("an outbound NOTIFY for the normalised number", `received.some(p => p.Action === "NOTIFY" && p.EventType === "OUTBOUND" && p.ANI === "+12125550199")`)
	tab.until("Finesse dials it", `(al.lastDialogs || []).some(d => d.to === "+12125550199")`)
	tab.phone("hang up", `const d = al.lastDialogs.find(d => d.to === "+12125550199"); await al.release(d.id)`)
	tab.until("END of the outbound call", `received.some(p => p.Action === "END" && p.EventType === "OUTBOUND")`)
}

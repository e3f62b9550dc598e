package localbridge_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestAdapterCoreJS checks the adapter core's rules in Chromium with a
// fake CRM driver: what counts as a leg, references, lookup keys, one log
// per call id, no log for legs, a failed save not counted as logged, and
// onLogSaved only after a confirmed save.
func TestAdapterCoreJS(t *testing.T) {
	adapterJS(t, `
  check("consult leg", a.direction({ callType: "CONSULT" }), "consult");
  check("leg by associatedId", a.direction({ callType: "", associatedId: "9" }), "consult");
  check("customer call during a consult", a.direction({ callType: "PREROUTE_ACD_IN", associatedId: "9" }), "inbound");
  check("outbound", a.direction({ callType: "OUT" }), "outbound");
  check("agent to agent", a.direction({ callType: "AGENT_INSIDE" }), "internal");
  check("externalRef", a.externalRef("abc-123_" + "9".repeat(40)), "9".repeat(35));
  check("lookup var", a.lookupValue({ variables: { "user.customer.id": "C7" } }, "var:user.customer.id"), "C7");
  check("lookup dnis", a.lookupValue({ dnis: "8000", to: "5001" }, "dnis"), "8000");
  let threw = false;
  try { a.lookupValue({}, "bogus"); } catch { threw = true; }
  check("unknown lookup key refused", threw, true);

  const saves = [], acks = [];
  let fail = 1;
  const crm = { saveLog: async (log) => { if (log.id === "f" && fail-- > 0) throw new Error("CRM down"); saves.push(log.id); return "R-" + log.id; } };
  const core = new a.AdapterCore({ crm, popOn: [], dialPlan: { countryCode: "1" }, onLogSaved: (x) => acks.push(x) });
  core.onDialog({ id: "c1", callType: "ACD_IN", from: "(415) 555-0001", state: "ALERTING", variables: {} });
  core.onDialog({ id: "leg", callType: "CONSULT", from: "5002", state: "ACTIVE", variables: {} });
  check("ANI normalised", core.calls.get("c1").number, "+14155550001");
  await core.onEnded({ id: "c1", wrapUpReason: "Sale", endedAt: new Date().toISOString() });
  await core.onEnded({ id: "c1", wrapUpReason: "Sale" });
  await core.onEnded({ id: "leg" });
  core.onDialog({ id: "f", callType: "ACD_IN", from: "5550100", state: "ALERTING", variables: {} });
  await core.onEnded({ id: "f" });
  check("failed save not acknowledged", acks.map((x) => x.id), ["c1"]);
  await core.onEnded({ id: "f" });
  check("saved once each, no leg", saves, ["c1", "f"]);
  check("acks after confirmed saves", acks, [{ id: "c1", crmRef: "R-c1" }, { id: "f", crmRef: "R-f" }]);
  core.onDialog({ id: "t", callType: "ACD_IN", secondaryId: "cons-1", from: "5550100", state: "ACTIVE", agentState: "ACTIVE", variables: {} });
  check("transferred in", [core.calls.get("t").ref, core.calls.get("t").originalRef], ["cons1", "t"]);
  // The outbox path: offers logged once (storage remembers across pages),
  // legs acknowledged without a log, findLog trusted, a failed save retried.
  const mem = new Map();
  const storage = { getItem: (k) => mem.has(k) ? mem.get(k) : null, setItem: (k, v) => mem.set(k, String(v)),
    removeItem: (k) => mem.delete(k), key: (i) => [...mem.keys()][i], get length() { return mem.size; } };
  const oSaves = [], oAcks = [], oSaved = [];
  let oFail = 1;
  const ocrm = {
    saveLog: async (log) => { if (log.id === "r" && oFail-- > 0) throw new Error("CRM down"); oSaves.push(log.id + ":" + log.disposition); return "S-" + log.id; },
    findLog: async (log) => log.ref === "old" ? "FOUND-old" : null,
  };
  const mk = () => { const c = new a.AdapterCore({ crm: ocrm, popOn: [], storage, retryDelays: [20], onLogSaved: (x) => oSaved.push(x.id) });
    c.ack = async (x) => { oAcks.push(x.id + "=" + x.crmRef); }; return c; };
  const page1 = mk();
  const offer = { id: "o1", dialogId: "o1", callType: "ACD_IN", from: "5550100", startedAt: "2026-12-01T09:00:00.000Z", wrapUpReason: "Sale", variables: {} };
  await page1.onCallLog(offer);
  await mk().onCallLog(offer); // a reloaded page is offered it again: acknowledged, not saved
  await page1.onCallLog({ id: "leg1", dialogId: "leg1", callType: "CONSULT", variables: {} });
  await page1.onCallLog({ id: "old", dialogId: "old", callType: "ACD_IN", variables: {} });
  await page1.onCallLog({ id: "r", dialogId: "r", callType: "ACD_IN", wrapUpReason: "No sale", variables: {} });
  await new Promise((res) => { const t0 = Date.now(); const w = () => (oAcks.length === 5 || Date.now() - t0 > 3000) ? res() : setTimeout(w, 10); w(); });
  check("outbox saves", oSaves, ["o1:Sale", "r:No sale"]);
  check("outbox acks", oAcks, ["o1=S-o1", "o1=S-o1", "leg1=", "old=FOUND-old", "r=S-r"]);
  check("onLogSaved only for saves", oSaved, ["o1", "r"]);

  let dialled = "";
  core.dial = async (n) => { dialled = n; };
  await core.clickToDial("1 (212) 555-0199");
  check("click-to-dial", dialled, "+12125550199");
`)
}

// adapterJS runs checks against the SDK's adapter core in Chromium: body
// runs in an async function with the module as a, and check(what, got,
// want) records each mismatch; the test fails listing them.
func adapterJS(t *testing.T, body string) {
	t.Helper()
	ctx := browser(t)
	host := httptest.NewServer(hostHandler())
	defer host.Close()
	if err := chromedp.Run(ctx, chromedp.Navigate(host.URL+"/sdk/")); err != nil {
		t.Fatal(err)
	}
	js := `(async () => {
  const a = await import("/sdk/adapter.js");
  const bad = [];
  const check = (what, got, want) => { if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(what + ": got " + JSON.stringify(got) + ", want " + JSON.stringify(want)); };
` + body + `
  return bad.join("\n");
})()`
	var out string
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Run(tctx, chromedp.Evaluate(js, &out, awaitPromise)); err != nil {
		t.Fatal(err)
	}
	if out != "" {
		t.Errorf("adapter core:\n%s", out)
	}
}

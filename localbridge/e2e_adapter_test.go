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
  let dialled = "";
  core.dial = async (n) => { dialled = n; };
  await core.clickToDial("1 (212) 555-0199");
  check("click-to-dial", dialled, "+12125550199");
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

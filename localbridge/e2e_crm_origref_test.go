package localbridge_test

import (
	"cmp"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/agentlink/agentlink/callstore"
	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestSAPTransferReoffered: agent 1002 takes a call, consults agent 1001
// and transfers it. 1001 hangs up and is in wrap-up when the SAP widget's
// page (in the C4C stand-in, real Chromium) reloads, before the call was
// saved: the reloaded widget, offered the call from AgentLink's outbox,
// posts C4C exactly one END for it, under 1001's own reference (the consult
// leg's) with ExternalOriginalReferenceID the original call, as the live
// NOTIFY had; the consult leg is never offered nor logged. Run with the
// consult's callType CONSULT and, since what the consulted agent's dialog
// carries is not verified, with one that looks like a routed customer call.
func TestSAPTransferReoffered(t *testing.T) {
	for _, consultType := range []string{"", "PREROUTE_ACD_IN"} {
		t.Run(cmp.Or(consultType, "CONSULT"), func(t *testing.T) { sapTransferReoffered(t, consultType) })
	}
}

func sapTransferReoffered(t *testing.T, consultType string) {
	ctx := browser(t)
	opt, store := withCallLog(t)
	c := startChainSim(t, finessesim.Config{ConsultCallType: consultType, WrapUpAfterTransferIn: true}, nil, opt, withDialPlan)
	tab := c.openCRM(t, ctx, "sap-host.html", url.Values{"map": {`{"wrapUpReason":"WrapUp"}`}})
	tab.until("the host's SDK connects", `window.al && al.state === "open"`)
	c.waitClients(t, 2) // the widget's toolbar and the host's SDK
	tab.phone("sign in and Ready", `await al.login({agentId: "1001", extension: "5001"}); await al.setState("READY")`)

	bob := agentSession(t, c, "1002", "secret2", "5002")
	orig := inject(t, c, "1002", "4155550001")
	run(t, bob, core.Command{Kind: core.CmdAnswer, DialogID: orig})
	run(t, bob, core.Command{Kind: core.CmdConsult, DialogID: orig, Number: "5001"})
	tab.until("the consult rings at 1001", `(window.consultId = (al.lastDialogs || []).find(d => d.id !== "`+orig+`")?.id)`)
	consult := ""
	tab.eval("consult id", `window.consultId`, &consult)
	tab.phone("answer the consult", `await al.answer(window.consultId)`)
	run(t, bob, core.Command{Kind: core.CmdTransfer, DialogID: orig})
	both := `p.ExternalReferenceID === "` + consult + `" && p.ExternalOriginalReferenceID === "` + orig + `"`
	tab.until("the transferred call pops with both references", `received.some(p => p.Action === "NOTIFY" && `+both+`)`)
	tab.phone("hang up the transferred call", `await al.release("`+orig+`")`)
	agentState(t, c.sess, core.StateWorkReady)
	waitUnlogged(t, store, "the transferred call waits for its reason; the consult leg is not listed", func(rs []core.CallRecord) bool {
		return len(rs) == 1 && rs[0].ID == orig && rs[0].Pending
	})
	var ends int
	tab.eval("ENDs before the reload", `received.filter(p => p.Action === "END").length`, &ends)
	if ends != 0 {
		t.Fatalf("C4C got %d END payloads before the wrap-up reason, want 0", ends)
	}

	old := c.srv.Clients()
	reload(t, tab)
	c.waitClients(t, 2, old...)
	tab.until("the reloaded host's SDK connects", `window.al && al.state === "open"`)
	tab.phone("wrap up and Ready", `await al.setWrapUp("`+orig+`", "Sale"); await al.setState("READY")`)
	waitOutboxEmpty(t, c, store)
	tab.until("END with both references and the reason", `received.some(p => p.Action === "END" && `+both+` && p.WrapUp === "Sale")`)
	var got string
	tab.eval("ENDs after the reload", `JSON.stringify(received.filter(p => p.Action === "END"))`, &got)
	tab.eval("count them", `received.filter(p => p.Action === "END").length`, &ends)
	if ends != 1 {
		t.Errorf("C4C got %d END payloads after the reload, want 1 (the transferred call, once): %s", ends, got)
	}
}

// waitUnlogged waits until the outbox's unlogged calls satisfy ok.
func waitUnlogged(t *testing.T, store *callstore.Store, what string, ok func([]core.CallRecord) bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok(store.Unlogged()) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: the outbox holds %v", what, slices.Collect(func(yield func(string) bool) {
				for _, r := range store.Unlogged() {
					if !yield(r.ID + map[bool]string{true: " (pending)"}[r.Pending]) {
						return
					}
				}
			}))
		}
		time.Sleep(50 * time.Millisecond) // the store has no event for a test to wait on here: ask every 50 ms
	}
}

// TestAdapterOriginJS checks, in Chromium, that the adapter core reads a
// call's origin the same way from a live dialog and from an offer made
// after a reload (no live call left): the same references for a call
// transferred in (either way Finesse hands it over); a customer call
// conferenced later is still logged; an offer marked consult is
// acknowledged without a log; and without AgentLink's word (an older
// AgentLink) a dialog with secondaryId is still taken for a transfer.
func TestAdapterOriginJS(t *testing.T) {
	adapterJS(t, `
  const refs = (c) => [c.ref, c.originalRef, c.leg];
  const saves = [], acks = [];
  const crm = { saveLog: async (log) => { saves.push([log.id, log.ref, log.originalRef]); return "S-" + log.id; } };
  const mk = () => { const c = new a.AdapterCore({ crm, popOn: [], storage: null });
    c.ack = async (x) => { acks.push(x.id); }; return c; };

  // Live: the original dialog POSTed after the transfer.
  const live = mk();
  live.onDialog({ id: "o-1", callType: "ACD_IN", secondaryId: "c-1", originalId: "o-1", consult: false, from: "5550100", state: "ACTIVE", variables: {} });
  check("live transferred in", refs(live.calls.get("o-1")), ["c1", "o1", false]);
  // Re-offered to a reloaded page: built from the record alone.
  const reloaded = mk();
  await reloaded.onCallLog({ id: "o-1", dialogId: "o-1", callType: "ACD_IN", originalId: "o-1", secondaryId: "c-1", consult: false,
    startedAt: "2026-12-01T09:00:00.000Z", variables: {} });
  check("re-offered transferred in", saves[0], ["o-1", "c1", "o1"]);
  // The agent's own consult survived, the original dropped into it.
  check("surviving consult", refs(mk().newCall({ id: "c-2", callType: "CONSULT", secondaryId: "o-2", originalId: "o-2", consult: false, variables: {} })), ["c2", "o2", false]);
  // A customer call conferenced later: CONFERENCE now, still the agent's own.
  check("own conferenced call", refs(mk().newCall({ id: "o-3", callType: "CONFERENCE", secondaryId: "c-3", originalId: "", consult: false, variables: {} })), ["o3", "", false]);
  // A leg AgentLink marked, whatever its callType.
  await reloaded.onCallLog({ id: "c-4", dialogId: "c-4", callType: "PREROUTE_ACD_IN", consult: true, variables: {} });
  check("consult offer saved nothing", saves.length, 1);
  check("consult offer acknowledged", acks, ["o-1", "c-4"]);
  const legacy = mk();
  check("legacy call-ended leg not logged", await legacy.onEnded({ id: "c-5", callType: "PREROUTE_ACD_IN", consult: true, variables: {} }, false), null);
  // An older AgentLink says nothing: secondaryId on a dialog means a transfer.
  check("older AgentLink", refs(mk().newCall({ id: "o-6", callType: "ACD_IN", secondaryId: "c-6", variables: {} })), ["c6", "o6", false]);
  check("older AgentLink consult", refs(mk().newCall({ id: "c-7", callType: "CONSULT", variables: {} })), ["c7", "", true]);
`)
}

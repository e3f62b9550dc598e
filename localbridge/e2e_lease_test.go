package localbridge_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestToolbarScreenPopLease opens the CRM page in two tabs of real
// Chromium. A call pops only in the tab that holds the lease (the first);
// the other tab says so and offers "Use this tab"; after a click there, the
// next call pops in that tab only, and its end is reported there only.
// Using the first tab's toolbar again takes the lease back.
func TestToolbarScreenPopLease(t *testing.T) {
	ctx := browser(t)
	c := startChain(t, nil)
	tb1 := c.signedInToolbar(t, ctx)

	ctx2, cancel := chromedp.NewContext(ctx) // a second tab
	defer cancel()
	c.openHost(t, ctx2, "localhost")
	tb2 := c.toolbar(t, ctx2)
	tb2.wait("tab 2 connected", "#conn-dot.open")
	tb2.wait("tab 2 says another tab pops", "#claim-btn")
	tb1.click("ready", "#ready-btn")
	tb1.wait("agent READY", "#agent-state.READY")

	call := func(what string) string {
		t.Helper()
		id, err := c.sim.InjectCall(finessesim.CallSpec{AgentID: "1001", ANI: "5550123", DNIS: "8000"})
		if err != nil {
			t.Fatalf("%s: InjectCall: %v", what, err)
		}
		return id
	}
	first := call("first call")
	tb1.wait("tab 1 rings", `button[data-action="ANSWER"]`)
	tb2.wait("tab 2 rings too (every tab gets every event)", `button[data-action="ANSWER"]`)
	waitPops(t, ctx, first, 1)
	endCall(tb1, "tab 1")
	waitEnded(t, ctx, first, 1)
	if n := pops(t, ctx2, first); n != 0 {
		t.Errorf("tab 2 popped the first call %d times, want 0 (tab 1 holds the lease)", n)
	}

	tb2.click("use tab 2", "#claim-btn")
	tb1.wait("tab 1 now says another tab pops", "#claim-btn")
	second := call("second call")
	waitPops(t, ctx2, second, 1)
	endCall(tb2, "tab 2")
	waitEnded(t, ctx2, second, 1)
	if n := pops(t, ctx, second); n != 0 {
		t.Errorf("tab 1 popped the second call %d times, want 0 (tab 2 claimed the lease)", n)
	}

	// Using the toolbar in tab 1 takes the lease back: the agent is looking there.
	tb1.click("Not Ready in tab 1", "#notready-btn")
	tb2.wait("tab 2 now says another tab pops", "#claim-btn")
}

// endCall answers and ends the ringing call from tb, then leaves wrap-up
// with Ready (the chain keeps the dialog during wrap-up, so the call ends,
// for logging, only then).
func endCall(tb *toolbar, tab string) {
	tb.t.Helper()
	tb.click("answer in "+tab, `button[data-action="ANSWER"]`)
	tb.click("end in "+tab, `button[data-action="DROP"]`)
	tb.wait("wrap-up in "+tab, "#agent-state.WORK_READY")
	tb.click("ready in "+tab, "#ready-btn")
	tb.wait("READY in "+tab, "#agent-state.READY")
	tb.gone("call gone in "+tab, ".card")
}

// pops counts the host page's agentlink:screenpop messages for dialog id.
func pops(t *testing.T, ctx context.Context, id string) int {
	t.Helper()
	return countMsgs(t, ctx, `m.type === "agentlink:screenpop" && m.dialog.id === `+quoteJS(id))
}

func countMsgs(t *testing.T, ctx context.Context, cond string) int {
	t.Helper()
	var n int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`window.msgs.filter(m => `+cond+`).length`, &n)); err != nil {
		t.Fatal(err)
	}
	return n
}

func waitPops(t *testing.T, ctx context.Context, id string, want int) {
	t.Helper()
	waitMsgs(t, ctx, "screen pop of "+id, `m.type === "agentlink:screenpop" && m.dialog.id === `+quoteJS(id), want)
}

func waitEnded(t *testing.T, ctx context.Context, id string, want int) {
	t.Helper()
	waitMsgs(t, ctx, "callended of "+id, `m.type === "agentlink:callended" && m.summary.id === `+quoteJS(id), want)
}

func waitMsgs(t *testing.T, ctx context.Context, what, cond string, want int) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	js := `window.msgs.filter(m => ` + cond + `).length >= ` + itoa(want)
	if err := chromedp.Run(tctx, chromedp.Poll(js, nil, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("%s: %v (got %d)", what, err, countMsgs(t, ctx, cond))
	}
	if n := countMsgs(t, ctx, cond); n != want {
		t.Errorf("%s: %d messages, want %d", what, n, want)
	}
}

func quoteJS(s string) string { return strconv.Quote(s) }

func itoa(n int) string { return strconv.Itoa(n) }

package localbridge_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestMonitorFaultsInChromium kills side A under a signed-in agent: the
// Connector Monitor's Faults panel shows side A's fault while it lasts,
// then shows it cleared and the failover to side B (issue 15). Faults the
// app reports itself (RaiseFault/ClearFault) appear and clear the same way.
func TestMonitorFaultsInChromium(t *testing.T) {
	ctx := browser(t)
	c := startChain(t, nil)
	u, err := c.srv.MonitorURL()
	if err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	c.localLogin(t)
	poll := func(js string) chromedp.Action {
		return chromedp.Poll(js, nil, chromedp.WithPollingTimeout(30*time.Second))
	}
	const faults = `document.getElementById("faults").textContent`
	if err := chromedp.Run(tctx, chromedp.Navigate(u),
		poll(`document.getElementById("live").textContent === "Live"`),
		poll(faults+`.includes("No faults")`)); err != nil {
		t.Fatalf("monitor with no faults: %v", err)
	}

	if err := c.sim.KillNode(finessesim.NodeA); err != nil {
		t.Fatal(err)
	}
	var open, cleared string
	if err := chromedp.Run(tctx,
		poll(faults+`.includes("side A") && `+faults+`.includes("still open")`),
		chromedp.Text("#faults", &open, chromedp.ByQuery),
		poll(faults+`.includes("failover") && !`+faults+`.includes("still open")`),
		chromedp.Text("#faults", &cleared, chromedp.ByQuery)); err != nil {
		t.Fatalf("side A's fault in the monitor: %v\nFaults panel: %s", err, open)
	}
	if !strings.Contains(cleared, "from side A to side B") {
		t.Errorf("Faults panel after failover %q: want the failover from side A to side B", cleared)
	}

	c.srv.RaiseFault("logfile", "log file unwritable", "no space left on device")
	if err := chromedp.Run(tctx, poll(faults+`.includes("log file unwritable") && `+faults+`.includes("still open")`),
		poll(`document.getElementById("faults-open").textContent === "1"`)); err != nil {
		t.Fatalf("an app fault in the monitor: %v", err)
	}
	c.srv.ClearFault("logfile")
	if err := chromedp.Run(tctx, poll(`!`+faults+`.includes("still open")`),
		poll(`document.getElementById("faults-open").textContent === "0"`)); err != nil {
		t.Fatalf("the app fault cleared in the monitor: %v", err)
	}
}

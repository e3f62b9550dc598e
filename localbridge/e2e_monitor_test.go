package localbridge_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestMonitorInChromium opens the Connector Monitor the way the tray does
// (one-time ticket URL) and sees it render live state. Ticket reuse from
// another browser is covered by TestMonitorTicket.
func TestMonitorInChromium(t *testing.T) {
	ctx := browser(t)
	c := startChain(t, nil)
	u, err := c.srv.MonitorURL()
	if err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var live, addr, loc string
	err = chromedp.Run(tctx,
		chromedp.Navigate(u),
		chromedp.Poll(`document.getElementById("live").textContent === "Live"`, nil, chromedp.WithPollingTimeout(15*time.Second)),
		chromedp.Text("#live", &live, chromedp.ByQuery),
		chromedp.Text("#finesse", &addr, chromedp.ByQuery),
		chromedp.Location(&loc),
	)
	if err != nil {
		t.Fatalf("monitor page: %v", err)
	}
	if strings.Contains(loc, "ticket") {
		t.Errorf("monitor URL %s still shows the ticket", loc)
	}
	if !strings.Contains(addr, c.srv.Addr()) {
		t.Errorf("monitor Finesse panel %q does not show the bridge address %s", addr, c.srv.Addr())
	}
	if dir := os.Getenv("AGENTLINK_ARTIFACTS"); dir != "" {
		var png []byte
		if err := chromedp.Run(tctx, chromedp.FullScreenshot(&png, 90)); err == nil {
			_ = os.WriteFile(filepath.Join(dir, "monitor.png"), png, 0o644)
		}
	}
}

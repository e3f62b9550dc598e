package localbridge_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coder/websocket"
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

	// A local program signs the agent in; the audit table shows it live.
	c.localLogin(t)
	var audit string
	err = chromedp.Run(tctx,
		chromedp.Poll(`document.getElementById("audit").textContent.includes("Login")`, nil, chromedp.WithPollingTimeout(15*time.Second)),
		chromedp.Text("#audit", &audit, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("audit table: %v", err)
	}
	for _, want := range []string{"(local program)", "agent=1001 extension=5001", "ok"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit table %q lacks %q", audit, want)
		}
	}
	if strings.Contains(audit, "secret1") {
		t.Errorf("audit table shows the password: %q", audit)
	}
	monitorFits1280(t, tctx, c)
	if dir := os.Getenv("AGENTLINK_ARTIFACTS"); dir != "" {
		var png []byte
		if err := chromedp.Run(tctx, chromedp.FullScreenshot(&png, 90)); err == nil {
			_ = os.WriteFile(filepath.Join(dir, "monitor.png"), png, 0o644)
		}
	}
}

// monitorFits1280 checks the Monitor at 1280 px wide with a toolbar listed
// and the audit trail filled: no panel's table is cut off or scrolls
// sideways, and the page itself does not scroll sideways.
func monitorFits1280(t *testing.T, ctx context.Context, c *chain) {
	t.Helper()
	dctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(dctx, "ws://"+c.srv.Addr()+"/v1/bridge", &websocket.DialOptions{
		HTTPHeader: http.Header{"Authorization": {"Bearer " + c.token}}})
	if err != nil {
		t.Fatalf("local client: %v", err)
	}
	defer conn.CloseNow()
	if err := conn.Write(dctx, websocket.MessageText, []byte(`{"id":"1","cmd":"Hello"}`)); err != nil {
		t.Fatal(err)
	}
	var overflowing []string
	err = chromedp.Run(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Poll(`document.getElementById("clients").rows.length > 0`, nil, chromedp.WithPollingTimeout(15*time.Second)),
		chromedp.Evaluate(`(() => {
			const out = [];
			if (document.documentElement.scrollWidth > window.innerWidth) out.push("page " + document.documentElement.scrollWidth);
			const main = document.querySelector("main");
			for (const s of document.querySelectorAll("main > section")) {
				const name = s.getAttribute("aria-labelledby");
				if (s.scrollWidth > s.clientWidth + 1) out.push(name + " " + s.scrollWidth + ">" + s.clientWidth);
				// A table of five or more columns (origins, processes, call
				// ids) needs the whole row: in a third of 1280 px its
				// columns are cut off as soon as a long origin shows.
				const t = s.querySelector("table");
				if (t && t.tHead.rows[0].cells.length >= 5 && s.offsetWidth < 0.9 * main.clientWidth) out.push(name + " is " + s.offsetWidth + " px wide");
			}
			return out;
		})()`, &overflowing),
	)
	if err != nil {
		t.Fatalf("monitor at 1280 px: %v", err)
	}
	if len(overflowing) > 0 {
		t.Errorf("at 1280 px these panels overflow or are too narrow for their tables: %v", overflowing)
	}
}

// localLogin signs agent 1001 in through a token WebSocket client, the way
// a local program would, and waits for the answer.
func (c *chain) localLogin(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws://"+c.srv.Addr()+"/v1/bridge", &websocket.DialOptions{
		HTTPHeader: http.Header{"Authorization": {"Bearer " + c.token}}})
	if err != nil {
		t.Fatalf("local client: %v", err)
	}
	defer conn.CloseNow()
	for i, req := range []string{
		`{"id":"1","cmd":"Hello"}`,
		`{"id":"2","cmd":"Connect","args":{"agentId":"1001"}}`,
		`{"id":"3","cmd":"Login","args":{"agentId":"1001","extension":"5001","password":"secret1"}}`,
	} {
		if err := conn.Write(ctx, websocket.MessageText, []byte(req)); err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprintf(`"id":"%d"`, i+1)
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				t.Fatalf("local client waiting for %s: %v", id, err)
			}
			if strings.Contains(string(data), id) {
				if !strings.Contains(string(data), `"ok":true`) {
					t.Fatalf("local client: %s", data)
				}
				break
			}
		}
	}
}

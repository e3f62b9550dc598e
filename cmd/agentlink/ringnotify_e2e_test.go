//go:build !nogui && (linux || freebsd)

package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/internal/dunsttest"
)

// TestRingingCallNotificationUnderXvfb runs the real binary against the
// demo simulator, hidden in the tray, with a real notification server
// (dunst) on its session bus. A call rings: the window comes forward
// (ui.raise_on_ring), dunst shows "Incoming call" at critical urgency, the
// agent picks Answer in dunst's menu, Finesse answers the call, and the
// notification is gone.
func TestRingingCallNotificationUnderXvfb(t *testing.T) {
	requireDesktop(t)
	bin := testBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	bus := dunsttest.PrivateBus(t) // the app's session bus: its tray and notifications go there
	dunst := dunsttest.Start(t, bus)
	xdg := t.TempDir()
	if err := os.MkdirAll(filepath.Join(xdg, "agentlink"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(xdg, "agentlink"), "config.toml", "[ui]\nstart_hidden = true\nraise_on_ring = true\n")
	app := startApp(ctx, t, bin, xdg, "ringnotify",
		[]string{"AGENTLINK_DEMO_CALL_INTERVAL=1s", "DBUS_SESSION_BUS_ADDRESS=" + bus}, "--demo")
	hb := &headlessBridge{b: dialBridge(ctx, t, app)}
	hb.waitFor(ctx, t, "agent NOT_READY", isAgentState("NOT_READY"))
	if id := visibleWindow(); id != "" {
		t.Fatalf("window %s visible although start_hidden is set", id)
	}

	hb.command(ctx, t, "ready", "SetState", map[string]string{"state": "READY"}, isAgentState("READY"))
	f := hb.waitFor(ctx, t, "a demo call ringing", isDialog("", "ALERTING", "ALERTING"))
	var d headlessDialog
	_ = json.Unmarshal(f.Data, &d)
	waitFor(ctx, t, "the window forward for the ringing call", func() bool { return visibleWindow() != "" })

	s := dunst.NextShown(t)
	if s.Urgency != "CRITICAL" || !strings.HasPrefix(s.Summary, "Incoming call") {
		t.Errorf("dunst showed %+v, want an incoming call at CRITICAL urgency", s)
	}
	screenshot(t, "ringing-notification.png")
	dunst.ContextMenu(t) // the agent picks Answer
	hb.waitFor(ctx, t, "the call answered from the notification", isDialog(d.ID, "ACTIVE", "ACTIVE"))
	waitFor(ctx, t, "the notification withdrawn", func() bool { return dunst.Displayed(t) == 0 })
	app.stop(t)
}

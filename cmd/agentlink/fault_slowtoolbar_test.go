package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestFaultSlowToolbar runs the real binary with two bridge clients: one
// stops reading (its socket's receive buffer shrunk to a few KiB, so a few
// hundred events fill it), the other changes the agent's state again and
// again and must see every change confirmed. The slow one is cut off, the
// session and the other client go on, and the Connector Monitor lists the
// fault (issue 15).
//
//	CI=true scripts/test-env.sh go test -race -run FaultSlowToolbar -v ./cmd/agentlink/
func TestFaultSlowToolbar(t *testing.T) {
	ctx, sim, app, hb := startFaultApp(t, "slow-toolbar")
	slow := dialStalled(ctx, t, app)
	waitClients(ctx, t, app, 2)

	// Calls that ring and are abandoned, each carrying 16 KiB of call
	// data (under the client library's 32 KiB message limit): a few hundred events fill the stalled client's socket and its
	// queue. The reading client must see every one.
	big := []finessesim.Var{{Name: "callVariable1", Value: strings.Repeat("x", 16<<10)}}
	cut, listed, i := false, false, 0
	for ; i < 400 && !cut; i++ {
		id, err := sim.InjectCall(finessesim.CallSpec{AgentID: "1001", ANI: "5550123", DNIS: "8000", Variables: big})
		if err != nil {
			t.Fatalf("InjectCall %d: %v", i, err)
		}
		hb.waitFor(ctx, t, "Dialog "+id+" ALERTING", isDialog(id, "ALERTING", ""))
		if err := sim.HangUp(id); err != nil {
			t.Fatal(err)
		}
		hb.waitFor(ctx, t, "DialogEnded "+id, isEnded(id))
		if a, _ := sim.Agent("1001"); a.State != "READY" {
			hb.command(ctx, t, fmt.Sprint("ready-", i), "SetState", map[string]string{"state": "READY"}, isAgentState("READY"))
		}
		if i%20 == 19 {
			// Cut off: listed as a fault, or already gone (the session cut
			// its watcher and the write that was blocked then failed).
			listed = monitorFaults(ctx, t, app)["toolbar too slow"]
			cut = listed || len(monitorState(ctx, t, app).Clients) == 1
		}
	}
	if !cut {
		t.Fatal("400 calls later, the stalled toolbar is not cut off")
	}
	t.Logf("the stalled toolbar was cut off within %d calls (listed in the monitor's faults: %v)", i, listed)
	waitClients(ctx, t, app, 1)
	snap := hb.getState(ctx, t)
	if snap.System.Status != "IN_SERVICE" || snap.Agent.State == "" {
		t.Errorf("session after the cut-off: system %s agent %q", snap.System.Status, snap.Agent.State)
	}
	for { // the stalled client drains what reached it, then learns why
		rctx, cancel := context.WithTimeout(ctx, faultDeadline)
		_, _, err := slow.Read(rctx)
		cancel()
		if err == nil {
			continue
		}
		if st := websocket.CloseStatus(err); st != websocket.StatusTryAgainLater && st != websocket.StatusPolicyViolation && st != -1 {
			t.Errorf("stalled toolbar closed with %v, want 1013 or 1008", st)
		}
		break
	}
	app.stop(t)
}

// dialStalled connects a bearer-token client with a tiny receive buffer,
// says Hello and Connect, and never reads.
func dialStalled(ctx context.Context, t *testing.T, app *demoApp) *websocket.Conn {
	t.Helper()
	d := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		if err != nil {
			return err
		}
		return serr
	}}
	client := &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
	h := http.Header{"Authorization": {"Bearer " + bridgeToken(t, app.configDir)}}
	conn, _, err := websocket.Dial(ctx, "ws://"+app.bridge+"/v1/bridge", &websocket.DialOptions{HTTPHeader: h, HTTPClient: client})
	if err != nil {
		t.Fatalf("dialing the stalled client: %v", err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	for _, cmd := range []string{"Hello", "Connect"} {
		msg, _ := json.Marshal(map[string]any{"id": cmd, "cmd": cmd, "args": map[string]string{"agentId": "1001"}})
		if err := conn.Write(ctx, websocket.MessageText, msg); err != nil {
			t.Fatalf("stalled client %s: %v", cmd, err)
		}
	}
	return conn
}

// monitorState fetches the monitor's state with the bridge token.
func monitorState(ctx context.Context, t *testing.T, app *demoApp) (st struct {
	Faults  []struct{ Kind, Detail, Cleared string }
	Clients []struct{ ID string }
}) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+app.bridge+"/monitor/api/state", nil)
	req.Header.Set("Authorization", "Bearer "+bridgeToken(t, app.configDir))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("monitor state: %v", err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatalf("monitor state: %v", err)
	}
	return st
}

// monitorFaults lists the kinds of faults the monitor shows.
func monitorFaults(ctx context.Context, t *testing.T, app *demoApp) map[string]bool {
	t.Helper()
	kinds := map[string]bool{}
	for _, f := range monitorState(ctx, t, app).Faults {
		kinds[f.Kind] = true
	}
	return kinds
}

// waitClients waits until the monitor lists n connected clients.
func waitClients(ctx context.Context, t *testing.T, app *demoApp, n int) {
	t.Helper()
	deadline := time.Now().Add(faultDeadline)
	for {
		got := len(monitorState(ctx, t, app).Clients)
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("monitor lists %d clients, want %d", got, n)
		}
		time.Sleep(100 * time.Millisecond) // re-asking the monitor API
	}
}

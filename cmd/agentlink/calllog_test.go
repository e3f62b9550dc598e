package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestCallLogSurvivesKill runs the real binary headless against the
// simulator, with a bearer-token bridge client in the CRM adapter's role
// (lease holder: it logs CallLog offers in its "CRM" and acknowledges).
//
//  1. A call ends with its reason; the client saves it in its CRM, and the
//     app is killed with SIGKILL before the acknowledgement. A second call
//     is in progress at the kill and ends while the app is down.
//
//  2. Started again on the same config directory, the app offers the first
//     call again (from calls.db): the client finds it in its CRM and only
//     acknowledges it, so it is logged once. The second call is reported
//     as ended while away (issue 15 item 3) and offered once its wrap-up
//     ends.
//
//  3. Started a third time, it offers nothing: both are acknowledged.
//
// Run it alone with
//
//	CI=true scripts/test-env.sh go test -race -run CallLogSurvivesKill -v ./cmd/agentlink/
func TestCallLogSurvivesKill(t *testing.T) {
	requireKeyring(t)
	bin := testBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	password := "pw-" + rand.Text()
	sim := startHeadlessSim(ctx, t, password)
	cfgPath, xdg := writeHeadlessConfig(t, sim)
	storePassword(ctx, t, bin, cfgPath, xdg, password)
	crm := map[string]int{} // the client's CRM: saves per call id

	app := startApp(ctx, t, bin, xdg, "calllog-1", nil, "--headless", "--config", cfgPath)
	hb := dialLease(ctx, t, app)
	hb.waitFor(ctx, t, "agent 1001 signed in", isAgentState("NOT_READY"))
	hb.command(ctx, t, "ready", "SetState", map[string]string{"state": "READY"}, isAgentState("READY"))
	first := injectAnswer(ctx, t, sim, hb)
	hb.command(ctx, t, "reason", "SetWrapUp", map[string]string{"dialogId": first, "reason": "Sales inquiry"},
		func(f smokeFrame) bool { return f.Event == "Dialog" })
	if err := sim.HangUp(first); err != nil {
		t.Fatal(err)
	}
	offer := hb.waitFor(ctx, t, "CallLog offer of the first call", isOffer(first))
	if o := decodeOffer(t, offer); o.WrapUpReason != "Sales inquiry" {
		t.Errorf("offer %+v, want the reason Sales inquiry", o)
	}
	crm[first]++ // saved in the CRM; the acknowledgement never leaves: kill -9
	hb.command(ctx, t, "ready again", "SetState", map[string]string{"state": "READY"}, isAgentState("READY"))
	second := injectAnswer(ctx, t, sim, hb)
	kill(t, app)
	if err := sim.HangUp(second); err != nil { // ends while AgentLink is down
		t.Fatal(err)
	}

	app = startApp(ctx, t, bin, xdg, "calllog-2", nil, "--headless", "--config", cfgPath)
	hb = dialLease(ctx, t, app)
	hb.waitFor(ctx, t, "the first call offered again after the restart", isOffer(first))
	// It is in the CRM already (saved before the kill): acknowledge only.
	hb.command(ctx, t, "ack-1", "AckCallLog", map[string]string{"id": first, "crmRef": "LOG-1"}, func(smokeFrame) bool { return true })
	waitAgentIs(ctx, t, hb, "WORK_READY") // the second call's wrap-up, entered while the app was down
	hb.send(ctx, t, "ready-3", "SetState", map[string]string{"state": "READY"})
	offer = hb.waitFor(ctx, t, "the call that ended while AgentLink was down, offered after its wrap-up", isOffer(second))
	var away struct {
		EndedWhileAway bool `json:"endedWhileAway"`
	}
	if err := json.Unmarshal(offer.Data, &away); err != nil || !away.EndedWhileAway {
		t.Errorf("offer of the second call %s: want endedWhileAway", offer.Data)
	}
	crm[second]++
	hb.command(ctx, t, "ack-2", "AckCallLog", map[string]string{"id": second, "crmRef": "LOG-2"}, func(smokeFrame) bool { return true })
	app.stop(t)

	app = startApp(ctx, t, bin, xdg, "calllog-3", nil, "--headless", "--config", cfgPath)
	hb = dialLease(ctx, t, app)
	hb.send(ctx, t, "ping", "Ping", nil)
	hb.waitFor(ctx, t, "Ping answered", func(f smokeFrame) bool {
		if f.Event == "CallLog" {
			t.Errorf("after both were acknowledged, the app offered %s", f.Data)
		}
		return f.ID == "ping"
	})
	app.stop(t)
	for id, n := range crm {
		if n != 1 {
			t.Errorf("call %s saved %d times in the CRM, want 1", id, n)
		}
	}
}

// waitAgentIs asks GetState until the agent is in state: the app may have
// signed in before or after this client connected.
func waitAgentIs(ctx context.Context, t *testing.T, hb *headlessBridge, state string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if got := hb.getState(ctx, t).Agent.State; got == state {
			return
		} else if time.Now().After(deadline) {
			t.Fatalf("agent is %s, want %s within 20s", got, state)
		}
		select {
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		case <-time.After(200 * time.Millisecond): // the state has no event this client is sure to see
		}
	}
}

// dialLease connects a bearer-token client that takes part in the
// screen-pop lease (the only client, so it holds it).
func dialLease(ctx context.Context, t *testing.T, app *demoApp) *headlessBridge {
	t.Helper()
	h := http.Header{"Authorization": {"Bearer " + bridgeToken(t, app.configDir)}}
	conn, _, err := websocket.Dial(ctx, "ws://"+app.bridge+"/v1/bridge", &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		t.Fatalf("dialing the bridge: %v", err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	b := &smokeBridge{conn: conn, frames: make(chan smokeFrame, 256)}
	go b.read(ctx)
	hb := &headlessBridge{b: b}
	hb.send(ctx, t, "hello", "Hello", nil)
	hb.send(ctx, t, "connect", "Connect", map[string]any{"agentId": "1001", "lease": true})
	hb.waitFor(ctx, t, "Connect answered", func(f smokeFrame) bool { return f.ID == "connect" && f.OK })
	return hb
}

func injectAnswer(ctx context.Context, t *testing.T, sim *finessesim.Sim, hb *headlessBridge) string {
	t.Helper()
	id, err := sim.InjectCall(finessesim.CallSpec{AgentID: "1001", ANI: "5550123", DNIS: "8000"})
	if err != nil {
		t.Fatalf("InjectCall: %v", err)
	}
	hb.waitFor(ctx, t, "Dialog "+id+" ALERTING", isDialog(id, "ALERTING", ""))
	hb.command(ctx, t, "answer-"+id, "Answer", map[string]string{"dialogId": id}, isDialog(id, "ACTIVE", "ACTIVE"))
	return id
}

type offerData struct {
	ID           string `json:"id"`
	WrapUpReason string `json:"wrapUpReason"`
}

func decodeOffer(t *testing.T, f smokeFrame) offerData {
	t.Helper()
	var o offerData
	if err := json.Unmarshal(f.Data, &o); err != nil {
		t.Fatalf("CallLog data %s: %v", f.Data, err)
	}
	return o
}

func isOffer(id string) func(smokeFrame) bool {
	return func(f smokeFrame) bool {
		var o offerData
		return f.Event == "CallLog" && json.Unmarshal(f.Data, &o) == nil && o.ID == id
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func kill(t *testing.T, a *demoApp) {
	t.Helper()
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case <-a.exited:
	case <-time.After(15 * time.Second):
		t.Fatal("agentlink still running 15s after SIGKILL")
	}
}

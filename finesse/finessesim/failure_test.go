package finessesim

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestOutOfService: 503 on REST, no events while out of service, SystemInfo
// PUTs, and republication of User and Dialog state on return (§7.3, §8.13).
func TestOutOfService(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	a := signIn(t, s, NodeA, "1002", true)
	b := signIn(t, s, NodeB, "1003", true)
	if err := s.SetInService(NodeA, false); err != nil {
		t.Fatal(err)
	}
	a.x.expect("systemInfo PUT OUT_OF_SERVICE")
	status, body := a.r.do("GET", "/finesse/api/User/1002", "", "")
	if status != 503 || mustTree(t, body).text("ApiError", "ErrorMessage") != "SERVER_OUT_OF_SERVICE" {
		t.Errorf("REST while out of service: got %d %s", status, body)
	}
	if si := mustTree(t, a.r.must(200, "GET", "/finesse/api/SystemInfo", "", "")); si.text("status") != "OUT_OF_SERVICE" {
		t.Errorf("SystemInfo status: got %q", si.text("status"))
	}
	b.r.must(200, "GET", "/finesse/api/User/1003", "", "") // node B unaffected
	id := inject(t, s, "1002")                             // happens while A is out of service
	a.x.quiet(100 * time.Millisecond)
	if err := s.SetInService(NodeA, true); err != nil {
		t.Fatal(err)
	}
	got := a.x.expect("systemInfo PUT IN_SERVICE", "user PUT RESERVED", "dialog PUT ALERTING[5002:ALERTING,4085550100:INITIATED]")
	if got[2].Source != "/finesse/api/Dialog/"+id {
		t.Errorf("republished dialog source: got %q", got[2].Source)
	}
	a.r.must(200, "GET", "/finesse/api/User/1002", "", "")
}

// TestKillRestore: a killed node refuses connections and drops XMPP; the
// restored node listens on the same ports and the state survived.
func TestKillRestore(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	a := signIn(t, s, NodeA, "1002", true)
	port := s.Node(NodeA).RESTPort()
	if err := s.KillNode(NodeA); err != nil {
		t.Fatal(err)
	}
	select {
	case _, ok := <-a.x.updates:
		if ok {
			t.Fatalf("got a notification, want the XMPP connection closed")
		}
	case <-time.After(waitFor):
		t.Fatalf("XMPP connection not closed by KillNode")
	}
	a.r.hc.CloseIdleConnections()
	req, _ := http.NewRequest("GET", a.r.base+"/finesse/api/SystemInfo", nil)
	if resp, err := a.r.hc.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("REST on a killed node: got %d, want a connection error", resp.StatusCode)
	}
	if _, err := s.InjectCall(CallSpec{AgentID: "1002"}); err != nil {
		t.Fatalf("the call model must survive a node kill: %v", err)
	}
	if err := s.RestoreNode(NodeA); err != nil {
		t.Fatal(err)
	}
	if got := s.Node(NodeA).RESTPort(); got != port {
		t.Errorf("restored port: got %d, want %d", got, port)
	}
	if st := mustTree(t, a.r.must(200, "GET", "/finesse/api/User/1002", "", "")).text("state"); st != "RESERVED" {
		t.Errorf("state after restore: got %q, want RESERVED", st)
	}
	x := dialXMPP(t, s, NodeA, "1002", "secret2", false)
	a.r.setState("NOT_READY", "", "")
	x.expect("user PUT RESERVED/pending=NOT_READY")
}

// TestDropXMPPNoReplay: dropped sessions get no history after reconnecting.
func TestDropXMPPNoReplay(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	a := signIn(t, s, NodeB, "1001", false)
	if err := s.DropXMPP(NodeB); err != nil {
		t.Fatal(err)
	}
	select {
	case _, ok := <-a.x.updates:
		if ok {
			t.Fatalf("got a notification, want the connection closed")
		}
	case <-time.After(waitFor):
		t.Fatalf("DropXMPP did not close the session")
	}
	a.r.setState("READY", "", "") // published while disconnected
	x := dialXMPP(t, s, NodeB, "1001", "secret1", false)
	x.quiet(100 * time.Millisecond)
	a.r.setState("NOT_READY", "", "")
	x.expect("user PUT NOT_READY")
}

func TestRESTFault(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	r := newREST(t, s, NodeA, "1001", "secret1")
	if err := s.SetRESTFault(NodeA, Fault{Status: 503, Latency: 30 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	status, body := r.do("GET", "/finesse/api/SystemInfo", "", "")
	if status != 503 || time.Since(start) < 30*time.Millisecond || !strings.Contains(body, "SERVER_OUT_OF_SERVICE") {
		t.Errorf("fault: got %d %s after %v", status, body, time.Since(start))
	}
	newREST(t, s, NodeB, "1001", "secret1").must(200, "GET", "/finesse/api/SystemInfo", "", "")
	if err := s.SetRESTFault(NodeA, Fault{}); err != nil {
		t.Fatal(err)
	}
	r.must(200, "GET", "/finesse/api/SystemInfo", "", "")
	if err := s.SetRESTFault("C", Fault{}); err == nil {
		t.Errorf("unknown node: got nil error")
	}
}

// TestSystemInfoNodes: each node reports its own domain and both nodes.
func TestSystemInfoNodes(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{Deployment: UCCX})
	for _, id := range []NodeID{NodeA, NodeB} {
		si := mustTree(t, newREST(t, s, id, "1001", "secret1").must(200, "GET", "/finesse/api/SystemInfo", "", ""))
		n := s.Node(id)
		checks := map[string]string{
			si.text("xmppDomain"): n.XMPPDomain(), si.text("xmppPubSubDomain"): "pubsub." + n.XMPPDomain(),
			si.text("deploymentType"): "UCCX", si.text("primaryNode", "host"): "finesse-a.sim.test",
			si.text("secondaryNode", "host"):           "finesse-b.sim.test",
			si.text("secondaryNode", "xmppSecurePort"): itoa(s.Node(NodeB).XMPPTLSPort()),
		}
		for got, want := range checks {
			if got != want {
				t.Errorf("node %s SystemInfo: got %q, want %q", id, got, want)
			}
		}
	}
}

// TestControlAPI drives the simulator over its HTTP control API.
func TestControlAPI(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	a := signIn(t, s, NodeA, "1002", true)
	ctl := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{}}
	t.Cleanup(ctl.CloseIdleConnections)
	call := func(method, path, body string, want int) string {
		t.Helper()
		req, _ := http.NewRequest(method, s.ControlURL()+path, strings.NewReader(body))
		resp, err := ctl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Fatalf("%s %s: got %d %s, want %d", method, path, resp.StatusCode, b, want)
		}
		return string(b)
	}
	call("GET", "/healthz", "", 200)
	var created struct{ DialogID string }
	out := call("POST", "/calls", `{"queue":"Sales","ani":"4085550100","dnis":"8000","variables":[{"name":"callVariable1","value":"x"}]}`, 201)
	if err := json.Unmarshal([]byte(out), &created); err != nil || created.DialogID == "" {
		t.Fatalf("POST /calls: %s (%v)", out, err)
	}
	a.x.expect("user PUT RESERVED", "dialogs POST ALERTING[5002:ALERTING,4085550100:INITIATED]")
	call("POST", "/calls", `{"agentId":"1001"}`, 409)
	call("POST", "/calls", `{"bogus":1}`, 400)
	if !strings.Contains(call("GET", "/dialogs", "", 200), created.DialogID) {
		t.Errorf("GET /dialogs does not list %s", created.DialogID)
	}
	if !strings.Contains(call("GET", "/agents", "", 200), `"state":"RESERVED"`) {
		t.Errorf("GET /agents does not show RESERVED")
	}
	call("DELETE", "/calls/"+created.DialogID, "", 204)
	call("DELETE", "/calls/"+created.DialogID, "", 404)
	a.x.expect("dialog PUT ALERTING[5002:ALERTING,4085550100:DROPPED]", "dialog PUT DROPPED[5002:DROPPED,4085550100:DROPPED]",
		"dialogs DELETE DROPPED[5002:DROPPED,4085550100:DROPPED]", "user PUT READY")
	call("POST", "/nodes/a/status", `{"inService":false}`, 204)
	a.x.expect("systemInfo PUT OUT_OF_SERVICE")
	call("POST", "/nodes/A/status", `{}`, 400)
	call("POST", "/nodes/A/status", `{"inService":true}`, 204)
	a.x.expect("systemInfo PUT IN_SERVICE", "user PUT READY")
	call("POST", "/nodes/B/fault", `{"status":503,"latencyMs":1}`, 204)
	if st, _ := newREST(t, s, NodeB, "1002", "secret2").do("GET", "/finesse/api/SystemInfo", "", ""); st != 503 {
		t.Errorf("fault via control API: got %d, want 503", st)
	}
	call("POST", "/nodes/B/fault", `{"status":7}`, 400)
	call("POST", "/nodes/Z/kill", "", 404)
	call("POST", "/nodes/A/drop-xmpp", "", 204)
	call("POST", "/nodes/B/kill", "", 204)
	call("POST", "/nodes/B/restore", "", 204)
}

// TestRESTFaultCount: a fault limited to N requests answers those N with
// it and then clears itself (a short 503 burst).
func TestRESTFaultCount(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	r := newREST(t, s, NodeA, "1001", "secret1")
	if err := s.SetRESTFault(NodeA, Fault{Status: 503, Count: 2}); err != nil {
		t.Fatal(err)
	}
	var got []int
	for range 3 {
		status, _ := r.do("GET", "/finesse/api/SystemInfo", "", "")
		got = append(got, status)
	}
	if got[0] != 503 || got[1] != 503 || got[2] != 200 {
		t.Errorf("statuses = %v, want 503, 503, then 200", got)
	}
}

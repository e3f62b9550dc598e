package finessesim

import (
	"bytes"
	"context"
	"crypto/tls"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

func wsClient(s *Sim) *http.Client {
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.CAPool()}}}
}

func wsURL(s *Sim, id NodeID) string {
	return strings.Replace(s.Node(id).RESTURL(), "https://", "wss://", 1) + "/ws"
}

// TestWebSocketEndpoint: /ws speaks RFC 7395 (an <open/> is answered with
// one, then stream features), refuses a client without the xmpp
// subprotocol, and answers 404 once switched off through the control API.
func TestWebSocketEndpoint(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{Seed: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, wsURL(s, NodeA), &websocket.DialOptions{HTTPClient: wsClient(s), Subprotocols: []string{"xmpp"}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.CloseNow()
	if c.Subprotocol() != "xmpp" {
		t.Fatalf("subprotocol = %q", c.Subprotocol())
	}
	open := `<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="finesse-a.sim.test" version="1.0"/>`
	if err := c.Write(ctx, websocket.MessageText, []byte(open)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<open", "mechanism"} {
		_, msg, err := c.Read(ctx)
		if err != nil || !bytes.Contains(msg, []byte(want)) {
			t.Fatalf("read = %q, %v; want a message with %q", msg, err, want)
		}
	}

	bare, _, err := websocket.Dial(ctx, wsURL(s, NodeA), &websocket.DialOptions{HTTPClient: wsClient(s)})
	if err != nil {
		t.Fatalf("dial without subprotocol: %v", err)
	}
	_, _, err = bare.Read(ctx)
	if websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
		t.Errorf("without the xmpp subprotocol: read err = %v, want a policy-violation close", err)
	}

	resp, err := http.Post(s.ControlURL()+"/nodes/A/websocket", "application/json", strings.NewReader(`{"on":false}`))
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("control websocket off: %v %v", resp, err)
	}
	resp.Body.Close()
	_, resp, err = websocket.Dial(ctx, wsURL(s, NodeA), &websocket.DialOptions{HTTPClient: wsClient(s), Subprotocols: []string{"xmpp"}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("switched off: err %v, response %v; want 404", err, resp)
	}
	if n := s.WebSocketSessions(NodeA); n != 0 {
		t.Errorf("WebSocket sessions after switching off = %d", n)
	}
}

// TestVPNLessProxy: the proxy serves REST under its prefix and nothing
// outside it, and answers 502 while the node behind it is dead.
func TestVPNLessProxy(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{Seed: 2, VPNLess: true, ProxyPrefix: "/fin"})
	hc := wsClient(s)
	get := func(url string) int {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.SetBasicAuth("1001", "secret1")
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	p := s.Node(NodeA).ProxyURL()
	if !strings.HasSuffix(p, "/fin") {
		t.Fatalf("ProxyURL = %q", p)
	}
	if got := get(p + "/finesse/api/SystemInfo"); got != http.StatusOK {
		t.Errorf("SystemInfo through the proxy = %d, want 200", got)
	}
	if got := get(strings.TrimSuffix(p, "/fin") + "/finesse/api/SystemInfo"); got != http.StatusNotFound {
		t.Errorf("outside the prefix = %d, want 404", got)
	}
	if err := s.KillNode(NodeA); err != nil {
		t.Fatal(err)
	}
	if got := get(p + "/finesse/api/SystemInfo"); got != http.StatusBadGateway {
		t.Errorf("node dead behind the proxy = %d, want 502", got)
	}
	if _, err := Start(context.Background(), Config{VPNLess: true, ProxyPrefix: "fin/"}); err == nil {
		t.Error("a bad proxy prefix started")
	}
}

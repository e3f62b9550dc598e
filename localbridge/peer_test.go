package localbridge

import (
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/localbridge/peercred"
)

// TestAnotherUserRefusedAtAccept: a connection whose peer belongs to
// another OS user is closed before any byte of HTTP or WebSocket, with the
// right Origin and the right token. The lookup is faked here; the root
// test in peer_root_test.go uses a real second user.
func TestAnotherUserRefusedAtAccept(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config, _ *core.Config) {
		c.peerLookup = func(net.Addr, net.Addr) (peercred.Peer, error) {
			return peercred.Peer{UID: "4242", User: "mallory"}, nil
		}
	})
	req, _ := http.NewRequest(http.MethodGet, h.base+"/v1/status", nil)
	req.Header.Set("Origin", crmOrigin)
	req.Header.Set("Authorization", "Bearer "+testToken)
	cl := &http.Client{Timeout: waitFor}
	if resp, err := cl.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("HTTP from another user: status %d, want the connection closed", resp.StatusCode)
	}
	if c, _, err := h.dialWS(crmOrigin, http.Header{"Authorization": {"Bearer " + testToken}}); err == nil {
		c.CloseNow()
		t.Fatal("WebSocket from another user was accepted")
	}
	// Not a byte: a raw connection reads EOF without a response.
	conn, err := net.Dial("tcp", h.srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(waitFor))
	_, _ = conn.Write([]byte("GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
	if n, _ := conn.Read(make([]byte, 64)); n != 0 {
		t.Errorf("another user read %d bytes", n)
	}
	if len(h.srv.Clients()) != 0 {
		t.Error("a client of another user is registered")
	}
}

// TestPeerRecorded: the real lookup finds this process behind a toolbar's
// connection, and the client list, the monitor and the audit trail name it.
func TestPeerRecorded(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("peer lookup is built for Linux only")
	}
	t.Parallel()
	h := newHarness(t)
	c := h.connect(t)
	c.handshake(map[string]any{"agentId": "1001"})
	c.login()
	cs := h.srv.Clients()
	if len(cs) != 1 {
		t.Fatalf("clients = %d, want 1", len(cs))
	}
	self, _ := peercred.Self()
	if p := cs[0].Peer; p.UID != self || p.PID != os.Getpid() {
		t.Errorf("client peer = %+v, want uid %s pid %d", p, self, os.Getpid())
	}
	es, _ := h.fetchAudit(t)
	if len(es) == 0 || !strings.Contains(es[0].Peer, "pid "+strconv.Itoa(os.Getpid())) {
		t.Errorf("audit entries %+v do not name this process", es)
	}
}

package localbridge

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/agentlink/agentlink/core"
)

// rawGet sends GET /healthz on a kept-alive raw connection and reports
// whether a response came back (false: the bridge closed it unanswered).
func rawGet(t *testing.T, c net.Conn) bool {
	t.Helper()
	_ = c.SetDeadline(time.Now().Add(waitFor))
	if _, err := c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")); err != nil {
		return false
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func dialN(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	var cs []net.Conn
	for range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		cs = append(cs, c)
	}
	return cs
}

// TestConnCapPerBridge: with the cap at 3, the 4th open connection is
// closed unanswered; once one closes, a new one is served again.
func TestConnCapPerBridge(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config, _ *core.Config) { c.MaxConns, c.MaxConnsPerProcess = 3, 100 })
	cs := dialN(t, h.srv.Addr(), 3)
	for i, c := range cs {
		if !rawGet(t, c) {
			t.Fatalf("connection %d under the cap was not served", i+1)
		}
	}
	if rawGet(t, dialN(t, h.srv.Addr(), 1)[0]) {
		t.Fatal("the 4th connection was served")
	}
	cs[0].Close()
	deadline := time.Now().Add(waitFor)
	for !rawGet(t, dialN(t, h.srv.Addr(), 1)[0]) {
		if time.Now().After(deadline) {
			t.Fatal("a slot freed by a closed connection was never reused")
		}
	}
}

// TestConnCapPerProcess: one process may hold 2 here; the 3rd is refused.
func TestConnCapPerProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the peer process is found on Linux only")
	}
	t.Parallel()
	h := newHarness(t, func(c *Config, _ *core.Config) { c.MaxConns, c.MaxConnsPerProcess = 100, 2 })
	cs := dialN(t, h.srv.Addr(), 3)
	if !rawGet(t, cs[0]) || !rawGet(t, cs[1]) {
		t.Fatal("connections under the cap were not served")
	}
	if rawGet(t, cs[2]) {
		t.Fatal("the 3rd connection of one process was served")
	}
}

// TestNoHelloClosed: a WebSocket that sends no Hello in time is closed.
func TestNoHelloClosed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config, _ *core.Config) { c.handshakeTimeout = 200 * time.Millisecond })
	c, _, err := h.dialWS(crmOrigin, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	_, _, err = c.Read(ctx)
	if websocket.CloseStatus(err) != statusPolicy || !strings.Contains(err.Error(), "no Hello") {
		t.Fatalf("read = %v, want close 1008 no Hello", err)
	}
}

// TestSilentClosed: a client that stops reading (so never answers a
// ping) is closed after the idle timeout; one that reads stays.
func TestSilentClosed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config, _ *core.Config) { c.idleTimeout = 400 * time.Millisecond })
	silent := h.connect(t)
	silent.call("Hello", map[string]any{})
	live := h.connect(t)
	live.call("Hello", map[string]any{})
	liveErr := make(chan error, 1)
	go func() {
		for { // reading answers pings
			if _, _, err := live.conn.Read(context.Background()); err != nil {
				liveErr <- err
				return
			}
		}
	}()
	deadline := time.After(waitFor)
	for len(h.srv.Clients()) != 1 {
		select {
		case <-deadline:
			t.Fatalf("clients = %d, want the silent one closed", len(h.srv.Clients()))
		case <-h.srv.Changes():
		case <-time.After(50 * time.Millisecond):
		}
	}
	// The live one survives several more idle periods.
	select {
	case err := <-liveErr:
		t.Fatalf("the live client was closed: %v", err)
	case <-time.After(1500 * time.Millisecond):
	}
	live.conn.CloseNow()
	<-liveErr
}

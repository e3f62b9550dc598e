package finesse

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
)

// The WebSocket half of the Prosody interop test: our RFC 7395 client
// against Prosody's own mod_websocket (an implementation we did not write),
// the same publish/subscribe round trip as TestProsodyInterop.

func (p *prosody) wsURL() string {
	return "wss://localhost:" + strconv.Itoa(p.https) + "/xmpp-websocket"
}

func (p *prosody) wsOptions(user, pass string, pool *x509.CertPool) xmppOptions {
	return xmppOptions{ServerName: "localhost", Domain: "localhost", Creds: creds{user: user, pass: pass}, Resource: "agentlink",
		TLS: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, PingInterval: 2 * time.Second,
		HandshakeTimeout: 10 * time.Second, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func (p *prosody) dialWS(t *testing.T, user, pass string) *wsConn {
	t.Helper()
	c, err := dialWS(context.Background(), p.wsOptions(user, pass, p.pool), p.wsURL())
	if err != nil {
		t.Fatalf("dial websocket as %s: %v", user, err)
	}
	t.Cleanup(c.Close)
	return c
}

func TestProsodyWebSocketInterop(t *testing.T) {
	p := startProsody(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	node := "/finesse/api/User/1001"
	pub := p.dialWS(t, "publisher", "secret2")
	agent := p.dialWS(t, "agent1", "secret1")
	createNode := `<pubsub xmlns="http://jabber.org/protocol/pubsub"><create node="` + node + `"/></pubsub>`
	if _, err := pub.iq(ctx, "pubsub.localhost", "set", createNode); err != nil {
		t.Fatalf("create node: %v", err)
	}
	if err := agent.subscribe(ctx, "pubsub.localhost", node); err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	payload := update("<user><loginId>1001</loginId><extension>5001</extension><state>READY</state></user>", "PUT", "rid-ws", node)
	publish := `<pubsub xmlns="http://jabber.org/protocol/pubsub"><publish node="` + node + `"><item>` +
		`<notification xmlns="http://jabber.org/protocol/pubsub">` + html.EscapeString(payload) + `</notification></item></publish></pubsub>`
	if _, err := pub.iq(ctx, "pubsub.localhost", "set", publish); err != nil {
		t.Fatalf("publish: %v", err)
	}
	select {
	case it := <-agent.Items():
		ups, err := decodeItem(it.node, it.inner)
		if err != nil {
			t.Fatalf("decodeItem: %v", err)
		}
		if len(ups) != 1 || ups[0].Kind != core.UpdateAgent || ups[0].Agent.State != core.StateReady || ups[0].RequestID != "rid-ws" {
			t.Errorf("updates = %+v, want one READY agent update with request id rid-ws", ups)
		}
	case <-agent.Done():
		t.Fatalf("agent connection ended: %v", agent.Err())
	case <-ctx.Done():
		t.Fatal("no pub-sub event within the deadline")
	}
}

// TestProsodyWebSocketRefusals: a wrong password is a refused sign-in (not
// a reason for auto to try TCP), an unknown CA an untrusted certificate,
// and a path without XMPP over WebSocket is "not offered".
func TestProsodyWebSocketRefusals(t *testing.T) {
	p := startProsody(t)
	tests := []struct {
		name, pass, url string
		pool            *x509.CertPool
		want            error
	}{
		{"wrong password", "wrong", p.wsURL(), p.pool, core.ErrWrongCredentials},
		{"untrusted", "secret1", p.wsURL(), x509.NewCertPool(), core.ErrUntrustedCertificate},
		{"no websocket at the path", "secret1", fmt.Sprintf("wss://localhost:%d/ws", p.https), p.pool, errWSUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := dialWS(context.Background(), p.wsOptions("agent1", tt.pass, tt.pool), tt.url)
			if c != nil {
				c.Close()
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestProsodyWebSocketWatchdog freezes Prosody (SIGSTOP): the WebSocket
// stays open but silent, and only our ping watchdog can notice.
func TestProsodyWebSocketWatchdog(t *testing.T) {
	p := startProsody(t)
	o := p.wsOptions("agent1", "secret1", p.pool)
	o.PingInterval = 200 * time.Millisecond
	c, err := dialWS(context.Background(), o, p.wsURL())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := p.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = p.cmd.Process.Signal(syscall.SIGCONT) }()
	select {
	case <-c.Done():
		if !errors.Is(c.Err(), core.ErrUnreachable) || !strings.Contains(c.Err().Error(), "missed pings") {
			t.Errorf("err = %v, want ErrUnreachable from the watchdog", c.Err())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("watchdog did not fire within 5s")
	}
}

// TestWebSocketHandshakeTimeout: a server that accepts TCP and never
// answers the upgrade must not hang the connect.
func TestWebSocketHandshakeTimeout(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			_, _ = io.Copy(io.Discard, c) // until the client gives up
			c.Close()
		}
	}()
	o := xmppOptions{ServerName: "localhost", Domain: "localhost", Creds: creds{user: "a", pass: "b"}, Resource: "agentlink",
		TLS: &tls.Config{MinVersion: tls.VersionTLS12}, PingInterval: time.Second,
		HandshakeTimeout: 300 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	start := time.Now()
	_, err = dialWS(context.Background(), o, "wss://"+ln.Addr().String()+"/ws")
	if !errors.Is(err, core.ErrUnreachable) || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("err = %v, want ErrUnreachable (timed out)", err)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("took %v, want about the 300ms handshake timeout", el)
	}
}

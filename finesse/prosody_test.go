package finesse

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
)

// The Prosody interop test runs our XMPP wrapper against a real, independent
// XMPP server (Debian's prosody, deps.md §2.5), over direct TLS and STARTTLS:
// connect, presence, explicit subscribe, a publisher publishes a
// Finesse-format escaped Update, and our decoder yields the right update.

const prosodyBin = "/usr/bin/prosody"

type prosody struct {
	cmd                *exec.Cmd
	dir                string
	startTLS, directTL int
	pool               *x509.CertPool
}

func startProsody(t *testing.T) *prosody {
	t.Helper()
	if _, err := os.Stat(prosodyBin); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("prosody not installed (%v); set CI=1 to make this fatal", err)
		}
		t.Fatalf("prosody required in CI: %v", err)
	}
	p := &prosody{dir: t.TempDir(), startTLS: freePort(t), directTL: freePort(t)}
	p.pool = writeCert(t, p.dir)
	cfg := filepath.Join(p.dir, "prosody.cfg.lua")
	if err := os.WriteFile(cfg, []byte(p.config()), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, u := range [][2]string{{"agent1", "secret1"}, {"publisher", "secret2"}} {
		out, err := exec.Command("/usr/bin/prosodyctl", "--config", cfg, "register", u[0], "localhost", u[1]).CombinedOutput()
		if err != nil {
			t.Fatalf("prosodyctl register %s: %v\n%s", u[0], err, out)
		}
	}
	cmd := exec.Command(prosodyBin, "--config", cfg, "-F")
	p.cmd = cmd
	logf, err := os.Create(filepath.Join(p.dir, "stdout.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("start prosody: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // by PID: only the process we started
		_ = cmd.Wait()
		logf.Close()
	})
	waitPort(t, p.startTLS)
	waitPort(t, p.directTL)
	return p
}

func (p *prosody) config() string {
	return fmt.Sprintf(`local base = %q
run_as_root = true
pidfile = base .. "/prosody.pid"
data_path = base .. "/data"
log = { { levels = { min = "warn" }, to = "file", filename = base .. "/prosody.log" } }
interfaces = { "127.0.0.1" }
c2s_ports = { %d }
c2s_direct_tls_ports = { %d }
s2s_ports = { }; component_ports = { }; http_ports = { }; https_ports = { }
modules_enabled = { "roster", "saslauth", "tls", "disco", "ping", "posix" }
modules_disabled = { "s2s", "offline", "c2s_limits" }
c2s_require_encryption = true
authentication = "internal_hashed"
ssl = { certificate = base .. "/cert.pem", key = base .. "/key.pem" }
admins = { "publisher@localhost" }
VirtualHost "localhost"
Component "pubsub.localhost" "pubsub"
`, p.dir, p.startTLS, p.directTL)
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitPort waits, with a deadline, until something listens on port.
func waitPort(t *testing.T, port int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("prosody did not listen on %d: %v", port, err)
		}
		<-tick.C
	}
}

// writeCert writes a self-signed certificate for localhost and
// pubsub.localhost into dir and returns a pool trusting it.
func writeCert(t *testing.T, dir string) *x509.CertPool {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		DNSNames: []string{"localhost", "pubsub.localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, IsCA: true, BasicConstraintsValid: true,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
	if err := os.WriteFile(filepath.Join(dir, "cert.pem"), certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "key.pem"), keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	return pool
}

func (p *prosody) dial(t *testing.T, mode XMPPTLSMode, user, pass string) *xmppConn {
	t.Helper()
	port := p.directTL
	if mode == StartTLS {
		port = p.startTLS
	}
	c, err := dialXMPP(context.Background(), xmppOptions{
		Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), ServerName: "localhost", Domain: "localhost",
		Creds: creds{user: user, pass: pass}, Resource: "agentlink", Mode: mode,
		TLS: &tls.Config{RootCAs: p.pool, MinVersion: tls.VersionTLS12}, PingInterval: 2 * time.Second,
		HandshakeTimeout: 10 * time.Second, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatalf("dial %s as %s: %v", mode, user, err)
	}
	t.Cleanup(c.Close)
	return c
}

func TestProsodyInterop(t *testing.T) {
	p := startProsody(t)
	for i, mode := range []XMPPTLSMode{DirectTLS, StartTLS} {
		t.Run(mode.String(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			node := fmt.Sprintf("/finesse/api/User/1001%d", i)
			pub := p.dial(t, mode, "publisher", "secret2")
			agent := p.dial(t, mode, "agent1", "secret1")
			createNode := `<pubsub xmlns="http://jabber.org/protocol/pubsub"><create node="` + node + `"/></pubsub>`
			if _, err := pub.iq(ctx, "pubsub.localhost", "set", createNode); err != nil {
				t.Fatalf("create node: %v", err)
			}
			if err := agent.subscribe(ctx, "pubsub.localhost", node); err != nil {
				t.Fatalf("subscribe: %v", err)
			}
			payload := update("<user><loginId>1001</loginId><extension>5001</extension><state>READY</state></user>", "PUT", "rid-7", node)
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
				if len(ups) != 1 || ups[0].Kind != core.UpdateAgent || ups[0].Agent.State != core.StateReady || ups[0].RequestID != "rid-7" {
					t.Errorf("updates = %+v, want one READY agent update with request id rid-7", ups)
				}
			case <-agent.Done():
				t.Fatalf("agent connection ended: %v", agent.Err())
			case <-ctx.Done():
				t.Fatal("no pub-sub event within the deadline")
			}
		})
	}
}

func (p *prosody) options(mode XMPPTLSMode, user, pass string, pool *x509.CertPool) xmppOptions {
	port := p.directTL
	if mode == StartTLS {
		port = p.startTLS
	}
	return xmppOptions{
		Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), ServerName: "localhost", Domain: "localhost",
		Creds: creds{user: user, pass: pass}, Resource: "agentlink", Mode: mode,
		TLS: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, PingInterval: 200 * time.Millisecond,
		HandshakeTimeout: 5 * time.Second, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

func TestProsodyRefusals(t *testing.T) {
	p := startProsody(t)
	tests := []struct {
		name string
		mode XMPPTLSMode
		pass string
		pool *x509.CertPool
		want error
	}{
		{"wrong password direct TLS", DirectTLS, "wrong", p.pool, core.ErrWrongCredentials},
		{"wrong password STARTTLS", StartTLS, "wrong", p.pool, core.ErrWrongCredentials},
		{"untrusted direct TLS", DirectTLS, "secret1", x509.NewCertPool(), core.ErrUntrustedCertificate},
		{"untrusted STARTTLS", StartTLS, "secret1", x509.NewCertPool(), core.ErrUntrustedCertificate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := dialXMPP(context.Background(), p.options(tt.mode, "agent1", tt.pass, tt.pool))
			if c != nil {
				c.Close()
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.want == core.ErrUntrustedCertificate && !strings.Contains(err.Error(), "ca_file") {
				t.Errorf("err = %v, want a hint about ca_file", err)
			}
		})
	}
}

// TestProsodyWatchdog freezes the server (SIGSTOP): the connection stays
// open but silent, and only our ping watchdog can notice.
func TestProsodyWatchdog(t *testing.T) {
	p := startProsody(t)
	c, err := dialXMPP(context.Background(), p.options(DirectTLS, "agent1", "secret1", p.pool))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := p.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = p.cmd.Process.Signal(syscall.SIGCONT) }()
	start := time.Now()
	select {
	case <-c.Done():
		if !errors.Is(c.Err(), core.ErrUnreachable) || !strings.Contains(c.Err().Error(), "missed pings") {
			t.Errorf("err = %v, want ErrUnreachable from the watchdog", c.Err())
		}
		if el := time.Since(start); el < 400*time.Millisecond {
			t.Errorf("declared dead after %v, want about 2.5 ping intervals (500ms)", el)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("watchdog did not fire within 5s")
	}
}

// TestHandshakeTimeout: a server that accepts TCP and never speaks must not
// hang the connect (go-xmpp has no handshake deadline of its own).
func TestHandshakeTimeout(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			accepted <- c
		}
	}()
	o := xmppOptions{Addr: ln.Addr().String(), ServerName: "localhost", Domain: "localhost", Creds: creds{user: "a", pass: "b"},
		Resource: "agentlink", TLS: &tls.Config{MinVersion: tls.VersionTLS12}, PingInterval: time.Second,
		HandshakeTimeout: 300 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	start := time.Now()
	_, err = dialXMPP(context.Background(), o)
	if !errors.Is(err, core.ErrUnreachable) || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("err = %v, want ErrUnreachable (timed out)", err)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("took %v, want about the 300ms handshake timeout", el)
	}
	select {
	case c := <-accepted:
		c.Close()
	case <-time.After(time.Second):
		t.Error("server never saw the connection")
	}
}

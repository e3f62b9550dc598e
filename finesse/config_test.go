package finesse

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
)

func TestNewLinkValidation(t *testing.T) {
	t.Parallel()
	notPEM := filepath.Join(t.TempDir(), "x.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := Endpoint{Host: "fin-a.example.com"}
	tests := []struct {
		name  string
		cfg   Config
		field string
	}{
		{"side B without side A", Config{SideB: Endpoint{Host: "b"}}, "SideA.Host"},
		{"side A ports without host", Config{SideA: Endpoint{RESTPort: 8445}}, "SideA.Host"},
		{"host with a space", Config{SideA: Endpoint{Host: "finesse a"}}, "SideA.Host"},
		{"host with a scheme", Config{SideA: a, SideB: Endpoint{Host: "https://b"}}, "SideB.Host"},
		{"desktop resource", Config{SideA: a, Resource: "desktop"}, "Resource"},
		{"Desktop resource", Config{SideA: a, Resource: "Desktop"}, "Resource"},
		{"slash resource", Config{SideA: a, Resource: "a/b"}, "Resource"},
		{"bad port", Config{SideA: Endpoint{Host: "h", RESTPort: 70000}}, "SideA.RESTPort"},
		{"B ports without host", Config{SideA: a, SideB: Endpoint{RESTPort: 8445}}, "SideB.Host"},
		{"bad mode", Config{SideA: a, XMPPTLS: 7}, "XMPPTLS"},
		{"negative timeout", Config{SideA: a, RESTTimeout: -time.Second}, "RESTTimeout/PingInterval/HandshakeTimeout/OutOfServiceGrace"},
		{"backoff min > max", Config{SideA: a, Backoff: BackoffConfig{Min: time.Second, Max: time.Millisecond}}, "Backoff"},
		{"missing CA file", Config{SideA: a, CAFile: "/nonexistent/ca.pem"}, "CAFile"},
		{"CA file without PEM", Config{SideA: a, CAFile: notPEM}, "CAFile"},
		{"agent id with @", Config{SideA: a, AgentID: "1001@x"}, "AgentID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewLink(tt.cfg)
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Field != tt.field {
				t.Errorf("err = %v, want ConfigError on %s", err, tt.field)
			}
		})
	}
}

func TestNewLinkDefaults(t *testing.T) {
	t.Parallel()
	l, err := NewLink(Config{SideA: Endpoint{Host: "a"}, SideB: Endpoint{Host: "b"}, XMPPTLS: StartTLS})
	if err != nil {
		t.Fatal(err)
	}
	c := l.cfg
	if c.SideA.RESTPort != 8445 || c.SideA.XMPPPort != 5222 || c.SideB.XMPPPort != 5222 || c.Resource != "agentlink" ||
		c.RESTTimeout != 10*time.Second || c.PingInterval != 10*time.Second || c.Backoff.Min != 250*time.Millisecond ||
		c.Backoff.Max != 15*time.Second || len(l.sides) != 2 {
		t.Errorf("defaults not applied: %+v", c)
	}
	l1, err := NewLink(Config{SideA: Endpoint{Host: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	if l1.cfg.SideA.XMPPPort != 5223 || len(l1.sides) != 1 {
		t.Errorf("direct TLS default port = %d sides = %d, want 5223 and 1", l1.cfg.SideA.XMPPPort, len(l1.sides))
	}
}

func TestSendValidation(t *testing.T) {
	t.Parallel()
	l, err := NewLink(Config{SideA: Endpoint{Host: "127.0.0.1", RESTPort: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		name string
		cmd  core.Command
		want error
	}{
		{"login without id", core.Command{Kind: core.CmdLogin, Password: "p", Extension: "1"}, core.ErrInvalidCommand},
		{"login without password", core.Command{Kind: core.CmdLogin, AgentID: "1", Extension: "1"}, core.ErrInvalidCommand},
		{"login without extension", core.Command{Kind: core.CmdLogin, AgentID: "1", Password: "p"}, core.ErrInvalidCommand},
		{"ready before login", core.Command{Kind: core.CmdReady}, core.ErrNotLoggedIn},
		{"unknown kind", core.Command{Kind: "Dance"}, core.ErrInvalidCommand},
		{"answer without dialog", core.Command{Kind: core.CmdAnswer}, core.ErrInvalidCommand},
		{"consult without number", core.Command{Kind: core.CmdConsult, DialogID: "1"}, core.ErrInvalidCommand},
		{"sst without number", core.Command{Kind: core.CmdSingleStepTransfer, DialogID: "1"}, core.ErrInvalidCommand},
		{"dtmf without digits", core.Command{Kind: core.CmdSendDTMF, DialogID: "1"}, core.ErrInvalidCommand},
		{"wrap-up without reason", core.Command{Kind: core.CmdWrapUp, DialogID: "1"}, core.ErrInvalidCommand},
		{"call data without variables", core.Command{Kind: core.CmdUpdateCallData, DialogID: "1"}, core.ErrInvalidCommand},
		{"make call without number", core.Command{Kind: core.CmdMakeCall}, core.ErrInvalidCommand},
		{"hold before login", core.Command{Kind: core.CmdHold, DialogID: "1"}, core.ErrNotLoggedIn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := l.Send(ctx, tt.cmd); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	// With credentials but no known extension, dialog actions need a login.
	l.SetCredentials("1001", "x")
	if err := l.Send(ctx, core.Command{Kind: core.CmdHold, DialogID: "1"}); !errors.Is(err, core.ErrNotLoggedIn) {
		t.Errorf("hold without extension: err = %v, want ErrNotLoggedIn", err)
	}
}

func TestLoginWaitsForRunAndHonoursContext(t *testing.T) {
	t.Parallel()
	l, err := NewLink(Config{SideA: Endpoint{Host: "127.0.0.1", RESTPort: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err = l.Send(ctx, core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "p", Extension: "5001"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded (no Run, so no connection)", err)
	}
}

// TestProxyTrap touches the environment, so it is not parallel.
func TestProxyTrap(t *testing.T) {
	tests := []struct {
		proxy, noProxy, want string
	}{
		{"", "", ""},
		{"http://proxy:3128", "", "http://proxy:3128"},
		{"http://proxy:3128", "localhost,127.0.0.1", ""},
		{"http://proxy:3128", "example.com", "http://proxy:3128"},
	}
	for _, tt := range tests {
		t.Setenv("HTTP_PROXY", tt.proxy)
		t.Setenv("http_proxy", "")
		t.Setenv("NO_PROXY", tt.noProxy)
		t.Setenv("no_proxy", "")
		if got := proxyTrap(); got != tt.want {
			t.Errorf("proxyTrap(HTTP_PROXY=%q NO_PROXY=%q) = %q, want %q", tt.proxy, tt.noProxy, got, tt.want)
		}
	}
}

func TestRunReturnsNilAndRefusesTwice(t *testing.T) {
	t.Parallel()
	l, err := NewLink(Config{SideA: Endpoint{Host: "127.0.0.1", RESTPort: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx, newRecSink()) }()
	// Wait until the first Run holds the slot, then a second must refuse.
	deadline := time.After(5 * time.Second)
	for !l.running.Load() {
		select {
		case <-deadline:
			t.Fatal("Run did not start")
		case <-time.After(time.Millisecond):
		}
	}
	if err := l.Run(ctx, newRecSink()); err == nil {
		t.Error("second concurrent Run: err = nil, want a refusal")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after cancel = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

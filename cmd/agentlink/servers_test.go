//go:build !nogui

package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse"
	"github.com/agentlink/agentlink/ui"
)

// fakeSetter records SetEndpoints calls.
type fakeSetter struct {
	got [][2]finesse.Endpoint
	err error
}

func (f *fakeSetter) SetEndpoints(a, b finesse.Endpoint) error {
	f.got = append(f.got, [2]finesse.Endpoint{a, b})
	return f.err
}

func TestReconnectFunc(t *testing.T) {
	tests := []struct {
		name      string
		plain     bool
		a, b      string
		want      [2]finesse.Endpoint // when no error
		wantSide  string              // side of the HostError; "" = none
		wantError string
	}{
		{name: "host only", a: "fa.example.com",
			want: [2]finesse.Endpoint{{Host: "fa.example.com", RESTPort: 8445, XMPPPort: 5223}}},
		{name: "both sides with ports", a: "fa.example.com:9443", b: "[::1]:8445",
			want: [2]finesse.Endpoint{{Host: "fa.example.com", RESTPort: 9443, XMPPPort: 5223}, {Host: "::1", RESTPort: 8445, XMPPPort: 5223}}},
		{name: "space in side A", a: "finesse a", wantSide: "A",
			wantError: `side A "finesse a" is not a host or host:port: it must be a host name with an optional port, without scheme or path, such as finesse-a.example.com or finesse-a.example.com:8445`},
		{name: "bad port on side B", a: "fa", b: "fb:99999", wantSide: "B",
			wantError: `side B "fb:99999" is not a host or host:port: it has an invalid port "99999": use 1-65535 (Finesse REST is on 8445)`},
		{name: "plain http to a real server", plain: true, a: "fa.example.com", wantSide: "A",
			wantError: `side A "fa.example.com" is not a loopback address, and plain_http is for the local simulator only`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cfg Config
			cfg.Finesse.XMPPPort, cfg.Finesse.PlainHTTP = 5223, tt.plain
			set := &fakeSetter{}
			err := reconnectFunc(cfg, set)(context.Background(), tt.a, tt.b)
			if tt.wantSide == "" {
				if err != nil {
					t.Fatalf("Reconnect(%q, %q) = %v, want nil", tt.a, tt.b, err)
				}
				if diff := cmp.Diff([][2]finesse.Endpoint{tt.want}, set.got); diff != "" {
					t.Errorf("SetEndpoints calls (-want +got):\n%s", diff)
				}
				return
			}
			var he *ui.HostError
			if !errors.As(err, &he) || he.Side != tt.wantSide || err.Error() != tt.wantError {
				t.Errorf("Reconnect(%q, %q) = %v, want HostError on side %s: %s", tt.a, tt.b, err, tt.wantSide, tt.wantError)
			}
			if len(set.got) != 0 {
				t.Errorf("SetEndpoints called %d times after a bad host, want 0", len(set.got))
			}
		})
	}
}

func TestReconnectFuncLinkError(t *testing.T) {
	set := &fakeSetter{err: &finesse.ConfigError{Field: "SideA.Host", Problem: "bad"}}
	err := reconnectFunc(Config{}, set)(context.Background(), "fa", "")
	var ce *finesse.ConfigError
	if !errors.As(err, &ce) {
		t.Errorf("Reconnect = %v, want the link's ConfigError wrapped", err)
	}
}

// TestFirstRunLink: without side_a the link is built anyway and takes the
// typed servers.
func TestFirstRunLink(t *testing.T) {
	var cfg Config
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	fc, err := finesseConfig(cfg, nil, log)
	if err != nil {
		t.Fatalf("finesseConfig without side_a: %v", err)
	}
	link, err := finesse.NewLink(fc)
	if err != nil {
		t.Fatalf("NewLink without side_a: %v", err)
	}
	if _, err := link.FetchAgent(context.Background()); !errors.Is(err, core.ErrUnreachable) {
		t.Errorf("FetchAgent without servers: err = %v, want ErrUnreachable (no Finesse server configured)", err)
	}
	if err := reconnectFunc(cfg, link)(context.Background(), "fa.example.com", "fb.example.com:9443"); err != nil {
		t.Fatalf("Reconnect on a real link: %v", err)
	}
	// Servers known now; what is missing is the sign-in.
	if _, err := link.FetchAgent(context.Background()); !errors.Is(err, core.ErrNotLoggedIn) {
		t.Errorf("FetchAgent after Reconnect: err = %v, want ErrNotLoggedIn", err)
	}
}

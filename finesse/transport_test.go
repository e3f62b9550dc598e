package finesse

import (
	"errors"
	"strings"
	"testing"
)

func TestTransportConfig(t *testing.T) {
	t.Parallel()
	bad := []struct {
		name  string
		cfg   Config
		field string
	}{
		{"unknown transport", Config{SideA: Endpoint{Host: "a"}, XMPPTransport: 7}, "XMPPTransport"},
		{"prefix without slash", Config{SideA: Endpoint{Host: "a", PathPrefix: "fin"}}, "SideA.PathPrefix"},
		{"prefix with trailing slash", Config{SideA: Endpoint{Host: "a"}, SideB: Endpoint{Host: "b", PathPrefix: "/fin/"}}, "SideB.PathPrefix"},
		{"prefix with query", Config{SideA: Endpoint{Host: "a", PathPrefix: "/f?x"}}, "SideA.PathPrefix"},
	}
	for _, tt := range bad {
		_, err := NewLink(tt.cfg)
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Field != tt.field {
			t.Errorf("%s: err = %v, want a ConfigError on %s", tt.name, err, tt.field)
		}
	}
	l, err := NewLink(Config{SideA: Endpoint{Host: "proxy.example.com", VPNLess: true, PathPrefix: "/fa"},
		SideB: Endpoint{Host: "b.example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	a, b := l.endpoint(0), l.endpoint(1)
	if got, want := l.wsURL(a), "wss://proxy.example.com:443/fa/ws"; got != want {
		t.Errorf("VPN-less wsURL = %q, want %q", got, want)
	}
	if got, want := l.wsURL(b), "wss://b.example.com:8445/ws"; got != want {
		t.Errorf("direct wsURL = %q, want %q", got, want)
	}
	if got := l.rest.baseURL(a); !strings.HasSuffix(got, ":443/fa") {
		t.Errorf("VPN-less REST base = %q, want the proxy port and prefix", got)
	}
	if l.transportFor(a) != TransportWebSocket || l.transportFor(b) != TransportTCP {
		t.Errorf("transports = %v/%v, want websocket for the VPN-less side, tcp otherwise", l.transportFor(a), l.transportFor(b))
	}
	if !l.sides[0].explicitREST {
		t.Error("a VPN-less side's port must not be replaced by an advertised one")
	}
}

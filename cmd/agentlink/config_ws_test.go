package main

import (
	"io"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/finesse"
)

func TestConfigTransportAndVPNLess(t *testing.T) {
	t.Parallel()
	path := writeFile(t, t.TempDir(), "config.toml", `
[finesse]
xmpp_transport = " WebSocket "
vpnless_a = "https://Proxy.example.com/finesse-a/"
vpnless_b = "https://proxy.example.com:8443"
agent_id = "1001"
extension = "5001"
`)
	cfg, err := loadConfig(path, true, nil)
	if err != nil {
		t.Fatalf("loadConfig: %v", err)
	}
	if cfg.Finesse.XMPPTransport != "websocket" || cfg.Finesse.VPNLessA != "https://Proxy.example.com:443/finesse-a" ||
		cfg.Finesse.VPNLessB != "https://proxy.example.com:8443" {
		t.Fatalf("finesse = %+v", cfg.Finesse)
	}
	if err := cfg.requireFinesse(); err != nil {
		t.Errorf("requireFinesse with vpnless_a only: %v", err)
	}
	fc, err := finesseConfig(cfg, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	wantA := finesse.Endpoint{Host: "Proxy.example.com", RESTPort: 443, VPNLess: true, PathPrefix: "/finesse-a"}
	wantB := finesse.Endpoint{Host: "proxy.example.com", RESTPort: 8443, VPNLess: true}
	if diff := cmp.Diff([]finesse.Endpoint{wantA, wantB}, []finesse.Endpoint{fc.SideA, fc.SideB}); diff != "" {
		t.Errorf("endpoints (-want +got):\n%s", diff)
	}
	if fc.XMPPTransport != finesse.TransportWebSocket {
		t.Errorf("transport = %v, want websocket", fc.XMPPTransport)
	}
	if _, err := finesse.NewLink(fc); err != nil {
		t.Errorf("NewLink refuses the VPN-less config: %v", err)
	}
}

func TestConfigTransportDefaultAndFlag(t *testing.T) {
	t.Parallel()
	cfg, err := loadConfig("", false, nil)
	if err != nil || cfg.Finesse.XMPPTransport != "tcp" {
		t.Fatalf("default transport = %q (%v), want tcp", cfg.Finesse.XMPPTransport, err)
	}
	cl, err := parseCommandLine([]string{"--xmpp-transport", "auto", "--vpnless-a", "https://p.example.com"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err = loadConfig("", false, cl.flags)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Finesse.XMPPTransport != "auto" || cfg.Finesse.VPNLessA != "https://p.example.com:443" {
		t.Errorf("from flags: %+v", cfg.Finesse)
	}
}

func TestConfigTransportErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file string
		want       []string
	}{
		{"bad transport", "[finesse]\nxmpp_transport = \"bosh\"\n",
			[]string{`finesse.xmpp_transport "bosh" must be "tcp"`, `"websocket"`, `"auto"`}},
		{"http proxy url", "[finesse]\nvpnless_a = \"http://p.example.com\"\n",
			[]string{`finesse.vpnless_a "http://p.example.com" must start with https://`}},
		{"bare host", "[finesse]\nvpnless_a = \"p.example.com\"\n", []string{`finesse.vpnless_a "p.example.com" must start with https://`}},
		{"query", "[finesse]\nvpnless_b = \"https://p.example.com/?x=1\"\n", []string{`finesse.vpnless_b`, "must not carry a user, query or fragment"}},
		{"bad port", "[finesse]\nvpnless_a = \"https://p.example.com:70000\"\n", []string{`finesse.vpnless_a`, `invalid port "70000"`}},
		{"both forms for A", "[finesse]\nside_a = \"fa.example.com\"\nvpnless_a = \"https://p.example.com\"\n",
			[]string{"finesse.side_a and finesse.vpnless_a both set side A"}},
		{"B without A", "[finesse]\nvpnless_b = \"https://p.example.com\"\n",
			[]string{"finesse.vpnless_b is set but side A is not"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := writeFile(t, t.TempDir(), "config.toml", tt.file)
			_, err := loadConfig(path, true, nil)
			if err == nil {
				t.Fatalf("loadConfig(%q) = nil error, want %q", tt.file, tt.want)
			}
			assertContainsInOrder(t, err.Error(), tt.want)
		})
	}
}

// TestTypedVPNLessSide: an https:// address typed in the sign-in form is a
// VPN-less proxy; a plain host stays a direct side.
func TestTypedVPNLessSide(t *testing.T) {
	t.Parallel()
	cfg := defaultConfig()
	ep, err := typedEndpoint(cfg, "A", "https://p.example.com/fa")
	if err != nil || !ep.VPNLess || ep.RESTPort != 443 || ep.PathPrefix != "/fa" || ep.Host != "p.example.com" {
		t.Errorf("typed https URL = %+v, %v; want a VPN-less endpoint on 443 under /fa", ep, err)
	}
	ep, err = typedEndpoint(cfg, "A", "fa.example.com")
	if err != nil || ep.VPNLess || ep.RESTPort != 8445 {
		t.Errorf("typed host = %+v, %v; want a direct endpoint on 8445", ep, err)
	}
	if _, err := typedEndpoint(cfg, "B", "https://"); err == nil {
		t.Error("typed https:// without a host: no error")
	}
}

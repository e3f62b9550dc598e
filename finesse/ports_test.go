package finesse

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestChoosePort(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		configured     int
		explicit       bool
		advertised     int
		advertisedWins bool
		want           int
		wantSrc        string
	}{
		{"default, nothing advertised", 5223, false, 0, true, 5223, srcDefault},
		{"default yields to advertised", 5223, false, 15223, false, 15223, srcSystemInfo},
		{"explicit, nothing advertised", 7000, true, 0, true, 7000, srcConfig},
		{"explicit loses when advertised wins", 7000, true, 15223, true, 15223, srcSystemInfo},
		{"explicit wins under PortsFromConfig", 7000, true, 15223, false, 7000, srcConfig},
		{"advertised equals explicit", 7000, true, 7000, true, 7000, srcSystemInfo},
	}
	for _, tt := range tests {
		got, src := choosePort(tt.configured, tt.explicit, tt.advertised, tt.advertisedWins)
		if got != tt.want || src != tt.wantSrc {
			t.Errorf("%s: choosePort(%d, %v, %d, %v) = %d, %s; want %d, %s", tt.name,
				tt.configured, tt.explicit, tt.advertised, tt.advertisedWins, got, src, tt.want, tt.wantSrc)
		}
	}
}

func TestSplitNodes(t *testing.T) {
	t.Parallel()
	a := wireNode{Host: "fin-a.example.com", HTTPSPort: "8445", XMPPPort: "5222", XMPPSecurePort: "5223"}
	b := wireNode{Host: "fin-b.example.com", HTTPSPort: "9445", XMPPPort: "6222", XMPPSecurePort: "6223"}
	tests := []struct {
		name              string
		domain            string
		primary, second   wireNode
		mode              XMPPTLSMode
		wantSelf, wantOth nodePorts
		wantOK            bool
	}{
		{"on primary, direct TLS", "fin-a.example.com", a, b, DirectTLS, nodePorts{8445, 5223}, nodePorts{9445, 6223}, true},
		{"on secondary, direct TLS", "fin-b.example.com", a, b, DirectTLS, nodePorts{9445, 6223}, nodePorts{8445, 5223}, true},
		{"on secondary, StartTLS", "fin-b.example.com", a, b, StartTLS, nodePorts{9445, 6222}, nodePorts{8445, 5222}, true},
		{"domain case differs", "FIN-A.Example.COM", a, b, DirectTLS, nodePorts{8445, 5223}, nodePorts{9445, 6223}, true},
		{"no secondary", "fin-a.example.com", a, wireNode{}, DirectTLS, nodePorts{8445, 5223}, nodePorts{}, true},
		{"pre-12.6: hosts only", "fin-a.example.com", wireNode{Host: "fin-a.example.com"}, wireNode{Host: "fin-b.example.com"},
			DirectTLS, nodePorts{}, nodePorts{}, true},
		{"bad and out-of-range ports ignored", "fin-a.example.com",
			wireNode{Host: "fin-a.example.com", HTTPSPort: "x", XMPPSecurePort: "70000"},
			wireNode{Host: "fin-b.example.com", HTTPSPort: " 9445 ", XMPPSecurePort: "0"},
			DirectTLS, nodePorts{}, nodePorts{rest: 9445}, true},
		{"no entry matches", "fin-c.example.com", a, b, DirectTLS, nodePorts{}, nodePorts{}, false},
		{"both entries match", "fin-a.example.com", a, a, DirectTLS, nodePorts{}, nodePorts{}, false},
		{"no xmppDomain", "", a, b, DirectTLS, nodePorts{}, nodePorts{}, false},
	}
	for _, tt := range tests {
		info := &wireSystemInfo{XMPPDomain: tt.domain, PrimaryNode: tt.primary, SecondaryNode: tt.second}
		self, other, ok := splitNodes(info, tt.mode)
		if self != tt.wantSelf || other != tt.wantOth || ok != tt.wantOK {
			t.Errorf("%s: splitNodes = %+v, %+v, %v; want %+v, %+v, %v", tt.name,
				self, other, ok, tt.wantSelf, tt.wantOth, tt.wantOK)
		}
	}
}

// TestSplitNodesGolden reads the golden SystemInfo: node A's entry is the
// primary one.
func TestSplitNodesGolden(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "systeminfo.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var info wireSystemInfo
	if err := decodeXML(data, "SystemInfo", &info); err != nil {
		t.Fatal(err)
	}
	self, other, ok := splitNodes(&info, DirectTLS)
	want := nodePorts{rest: 8445, xmpp: 5223}
	if !ok || self != want || other != want {
		t.Errorf("splitNodes(golden) = %+v, %+v, %v; want %+v, %+v, true", self, other, ok, want, want)
	}
}

// TestLinkEndpointFromSystemInfo checks the per-side endpoints the link
// derives after reading SystemInfo from side A, under both policies.
func TestLinkEndpointFromSystemInfo(t *testing.T) {
	t.Parallel()
	info := &wireSystemInfo{XMPPDomain: "fin-a.example.com",
		PrimaryNode:   wireNode{Host: "fin-a.example.com", HTTPSPort: "8445", XMPPSecurePort: "15223"},
		SecondaryNode: wireNode{Host: "fin-b.example.com", HTTPSPort: "9445", XMPPSecurePort: "16223"}}
	tests := []struct {
		name         string
		a, b         Endpoint
		policy       PortPolicy
		wantA, wantB Endpoint
	}{
		{"explicit ports, advertised XMPP wins",
			Endpoint{Host: "10.0.0.1", RESTPort: 8443, XMPPPort: 5223}, Endpoint{Host: "10.0.0.2", RESTPort: 8443, XMPPPort: 5223},
			PortsFromSystemInfo,
			Endpoint{Host: "10.0.0.1", RESTPort: 8443, XMPPPort: 15223}, Endpoint{Host: "10.0.0.2", RESTPort: 8443, XMPPPort: 16223}},
		{"explicit ports win under PortsFromConfig",
			Endpoint{Host: "10.0.0.1", RESTPort: 8443, XMPPPort: 5223}, Endpoint{Host: "10.0.0.2", RESTPort: 8443, XMPPPort: 5223},
			PortsFromConfig,
			Endpoint{Host: "10.0.0.1", RESTPort: 8443, XMPPPort: 5223}, Endpoint{Host: "10.0.0.2", RESTPort: 8443, XMPPPort: 5223}},
		{"defaults replaced under PortsFromConfig",
			Endpoint{Host: "10.0.0.1"}, Endpoint{Host: "10.0.0.2"},
			PortsFromConfig,
			Endpoint{Host: "10.0.0.1", RESTPort: 8445, XMPPPort: 15223}, Endpoint{Host: "10.0.0.2", RESTPort: 9445, XMPPPort: 16223}},
	}
	for _, tt := range tests {
		l, err := NewLink(Config{SideA: tt.a, SideB: tt.b, XMPPPorts: tt.policy, Logger: testLogger(t)})
		if err != nil {
			t.Fatalf("%s: NewLink: %v", tt.name, err)
		}
		l.learnPorts(0, info)
		got := []Endpoint{l.endpoint(0), l.endpoint(1)}
		if diff := cmp.Diff([]Endpoint{tt.wantA, tt.wantB}, got); diff != "" {
			t.Errorf("%s: endpoints (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestLinkOwnPortsOutrankOthers: what side B says about itself beats what
// side A said about B.
func TestLinkOwnPortsOutrankOthers(t *testing.T) {
	t.Parallel()
	l, err := NewLink(Config{SideA: Endpoint{Host: "a"}, SideB: Endpoint{Host: "b"}, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	l.learnPorts(0, &wireSystemInfo{XMPPDomain: "fa", PrimaryNode: wireNode{Host: "fa"},
		SecondaryNode: wireNode{Host: "fb", XMPPSecurePort: "1111"}})
	if got := l.endpoint(1).XMPPPort; got != 1111 {
		t.Errorf("B's XMPP port learned from A = %d, want 1111", got)
	}
	l.learnPorts(1, &wireSystemInfo{XMPPDomain: "fb", PrimaryNode: wireNode{Host: "fa"},
		SecondaryNode: wireNode{Host: "fb", XMPPSecurePort: "2222"}})
	if got := l.endpoint(1).XMPPPort; got != 2222 {
		t.Errorf("B's XMPP port after B's own SystemInfo = %d, want 2222", got)
	}
}

func TestConfigRejectsUnknownPortPolicy(t *testing.T) {
	t.Parallel()
	_, err := NewLink(Config{SideA: Endpoint{Host: "a"}, XMPPPorts: PortPolicy(7)})
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Field != "XMPPPorts" {
		t.Errorf("NewLink with XMPPPorts=7: err = %v, want ConfigError on XMPPPorts", err)
	}
}

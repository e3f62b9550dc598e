package finessesim

import (
	"testing"
)

// TestGoXMPPInterop connects our client library (go-xmpp) over direct TLS
// and STARTTLS and receives a User event as an xmpp.PubsubEvent.
func TestGoXMPPInterop(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		node     NodeID
		startTLS bool
	}{
		{"direct TLS node A", NodeA, false},
		{"STARTTLS node A", NodeA, true},
		{"direct TLS node B", NodeB, false},
		{"STARTTLS node B", NodeB, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := startSim(t, Config{})
			x := dialXMPP(t, s, tc.node, "1001", "secret1", tc.startTLS)
			r := newREST(t, s, tc.node, "1001", "secret1")
			r.setState("LOGIN", "<extension>5001</extension>", "rid-login")
			u := x.expect("user PUT NOT_READY")[0]
			if u.Node != "/finesse/api/User/1001" || u.RequestID != "rid-login" || u.Source != "/finesse/api/User/1001" {
				t.Errorf("got %+v, want node/source /finesse/api/User/1001 and rid-login", u)
			}
			if got := u.Data.text("extension"); got != "5001" {
				t.Errorf("extension: got %q, want 5001", got)
			}
			if got := u.Data.text("reasonCodeId"); got != "-1" {
				t.Errorf("reasonCodeId: got %q, want -1", got)
			}
		})
	}
}

// TestXMPPBadPassword checks SASL failure is reported to the client.
func TestXMPPBadPassword(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	if c, err := newGoXMPP(s, NodeA, "1001", "wrong", false); err == nil {
		c.Close()
		t.Fatalf("connect with a wrong password: got nil error")
	}
}

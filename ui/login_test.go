package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/agentlink/agentlink/core"
)

func TestCheckServers(t *testing.T) {
	tests := []struct {
		sv       servers
		wantSide string // "" = no error
		wantMsg  string
	}{
		{servers{"fa.example.com", ""}, "", ""},
		{servers{"fa.example.com:8445", "[::1]:8445"}, "", ""},
		{servers{"", ""}, "A", "enter the Finesse side A host"},
		{servers{"", "fb.example.com"}, "A", "enter the Finesse side A host"},
		{servers{"finesse a", ""}, "A", `side A "finesse a" is not a host, host:port or https:// VPN-less proxy address`},
		{servers{"https://proxy.example.com/fa", "https://proxy.example.com:8443"}, "", ""},
		{servers{"fa", "http://fb"}, "B", `side B "http://fb" is not a host, host:port or https:// VPN-less proxy address`},
		{servers{"fa", "fb/finesse"}, "B", `side B "fb/finesse" is not a host, host:port or https:// VPN-less proxy address`},
	}
	for _, tt := range tests {
		err := checkServers(tt.sv)
		var he *HostError
		switch {
		case tt.wantSide == "" && err != nil:
			t.Errorf("checkServers(%+v) = %v, want nil", tt.sv, err)
		case tt.wantSide != "" && (!errors.As(err, &he) || he.Side != tt.wantSide || err.Error() != tt.wantMsg):
			t.Errorf("checkServers(%+v) = %v, want HostError on side %s %q", tt.sv, err, tt.wantSide, tt.wantMsg)
		}
	}
}

func TestLoginDefaultsPrefill(t *testing.T) {
	prefs := test.NewTempApp(t).Preferences()
	rememberSignIn(prefs, loginInput{SideA: "ra.example.com", SideB: "rb.example.com",
		AgentID: "1001", Extension: "5001", Password: "never stored"}, true)
	tests := []struct {
		name     string
		in       LoginDefaults
		editable bool
		want     LoginDefaults
	}{
		{"remembered fill an empty config", LoginDefaults{}, true,
			LoginDefaults{SideA: "ra.example.com", SideB: "rb.example.com", AgentID: "1001", Extension: "5001"}},
		{"config wins", LoginDefaults{SideA: "ca.example.com:8445", AgentID: "2002", Extension: "6002"}, true,
			LoginDefaults{SideA: "ca.example.com:8445", AgentID: "2002", Extension: "6002"}},
		{"another agent's extension is not used", LoginDefaults{AgentID: "2002"}, true,
			LoginDefaults{SideA: "ra.example.com", SideB: "rb.example.com", AgentID: "2002"}},
		{"the same agent gets their extension", LoginDefaults{SideA: "ca.example.com", AgentID: "1001"}, true,
			LoginDefaults{SideA: "ca.example.com", AgentID: "1001", Extension: "5001"}},
		{"read-only hosts are not filled, the agent is", LoginDefaults{}, false,
			LoginDefaults{AgentID: "1001", Extension: "5001"}},
	}
	for _, tt := range tests {
		if got := loginDefaults(tt.in, prefs, tt.editable); got != tt.want {
			t.Errorf("%s: loginDefaults = %+v, want %+v", tt.name, got, tt.want)
		}
	}
	for _, k := range []string{prefSideA, prefSideB, prefAgentID, prefExtension} {
		if strings.Contains(prefs.String(k), "never stored") {
			t.Errorf("preference %s holds the password", k)
		}
	}
}

// TestRememberSignInWithoutServers: when the hosts come from the config
// (not typed), only the agent is remembered.
func TestRememberSignInWithoutServers(t *testing.T) {
	prefs := test.NewTempApp(t).Preferences()
	rememberSignIn(prefs, loginInput{SideA: "fa", AgentID: "1001", Extension: "5001"}, false)
	if got := prefs.String(prefSideA); got != "" {
		t.Errorf("side A remembered as %q, want nothing (hosts came from the config)", got)
	}
	if got := prefs.String(prefAgentID); got != "1001" {
		t.Errorf("agent remembered as %q, want 1001", got)
	}
}

// reconnectRecorder is a Reconnect that records its calls and how many
// commands had been sent to Finesse when it ran.
type reconnectRecorder struct {
	err   error
	calls chan [3]string // side A, side B, commands sent before
	port  func() int
}

func (r *reconnectRecorder) reconnect(_ context.Context, a, b string) error {
	r.calls <- [3]string{a, b, strconv.Itoa(r.port())}
	return r.err
}

func newRecorder(f **fixture, err error) *reconnectRecorder {
	return &reconnectRecorder{err: err, calls: make(chan [3]string, 4),
		port: func() int { return len((*f).port.Sent()) }}
}

// typeLogin fills the form as an agent on first run would.
func typeLogin(f *fixture, a, b string) {
	f.ui(func() {
		l := f.s.login
		test.Type(l.sideA.entry, a)
		test.Type(l.sideB.entry, b)
		l.agentID.SetText("")
		test.Type(l.agentID, "1001")
		test.Type(l.password, "pw")
		l.extension.SetText("")
		test.Type(l.extension, "5001")
	})
}

// TestFirstRunServersTypedRememberedPrefilled: on first run the agent
// types the servers; Reconnect applies them before Login, and they are
// remembered and pre-fill the form of the next start (config winning).
// Each start is a subtest so that one fixture (one shell) lives at a time:
// Fyne's test driver shares its text shaper between apps.
func TestFirstRunServersTypedRememberedPrefilled(t *testing.T) {
	prefs := map[string]string{}
	t.Run("first run", func(t *testing.T) {
		var f *fixture
		rec := newRecorder(&f, nil)
		f = newFixture(t, fixtureOpts{answer: finesse, reconnect: rec.reconnect, defaults: &LoginDefaults{}})
		typeLogin(f, "fa.example.com", "fb.example.com:8445")
		f.tap(f.s.login.submit)
		select {
		case got := <-rec.calls:
			if want := [3]string{"fa.example.com", "fb.example.com:8445", "0"}; got != want {
				t.Errorf("Reconnect(side A, side B, commands sent before) = %q, want %q", got, want)
			}
		case <-time.After(waitTimeout):
			t.Fatal("Reconnect not called")
		}
		if got := f.sent(1); got.Kind != core.CmdLogin || got.AgentID != "1001" || got.Extension != "5001" {
			t.Errorf("sent %+v after Reconnect, want Login of 1001 on 5001", got)
		}
		// The softphone may show (the agent's state arrived) before the
		// sign-in command has finished and remembered the servers.
		f.waitFor("softphone shown and sign-in finished", func() bool {
			return f.s.win.Content() == f.s.phone.obj && !f.s.busy[keyLogin]
		})
		for _, k := range []string{prefSideA, prefSideB} {
			prefs[k] = f.app.Preferences().String(k)
		}
		if prefs[prefSideA] != "fa.example.com" || prefs[prefSideB] != "fb.example.com:8445" {
			t.Fatalf("remembered %v, want the typed servers", prefs)
		}
	})

	// Next start: the form shows the remembered servers, unless the
	// configuration names some.
	tests := []struct {
		name   string
		config LoginDefaults
		wantA  string
		wantB  string
	}{
		{"next start", LoginDefaults{AgentID: "1001"}, "fa.example.com", "fb.example.com:8445"},
		{"next start with config", LoginDefaults{SideA: "ca.example.com:8445"}, "ca.example.com:8445", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var g *fixture
			rec := newRecorder(&g, nil)
			g = newFixture(t, fixtureOpts{answer: finesse, reconnect: rec.reconnect, defaults: &tt.config, prefs: prefs})
			g.ui(func() {
				if a, b := g.s.login.sideA.entry.Text, g.s.login.sideB.entry.Text; a != tt.wantA || b != tt.wantB {
					t.Errorf("form prefilled with (%q, %q), want (%q, %q)", a, b, tt.wantA, tt.wantB)
				}
			})
		})
	}
}

func TestReconnectErrorStopsSignIn(t *testing.T) {
	tests := []struct {
		name            string
		a               string
		err             error
		wantA, wantB    string // errors shown next to the fields
		wantMsg         string // error shown under the button
		wantReconnected bool
	}{
		{"typo caught by the form", "finesse a", nil,
			`Side A "finesse a" is not a host, host:port or https:// VPN-less proxy address.`, "", "", false},
		{"side B refused by Reconnect", "fa.example.com",
			&HostError{Side: "B", Err: errors.New(`side B "fb" has an invalid port "99999"`)},
			"", `Side B "fb" has an invalid port "99999".`, "", true},
		{"other Reconnect failure", "fa.example.com", errors.New("link stopped"),
			"", "", "Cannot use these Finesse servers: link stopped.", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f *fixture
			rec := newRecorder(&f, tt.err)
			f = newFixture(t, fixtureOpts{answer: finesse, reconnect: rec.reconnect, defaults: &LoginDefaults{}})
			typeLogin(f, tt.a, "")
			f.tap(f.s.login.submit)
			if tt.wantReconnected {
				select {
				case <-rec.calls:
				case <-time.After(waitTimeout):
					t.Fatal("Reconnect not called")
				}
			}
			f.waitFor("sign-in finished", func() bool { return !f.s.busy[keyLogin] })
			f.ui(func() {
				l := f.s.login
				got := [3]string{l.sideA.err.Text, l.sideB.err.Text, l.errMsg.Text}
				if want := [3]string{tt.wantA, tt.wantB, tt.wantMsg}; got != want {
					t.Errorf("errors (side A, side B, form) = %q, want %q", got, want)
				}
				if l.sideA.err.Visible() != (tt.wantA != "") || l.sideB.err.Visible() != (tt.wantB != "") {
					t.Errorf("error labels visible A=%v B=%v, want A=%v B=%v",
						l.sideA.err.Visible(), l.sideB.err.Visible(), tt.wantA != "", tt.wantB != "")
				}
			})
			if n := len(f.port.Sent()); n != 0 {
				t.Errorf("%d commands sent although the servers were not applied, want 0", n)
			}
			if !tt.wantReconnected && len(rec.calls) != 0 {
				t.Error("Reconnect called with a host the form refused")
			}
			if got := f.app.Preferences().String(prefSideA); got != "" {
				t.Errorf("remembered side A %q after a failed sign-in, want nothing", got)
			}
		})
	}
}

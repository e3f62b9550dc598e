package finesse

import (
	"context"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// startSignedOut is startSession without the sign-in, with the link's
// config edited first.
func startSignedOut(t *testing.T, simCfg finessesim.Config, edit func(*Config)) *sessEnv {
	t.Helper()
	sim := startSim(t, simCfg)
	cfg := linkConfig(sim, DirectTLS, t)
	if edit != nil {
		edit(&cfg)
	}
	l, err := NewLink(cfg)
	if err != nil {
		t.Fatalf("NewLink: %v", err)
	}
	s := core.NewSession(core.Config{Port: l, Logger: testLogger(t), CommandTimeout: 5 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = l.Run(ctx, s)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return &sessEnv{sim: sim, link: l, s: s}
}

func mobileAgents() []finessesim.AgentConfig {
	as := finessesim.DefaultAgents()
	as[0].MobileAgent = true
	return as
}

// Mobile Agent: the sign-in carries mode and dial number; the agent shows
// as a mobile agent; after a failover the re-LOGIN on side B carries them
// again (Finesse keeps mobile-agent data per side).
func TestMobileAgentSignIn(t *testing.T) {
	e := startSignedOut(t, finessesim.Config{Agents: mobileAgents()}, nil)
	err := e.do(core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "secret1", Extension: "5001",
		MobileMode: core.MobileNailedConnection, DialNumber: "4085551234"})
	if err != nil {
		t.Fatalf("mobile Login: %v", err)
	}
	isMobile := func(s core.Snapshot) bool {
		return s.Agent.State == core.StateNotReady && s.Agent.MobileMode == core.MobileNailedConnection && s.Agent.MobileDialNumber == "4085551234"
	}
	e.wait(t, "signed in as a nailed-connection mobile agent", isMobile)
	if err := e.sim.KillNode(finessesim.NodeA); err != nil {
		t.Fatal(err)
	}
	e.wait(t, "on side B", func(s core.Snapshot) bool {
		return s.System.Node == core.NodeB && s.System.Status == core.InService
	})
	// The re-LOGIN went before IN_SERVICE; a state change after it shows
	// what side B now holds.
	if err := e.do(core.Command{Kind: core.CmdReady}); err != nil {
		t.Fatalf("Ready on B: %v", err)
	}
	snap := e.wait(t, "READY on side B", func(s core.Snapshot) bool { return s.Agent.State == core.StateReady })
	if snap.Agent.MobileMode != core.MobileNailedConnection || snap.Agent.MobileDialNumber != "4085551234" {
		t.Fatalf("side B lost the mobile agent sign-in: %+v", snap.Agent)
	}
}

// A mobile sign-in the deployment does not allow fails with Finesse's
// reason; a mode without a dial number never reaches Finesse.
func TestMobileAgentRefused(t *testing.T) {
	e := startSignedOut(t, finessesim.Config{}, nil)
	err := e.do(core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "secret1", Extension: "5001",
		MobileMode: core.MobileCallByCall, DialNumber: "4085551234"})
	var fe *core.FinesseError
	if !errors.As(err, &fe) || fe.Type != "Mode Not Allowed" {
		t.Fatalf("Login = %v, want Mode Not Allowed", err)
	}
	err = e.do(core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "secret1", Extension: "5001", MobileMode: core.MobileCallByCall})
	if !errors.Is(err, core.ErrInvalidCommand) {
		t.Fatalf("Login without dial number = %v", err)
	}
}

// The configured defaults apply to a Login that names no phone (a
// toolbar's, a headless start's).
func TestMobileAgentFromConfig(t *testing.T) {
	e := startSignedOut(t, finessesim.Config{Agents: mobileAgents()}, func(c *Config) {
		c.Phone = PhoneDefaults{MobileMode: core.MobileCallByCall, DialNumber: "5550100"}
	})
	if err := e.do(core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "secret1", Extension: "5001"}); err != nil {
		t.Fatal(err)
	}
	e.wait(t, "call-by-call mobile agent", func(s core.Snapshot) bool {
		return s.Agent.MobileMode == core.MobileCallByCall && s.Agent.MobileDialNumber == "5550100"
	})
}

// Multiline: the extension's devices are listed before sign-in (with the
// typed credentials) and the chosen one is signed in with; an unknown one
// is refused by Finesse.
func TestDeviceChoice(t *testing.T) {
	devs := map[string][]finessesim.DeviceConfig{"5001": {
		{ID: "SEP0019305D8EC1", Type: "30018", TypeName: "Cisco 7961"},
		{ID: "CSFJP5550016", Type: "503", TypeName: "Cisco Unified Client Services Framework"},
	}}
	e := startSignedOut(t, finessesim.Config{Devices: devs}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := e.s.Devices(ctx, core.DeviceQuery{AgentID: "1001", Password: "secret1", Extension: "5001"})
	if err != nil || len(got) != 2 || got[1] != (core.Device{ID: "CSFJP5550016", Type: "503", TypeName: "Cisco Unified Client Services Framework"}) {
		t.Fatalf("Devices = %+v, %v", got, err)
	}
	if _, err := e.s.Devices(ctx, core.DeviceQuery{AgentID: "1001", Password: "secret1", Extension: "5002"}); err == nil {
		t.Fatal("devices of an extension without any: no error")
	}
	err = e.do(core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "secret1", Extension: "5001", DeviceID: "SEPNOTMINE"})
	var fe *core.FinesseError
	if !errors.As(err, &fe) || fe.Message != "Invalid activeDeviceId specified" {
		t.Fatalf("Login with an unknown device = %v", err)
	}
	if err := e.do(core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "secret1", Extension: "5001", DeviceID: "CSFJP5550016"}); err != nil {
		t.Fatal(err)
	}
	e.wait(t, "signed in on the soft client", func(s core.Snapshot) bool {
		return s.Agent.State == core.StateNotReady && s.Agent.ActiveDeviceID == "CSFJP5550016"
	})
}

// Both notification decoders read the mobile agent and the active device.
func TestDecodeMobileAgentUser(t *testing.T) {
	doc := `<Update><data><user><loginId>1001</loginId><state>NOT_READY</state><extension>5001</extension>` +
		`<mobileAgent><mode>CALL_BY_CALL</mode><dialNumber>4085551234</dialNumber></mobileAgent>` +
		`<activeDeviceId>CSFJP5550016</activeDeviceId></user></data><event>PUT</event>` +
		`<source>/finesse/api/User/1001</source></Update>`
	item := []byte("<notification xmlns='http://jabber.org/protocol/pubsub'>" + xmlEscape(doc) + "</notification>")
	checkDecodersAgree(t, item)
	ups, err := fastDecodeItem("/finesse/api/User/1001", item)
	if err != nil || len(ups) != 1 || ups[0].Agent == nil {
		t.Fatalf("decode = %+v, %v", ups, err)
	}
	if a := ups[0].Agent; a.MobileMode != core.MobileCallByCall || a.MobileDialNumber != "4085551234" || a.ActiveDeviceID != "CSFJP5550016" {
		t.Fatalf("agent = %+v", a)
	}
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

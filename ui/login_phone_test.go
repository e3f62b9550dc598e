package ui

import (
	"context"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// devicePort is a fake port that also lists devices.
type devicePort struct {
	*coretest.Port
	mu      sync.Mutex
	queries []core.DeviceQuery
}

func (p *devicePort) Devices(_ context.Context, q core.DeviceQuery) ([]core.Device, error) {
	p.mu.Lock()
	p.queries = append(p.queries, q)
	p.mu.Unlock()
	return []core.Device{{ID: "SEP0019305D8EC1", TypeName: "Cisco 7961"}, {ID: "CSFJP5550016", TypeName: "Cisco Unified Client Services Framework"}}, nil
}

// TestLoginPhoneOptions: Find devices lists the extension's devices with
// the typed credentials, the agent picks one and a mobile agent mode, and
// the sign-in carries them.
func TestLoginPhoneOptions(t *testing.T) {
	var dp *devicePort
	f := newFixture(t, fixtureOpts{answer: finesse, wrapPort: func(p *coretest.Port) core.Port {
		dp = &devicePort{Port: p}
		return dp
	}})
	typeLogin(f, "", "")
	f.ui(func() {
		if f.s.login.phone.dial.Disabled() == false {
			t.Error("dial number enabled for a desk phone")
		}
		test.Tap(f.s.login.phone.find)
	})
	f.waitFor("devices listed", func() bool { return len(f.s.login.phone.listed) == 2 })
	f.ui(func() {
		p := f.s.login.phone
		if !strings.HasPrefix(p.note.Text, "2 devices on extension 5001") {
			t.Errorf("note = %q", p.note.Text)
		}
		p.device.SetText(p.listed[1])
		p.mode.SetSelectedIndex(2)
		test.Type(p.dial, "4085551234")
	})
	dp.mu.Lock()
	if len(dp.queries) != 1 || dp.queries[0] != (core.DeviceQuery{AgentID: "1001", Password: "pw", Extension: "5001"}) {
		t.Errorf("device queries = %+v", dp.queries)
	}
	dp.mu.Unlock()
	f.tap(f.s.login.submit)
	cmd := f.sent(1)
	if cmd.Kind != core.CmdLogin || cmd.DeviceID != "CSFJP5550016" || cmd.MobileMode != core.MobileNailedConnection || cmd.DialNumber != "4085551234" {
		t.Fatalf("login = %+v", cmd)
	}
}

// A mobile agent mode without a dial number is caught by the form.
func TestLoginMobileNeedsDialNumber(t *testing.T) {
	f := newFixture(t, fixtureOpts{answer: finesse, defaults: &LoginDefaults{AgentID: "1001", Extension: "5001", MobileMode: core.MobileCallByCall}})
	f.ui(func() {
		test.Type(f.s.login.password, "pw")
		test.Tap(f.s.login.submit)
		if got := f.s.login.errMsg.Text; !strings.Contains(got, "number Finesse dials") {
			t.Errorf("error = %q", got)
		}
		test.Tap(f.s.login.phone.find) // the fake port cannot list devices
	})
	f.waitFor("device lookup refused", func() bool {
		return strings.HasPrefix(f.s.login.phone.note.Text, "Could not list the devices: ")
	})
	f.ui(func() {
	})
	if n := len(f.port.Sent()); n != 0 {
		t.Fatalf("%d commands sent", n)
	}
}

func TestIdentityPhone(t *testing.T) {
	a := testAgent("1001", "5001", core.StateNotReady)
	a.MobileMode, a.MobileDialNumber, a.ActiveDeviceID = core.MobileCallByCall, "4085551234", "CSFJP5550016"
	if got := identity(a); !strings.HasSuffix(got, "agent 1001 · ext 5001 · mobile agent on 4085551234 · device CSFJP5550016") {
		t.Errorf("identity = %q", got)
	}
}

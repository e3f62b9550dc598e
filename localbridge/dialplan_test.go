package localbridge

import (
	"testing"

	"github.com/agentlink/agentlink/core"
)

// TestDialPlanOnNumbers: MakeCall, Consult and SingleStepTransfer dial what
// the configured plan makes of a number as a CRM record holds it, and a
// number that is none is refused as a bad request before Finesse sees it.
func TestDialPlanOnNumbers(t *testing.T) {
	t.Parallel()
	plan := core.DialPlan{CountryCode: "1", OutsidePrefix: "9", ExtensionLengths: []int{4}}
	h := newHarness(t, func(c *Config, _ *core.Config) { c.DialPlan = plan })
	c := h.connect(t)
	c.handshake(nil)
	c.login()
	tests := []struct {
		cmd  string
		args map[string]any
		want string
	}{
		{"MakeCall", map[string]any{"number": "(415) 555-1234"}, "+14155551234"},
		{"MakeCall", map[string]any{"number": "+44 (0)20 7946 0958"}, "+442079460958"},
		{"Consult", map[string]any{"dialogId": "out-1", "number": "9 1 (212) 555-0100"}, "+12125550100"},
		{"SingleStepTransfer", map[string]any{"dialogId": "out-1", "number": "5002"}, "5002"},
	}
	for _, tt := range tests {
		n := len(h.port.Sent())
		c.mustOK(tt.cmd, tt.args)
		sent := h.port.Sent()
		if len(sent) != n+1 || sent[n].Number != tt.want {
			t.Errorf("%s %v: port got %+v, want number %q", tt.cmd, tt.args["number"], sent[n:], tt.want)
		}
	}
	n := len(h.port.Sent())
	f := c.call("MakeCall", map[string]any{"number": "ada@example.com"})
	if f.OK || f.Error == nil || f.Error.Code != "bad_request" {
		t.Errorf("MakeCall of an e-mail address: %+v, want bad_request", f)
	}
	if len(h.port.Sent()) != n {
		t.Errorf("a refused number reached Finesse")
	}
}

package localbridge

import (
	"io"
	"net/http"
	"strings"
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

// TestCRMRoutes: the CRM connector pages are public, framable only by
// allowed origins, may frame the toolbar (frame-src 'self'), and the dial
// plan the adapters read is the configured one.
func TestCRMRoutes(t *testing.T) {
	t.Parallel()
	plan := core.DialPlan{CountryCode: "44", OutsidePrefix: "9", ExtensionLengths: []int{4}}
	h := newHarness(t, func(c *Config, _ *core.Config) { c.DialPlan = plan })
	resp, err := http.Get(h.base + "/crm/sap/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	if resp.StatusCode != http.StatusOK || !strings.Contains(csp, "frame-src 'self'") ||
		!strings.Contains(csp, "frame-ancestors 'self' "+crmOrigin) {
		t.Errorf("GET /crm/sap/: %d, CSP %q; want 200, frame-src 'self', frame-ancestors the allowed origins", resp.StatusCode, csp)
	}
	resp, err = http.Get(h.base + "/crm/dialplan.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if want := `{"countryCode":"44","outsidePrefix":"9","extensionLengths":[4]}`; strings.TrimSpace(string(body)) != want {
		t.Errorf("GET /crm/dialplan.json = %s, want %s", body, want)
	}
}

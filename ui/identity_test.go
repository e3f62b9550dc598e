package ui

import (
	"testing"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// TestIdentityAndTrayTooltip: the window's top line and the tray tooltip
// name the agent, the agent ID and the extension; the tooltip says the
// state, and who is calling while a call rings.
func TestIdentityAndTrayTooltip(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.ui(func() {
		if f.tip != "AgentLink: signed out" {
			t.Errorf("tooltip signed out = %q", f.tip)
		}
	})
	f.signIn(core.StateReady)
	f.ui(func() {
		if got, want := f.s.phone.id.who.Text, "Test Agent · agent 1001 · ext 5001"; got != want {
			t.Errorf("identity line = %q, want %q", got, want)
		}
		if got, want := f.tip, "AgentLink: Test Agent · agent 1001 · ext 5001 – Ready"; got != want {
			t.Errorf("tooltip = %q, want %q", got, want)
		}
	})
	f.sess.Apply(coretest.DialogUpdate(coretest.Dialog("d1", "5001", "0201234567", core.PartAlerting, core.ActionAnswer)))
	f.waitFor("tooltip names the caller", func() bool {
		return f.tip == "AgentLink: Test Agent · agent 1001 · ext 5001 – Ringing: 0201234567"
	})
}

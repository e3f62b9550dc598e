package ui

import (
	"strings"
	"testing"

	"github.com/agentlink/agentlink/core"
)

// TestFixtureStateTimerLooksReal: the test agent entered its state moments
// before the tests, so the state timer, and every screenshot the UI tests
// keep, shows minutes and seconds ("m:ss"), not the thousands of hours
// since a fixed date.
func TestFixtureStateTimerLooksReal(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.signIn(core.StateReady)
	var text string
	f.ui(func() {
		f.s.phone.state.tick()
		text = f.s.phone.state.timer.Text
	})
	if text == "" || strings.Count(text, ":") != 1 {
		t.Errorf("state timer %q, want minutes and seconds (under an hour)", text)
	}
}

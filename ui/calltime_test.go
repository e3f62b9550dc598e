package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// withLeg sets the agent leg's state and since time on d.
func withLeg(d core.Dialog, st core.ParticipantState, since time.Time) core.Dialog {
	for i := range d.Participants {
		if d.Participants[i].Address == "5001" {
			d.Participants[i].State, d.Participants[i].Since = st, since
		}
	}
	return d
}

// TestCallTimeSurvivesHold: the card keeps the total time since the call
// was answered across hold and retrieve, while Finesse's participant time
// restarts at each.
func TestCallTimeSurvivesHold(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.signIn(core.StateTalking)
	t0 := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	now := t0.Add(5 * time.Minute)
	f.ui(func() { f.s.now = func() time.Time { return now } })

	d := coretest.Dialog("d1", "5001", "0201234567", core.PartActive, core.ActionHold, core.ActionDrop)
	f.sess.Apply(coretest.DialogUpdate(withLeg(d, core.PartActive, t0)))
	f.waitFor("the call", func() bool { return f.card("d1") != nil })
	f.sess.Apply(coretest.DialogUpdate(withLeg(d, core.PartHeld, t0.Add(2*time.Minute))))
	f.waitFor("held", func() bool { return f.card("d1").d.AgentState == core.PartHeld })
	f.sess.Apply(coretest.DialogUpdate(withLeg(d, core.PartActive, t0.Add(4*time.Minute))))
	f.waitFor("retrieved", func() bool {
		c := f.card("d1")
		return c.d.AgentState == core.PartActive && c.d.Participants[0].Since.Equal(t0.Add(4*time.Minute))
	})
	f.ui(func() {
		got := f.card("d1").state.Text
		if !strings.Contains(got, "1:00") || !strings.Contains(got, "total 5:00") {
			t.Errorf("card line = %q, want this leg's 1:00 and total 5:00", got)
		}
		if s := statusOf(f.s.m); s != statusTalking {
			t.Errorf("status = %v, want talking", s)
		}
	})
}

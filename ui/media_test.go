package ui

import (
	"strings"
	"testing"

	"github.com/agentlink/agentlink/core"
)

// TestMediaShown: a blended agent's MRDs appear in the state bar and the
// tray tooltip, the open task as "task in progress", and the bar says
// plainly that Log out also signs out of chat while Not Ready does not.
func TestMediaShown(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.signIn(core.StateNotReady)
	f.ui(func() {
		if f.s.phone.state.media.Visible() {
			t.Errorf("media line shown without MRDs: %q", f.s.phone.state.media.Text)
		}
	})
	f.sess.Apply(core.Update{Kind: core.UpdateMedia, Media: []core.Media{
		{ID: "5000", Name: "Cisco_Chat_MRD", Description: "Chat", State: core.StateReady, Tasks: 1},
		{ID: "5001", Name: "Cisco_Email_MRD", Description: "Email", State: core.StateLogout},
	}})
	const line = "Chat: Ready, 1 task in progress · Email: signed out"
	f.waitFor("media line", func() bool {
		return f.s.phone.state.media.Visible() && strings.HasPrefix(f.s.phone.state.media.Text, line)
	})
	f.ui(func() {
		text := f.s.phone.state.media.Text
		if !strings.Contains(text, "Log out also signs you out of Chat (") || strings.Contains(text, "of Chat, Email") {
			t.Errorf("media note = %q", text)
		}
		if !strings.Contains(f.tip, line) {
			t.Errorf("tooltip = %q, want it to contain %q", f.tip, line)
		}
	})
	f.sess.Apply(core.Update{Kind: core.UpdateMedia, Media: []core.Media{
		{ID: "5000", Name: "Cisco_Chat_MRD", Description: "Chat", State: core.StateLogout},
	}})
	f.waitFor("chat signed out, no note", func() bool {
		return f.s.phone.state.media.Text == "Chat: signed out"
	})
}

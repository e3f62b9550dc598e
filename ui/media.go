package ui

import (
	"fmt"
	"strings"

	"github.com/agentlink/agentlink/core"
)

// Blended agents: the non-voice Media Routing Domains (chat, email, tasks)
// the agent is in, shown read-only. AgentLink does not handle the tasks:
// the agent's task desktop does.

// mediaStateText names a state in an MRD for the agent.
func mediaStateText(st core.AgentState) string {
	switch st {
	case core.StateLogout, "":
		return "signed out"
	case core.StateReady:
		return "Ready"
	case core.StateNotReady:
		return "Not Ready"
	}
	return strings.ReplaceAll(strings.ToLower(string(st)), "_", " ")
}

// mediaLine says each MRD's state and open tasks, e.g.
// "Chat: Ready, 1 task in progress · Email: signed out"; "" without MRDs.
func mediaLine(ms []core.Media) string {
	parts := make([]string, 0, len(ms))
	for _, m := range ms {
		p := m.Label() + ": " + mediaStateText(m.State)
		switch {
		case m.Tasks == 1:
			p += ", 1 task in progress"
		case m.Tasks > 1:
			p += fmt.Sprintf(", %d tasks in progress", m.Tasks)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " · ")
}

// mediaNote says plainly what the voice buttons do to the other MRDs while
// the agent is signed in to any: Finesse's Not Ready is voice only, but its
// sign-out has no voice-only form.
func mediaNote(ms []core.Media) string {
	in := core.MediaSignedIn(ms)
	if len(in) == 0 {
		return ""
	}
	names := make([]string, len(in))
	for i, m := range in {
		names[i] = m.Label()
	}
	return "Not Ready is for calls only. Log out also signs you out of " + strings.Join(names, ", ") +
		" (Finesse has no calls-only sign-out). Tasks are handled in your task desktop."
}

// mediaText is the state bar's media label: the line and, when it applies,
// the note.
func mediaText(ms []core.Media) string {
	line := mediaLine(ms)
	if note := mediaNote(ms); note != "" {
		return line + "\n" + note
	}
	return line
}

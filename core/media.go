package core

import (
	"slices"
	"time"
)

// Media is the agent's state in one non-voice Media Routing Domain (UCCE
// chat, email, tasks; Cisco's Media object). The voice MRD is the Agent
// itself: Finesse's User state is the voice state.
//
// AgentLink shows these states and counts the tasks; it does not handle
// non-voice tasks (accept, close, transfer): that stays in the agent's
// task desktop.
type Media struct {
	ID           string // mrdId
	Name         string // the MRD's name, e.g. "Cisco_Chat_MRD"
	Description  string // e.g. "Chat MRD"; shown when set
	State        AgentState
	ReasonCodeID string
	ReasonLabel  string
	Routable     bool
	Since        time.Time
	// Tasks is the number of the agent's non-voice dialogs (tasks) in this
	// MRD that have not been closed.
	Tasks int
}

// Label is how the UI names the MRD: its description, else its name, else
// its id.
func (m Media) Label() string {
	for _, s := range []string{m.Description, m.Name} {
		if s != "" {
			return s
		}
	}
	return "MRD " + m.ID
}

// SignedIn reports whether the agent is signed in to this MRD.
func (m Media) SignedIn() bool {
	return m.State != "" && m.State != StateLogout && m.State != StateUnknown
}

// MediaSignedIn reports whether any of ms is signed in: Finesse's voice
// Logout then signs the agent out of those MRDs too (see [Session.Logout]).
func MediaSignedIn(ms []Media) []Media {
	var out []Media
	for _, m := range ms {
		if m.SignedIn() {
			out = append(out, m)
		}
	}
	return out
}

// applyMediaLocked replaces the MRD list and publishes it when it changed.
func (s *Session) applyMediaLocked(ms []Media) {
	if slices.Equal(s.media, ms) {
		return
	}
	s.media = slices.Clone(ms)
	s.publishLocked(Event{Kind: EventMedia, Media: slices.Clone(ms)})
}

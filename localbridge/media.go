package localbridge

import (
	"fmt"
	"strings"

	"github.com/agentlink/agentlink/core"
)

// wireMedia is one non-voice Media Routing Domain in the MediaState event
// and the snapshot (docs/bridge-protocol.md, "MediaState").
type wireMedia struct {
	ID           string `json:"mrdId"`
	Name         string `json:"name"`
	Label        string `json:"label"`
	State        string `json:"state"`
	ReasonCodeID string `json:"reasonCodeId,omitempty"`
	ReasonLabel  string `json:"reasonLabel,omitempty"`
	Routable     bool   `json:"routable"`
	Since        string `json:"since,omitempty"`
	Tasks        int    `json:"tasks"`
}

func toWireMedia(ms []core.Media) []wireMedia {
	out := make([]wireMedia, len(ms))
	for i, m := range ms {
		out[i] = wireMedia{ID: m.ID, Name: m.Name, Label: m.Label(), State: string(m.State), ReasonCodeID: m.ReasonCodeID,
			ReasonLabel: m.ReasonLabel, Routable: m.Routable, Since: wireTime(m.Since), Tasks: m.Tasks}
	}
	return out
}

// wireMediaEvent is MediaState's data: the whole list each time.
type wireMediaEvent struct {
	Media []wireMedia `json:"media"`
}

// mediaSummary is the Connector Monitor's line, e.g. "Chat READY (1 task), Email LOGOUT".
func mediaSummary(ms []core.Media) string {
	if len(ms) == 0 {
		return "no non-voice MRDs"
	}
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.Label() + " " + string(m.State)
		if m.Tasks > 0 {
			parts[i] += fmt.Sprintf(" (%d task(s))", m.Tasks)
		}
	}
	return strings.Join(parts, ", ")
}

package finesse

import (
	"testing"

	"github.com/xmppo/go-xmpp"
)

func TestWebappPresenceOf(t *testing.T) {
	const domain = "fin-a.example.com"
	tests := []struct {
		from, typ string
		want      webappPresence
	}{
		{"finesse@fin-a.example.com/finesse", "", webappUp},
		{"finesse@fin-a.example.com", "unavailable", webappDown},
		{"Finesse@FIN-A.example.com/x", "unavailable", webappDown},
		{"finesse@fin-b.example.com/finesse", "unavailable", webappNone}, // the other node's
		{"1001@fin-a.example.com/agentlink", "unavailable", webappNone},  // another user
		{"fin-a.example.com", "unavailable", webappNone},                 // the server itself
		{"finesse@fin-a.example.com/finesse", "subscribe", webappNone},
		{"finesse@fin-a.example.com/finesse", "error", webappNone},
	}
	for _, tt := range tests {
		got := webappPresenceOf(xmpp.Presence{From: tt.from, Type: tt.typ}, domain)
		if got != tt.want {
			t.Errorf("webappPresenceOf(from=%q type=%q) = %d, want %d", tt.from, tt.typ, got, tt.want)
		}
	}
}

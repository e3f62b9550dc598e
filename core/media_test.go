package core_test

import (
	"testing"

	"github.com/agentlink/agentlink/core"
)

// An MRD list is published once per change, kept in the snapshot and kept
// across a resync (the port re-reads it separately).
func TestMediaUpdates(t *testing.T) {
	f := newFixture(t, nil)
	f.login()
	w := f.s.Watch(core.WatchOptions{})
	defer w.Close()
	chat := core.Media{ID: "5000", Name: "Cisco_Chat_MRD", State: core.StateReady, Tasks: 1}
	f.s.Apply(core.Update{Kind: core.UpdateMedia, Media: []core.Media{chat}})
	ev := next(t, w)
	if ev.Kind != core.EventMedia || len(ev.Media) != 1 || ev.Media[0] != chat || ev.Kind.String() != "MediaState" {
		t.Fatalf("event = %+v", ev)
	}
	f.s.Apply(core.Update{Kind: core.UpdateMedia, Media: []core.Media{chat}})
	if evs := drain(w); len(evs) != 0 {
		t.Fatalf("unchanged list published again: %v", kinds(evs))
	}
	a := f.s.Snapshot().Agent
	f.s.Apply(core.Update{Kind: core.UpdateResync, Agent: &a})
	if snap := f.s.Snapshot(); len(snap.Media) != 1 || snap.Media[0] != chat {
		t.Fatalf("snapshot media = %+v", snap.Media)
	}
	if got := core.MediaSignedIn([]core.Media{chat, {ID: "5001", State: core.StateLogout}}); len(got) != 1 || got[0].ID != "5000" {
		t.Fatalf("MediaSignedIn = %+v", got)
	}
	if l := (core.Media{ID: "7"}).Label(); l != "MRD 7" {
		t.Fatalf("Label = %q", l)
	}
}

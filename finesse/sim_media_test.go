package finesse

import (
	"testing"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

var testMRDs = []finessesim.MRDConfig{
	{ID: "5000", Name: "Cisco_Chat_MRD", Description: "Chat"},
	{ID: "5001", Name: "Cisco_Email_MRD", Description: "Email"},
}

func mediaByID(snap core.Snapshot, id string) (core.Media, bool) {
	for _, m := range snap.Media {
		if m.ID == id {
			return m, true
		}
	}
	return core.Media{}, false
}

func mediaIs(id string, state core.AgentState, tasks int) func(core.Snapshot) bool {
	return func(snap core.Snapshot) bool {
		m, ok := mediaByID(snap, id)
		return ok && m.State == state && m.Tasks == tasks
	}
}

// A blended agent: the session shows each MRD's state and its open tasks,
// a voice Not Ready leaves chat Ready, and the voice Logout signs out of
// every MRD (Finesse's rule; AgentLink cannot make it voice-only).
func TestMediaStatesAndVoiceOnlyNotReady(t *testing.T) {
	e := startSession(t, finessesim.Config{MRDs: testMRDs})
	snap := e.wait(t, "both MRDs listed, signed out", func(s core.Snapshot) bool {
		return len(s.Media) == 2 && mediaIs("5000", core.StateLogout, 0)(s) && mediaIs("5001", core.StateLogout, 0)(s)
	})
	if m, _ := mediaByID(snap, "5000"); m.Label() != "Chat" || m.Name != "Cisco_Chat_MRD" {
		t.Fatalf("chat MRD = %+v", m)
	}
	for _, st := range []string{"LOGIN", "READY"} {
		if err := e.sim.SetMediaState("1001", "5000", st); err != nil {
			t.Fatal(err)
		}
	}
	e.wait(t, "chat READY", mediaIs("5000", core.StateReady, 0))
	task, err := e.sim.AddTask("1001", "5000")
	if err != nil {
		t.Fatal(err)
	}
	e.wait(t, "one chat task in progress", mediaIs("5000", core.StateReady, 1))

	if err := e.do(core.Command{Kind: core.CmdNotReady}); err != nil {
		t.Fatalf("NotReady: %v", err)
	}
	snap = e.wait(t, "voice NOT_READY", func(s core.Snapshot) bool { return s.Agent.State == core.StateNotReady })
	if !mediaIs("5000", core.StateReady, 1)(snap) {
		t.Fatalf("voice Not Ready changed the chat MRD: %+v", snap.Media)
	}
	if err := e.sim.CloseTask("1001", task); err != nil {
		t.Fatal(err)
	}
	e.wait(t, "chat task closed", mediaIs("5000", core.StateReady, 0))

	if _, err := e.sim.AddTask("1001", "5000"); err != nil {
		t.Fatal(err)
	}
	e.wait(t, "another chat task", mediaIs("5000", core.StateReady, 1))
	if err := e.do(core.Command{Kind: core.CmdLogout}); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	e.wait(t, "voice logout signs out of chat too, its task closed", func(s core.Snapshot) bool {
		return s.Agent.State == core.StateLogout && mediaIs("5000", core.StateLogout, 0)(s)
	})
}

// After a failover the MRD list is read again (GET Media and Dialogs/Media).
func TestMediaResyncAfterFailover(t *testing.T) {
	e := startSession(t, finessesim.Config{MRDs: testMRDs})
	for _, st := range []string{"LOGIN", "NOT_READY"} {
		if err := e.sim.SetMediaState("1001", "5001", st); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.sim.AddTask("1001", "5001"); err != nil {
		t.Fatal(err)
	}
	e.wait(t, "email task", mediaIs("5001", core.StateNotReady, 1))
	if err := e.sim.KillNode(finessesim.NodeA); err != nil {
		t.Fatal(err)
	}
	e.wait(t, "on side B with the email task", func(s core.Snapshot) bool {
		return s.System.Node == core.NodeB && s.System.Status == core.InService && mediaIs("5001", core.StateNotReady, 1)(s)
	})
}

// Without MRDs (UCCX, voice-only UCCE) the list stays empty and nothing fails.
func TestMediaNoneOnVoiceOnly(t *testing.T) {
	e := startSession(t, finessesim.Config{Deployment: finessesim.UCCX, MRDs: testMRDs})
	snap := e.wait(t, "signed in", func(s core.Snapshot) bool { return s.Agent.State == core.StateNotReady })
	if len(snap.Media) != 0 || len(e.link.Media()) != 0 {
		t.Fatalf("media on UCCX: %+v", snap.Media)
	}
}

package finesse

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// START_RECORDING on UCCX: accepted on the active call (whether or not
// Finesse lists the action), refused on a held one before it reaches Finesse, and
// answered 501 by a UCCE simulator.
func TestStartRecording(t *testing.T) {
	for _, listed := range []bool{false, true} {
		t.Run(map[bool]string{false: "action not listed", true: "action listed"}[listed], func(t *testing.T) {
			e := startSession(t, finessesim.Config{Deployment: finessesim.UCCX, ListRecordingAction: listed})
			id := e.answeredCall(t)
			e.wait(t, "call active", func(s core.Snapshot) bool {
				return len(s.Dialogs) == 1 && s.Dialogs[0].AgentState == core.PartActive
			})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := e.s.StartRecording(ctx, ""); err != nil {
				t.Fatalf("StartRecording: %v", err)
			}
			if !e.sim.Recording(id) {
				t.Fatal("the simulator got no START_RECORDING")
			}
			if err := e.do(core.Command{Kind: core.CmdHold, DialogID: id}); err != nil {
				t.Fatal(err)
			}
			e.wait(t, "call held", func(s core.Snapshot) bool {
				return len(s.Dialogs) == 1 && s.Dialogs[0].AgentState == core.PartHeld
			})
			if err := e.do(core.Command{Kind: core.CmdStartRecording, DialogID: id}); !errors.Is(err, core.ErrActionNotAllowed) {
				t.Fatalf("StartRecording on hold = %v, want ErrActionNotAllowed", err)
			}
		})
	}
	t.Run("UCCE", func(t *testing.T) {
		e := startSession(t, finessesim.Config{})
		id := e.answeredCall(t)
		e.wait(t, "call active", func(s core.Snapshot) bool {
			return len(s.Dialogs) == 1 && s.Dialogs[0].AgentState == core.PartActive
		})
		err := e.do(core.Command{Kind: core.CmdStartRecording, DialogID: id})
		var fe *core.FinesseError
		if !errors.As(err, &fe) || fe.Status != 501 {
			t.Fatalf("StartRecording on UCCE = %v, want the simulator's 501", err)
		}
	})
}

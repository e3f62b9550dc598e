package coretest

import (
	"context"
	"time"

	"github.com/agentlink/agentlink/core"
)

// Reply returns a SendFunc that accepts every command (as Finesse answers
// 202) and then, from a new goroutine, applies to sink the updates answer
// returns for it, in order. answer runs on that goroutine too; it may
// return nil to leave a command unanswered. Each goroutine ends once it
// has applied its updates. Answers to concurrent commands may reach the
// sink concurrently, which core.Session tolerates.
func Reply(sink core.Sink, answer func(cmd core.Command) []core.Update) func(context.Context, core.Command) error {
	return func(_ context.Context, cmd core.Command) error {
		go func() {
			for _, u := range answer(cmd) {
				sink.Apply(u)
			}
		}()
		return nil
	}
}

// Echo returns updates that answer cmd with u, carrying cmd's request id
// the way Finesse echoes requestId.
func Echo(cmd core.Command, u core.Update) []core.Update {
	u.RequestID = cmd.RequestID
	return []core.Update{u}
}

// Fail returns a SendFunc that refuses every command synchronously with err.
func Fail(err error) func(context.Context, core.Command) error {
	return func(context.Context, core.Command) error { return err }
}

// AgentUpdate returns an UpdateAgent carrying a.
func AgentUpdate(a core.Agent) core.Update {
	return core.Update{Kind: core.UpdateAgent, Agent: &a}
}

// DialogUpdate returns an UpdateDialog carrying d.
func DialogUpdate(d core.Dialog) core.Update {
	return core.Update{Kind: core.UpdateDialog, Dialog: &d}
}

// Removed returns an UpdateDialogRemoved for the dialog id.
func Removed(id string) core.Update {
	return core.Update{Kind: core.UpdateDialogRemoved, DialogID: id}
}

// Agent returns a signed-in agent with the given id, extension and state.
func Agent(id, ext string, st core.AgentState) core.Agent {
	return core.Agent{ID: id, FirstName: "Test", LastName: "Agent", Extension: ext, State: st,
		Since: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

// Dialog returns a voice dialog between the agent's extension ext (in
// state st, offered the given actions) and caller. The dialog state follows
// the agent's: ALERTING while ringing, ACTIVE while active or held, DROPPED
// once dropped.
func Dialog(id, ext, caller string, st core.ParticipantState, actions ...core.Action) core.Dialog {
	ds := core.DialogActive
	switch st {
	case core.PartAlerting:
		ds = core.DialogAlerting
	case core.PartInitiating:
		ds = core.DialogInitiating
	case core.PartInitiated:
		ds = core.DialogInitiated
	case core.PartDropped:
		ds = core.DialogDropped
	case core.PartFailed:
		ds = core.DialogFailed
	}
	return core.Dialog{
		ID: id, State: ds, CallType: "ACD_IN", From: caller, To: ext,
		Participants: []core.Participant{
			{Address: ext, AddressType: "AGENT_DEVICE", State: st, Actions: actions},
			{Address: caller, State: core.PartActive},
		},
	}
}

package coretest

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/agentlink/agentlink/core"
)

// Actions Finesse typically offers the agent in each participant state
// (reference §3.2).
var (
	ActiveActions = []core.Action{core.ActionHold, core.ActionDrop, core.ActionConsultCall,
		core.ActionSendDTMF, core.ActionTransferSST, core.ActionUpdateCallData}
	HeldActions = []core.Action{core.ActionRetrieve, core.ActionDrop, core.ActionUpdateCallData}
)

// Finesse is a tiny in-memory stand-in for one agent's Finesse server, for
// tests above core that want a plausible call flow without the simulator.
// It answers every command synchronously, from inside Send, with the
// notifications Finesse would send (echoing the request id), so no
// goroutine is involved. Its methods are safe for concurrent use.
//
// It is deliberately simple: one caller per call, no routing, wrap-up not
// modelled beyond the reason.
type Finesse struct {
	mu      sync.Mutex // guards the fields below
	sink    core.Sink
	agent   core.Agent
	dialogs []core.Dialog
	next    int                                     // last dialog id handed out
	refuse  map[core.CommandKind]*core.FinesseError // answered asynchronously as errors
}

// NewFinesse returns a stand-in for a signed-out agent with the given id.
// Attach the session before sending commands.
func NewFinesse(agentID string) *Finesse {
	return &Finesse{agent: core.Agent{ID: agentID, FirstName: "Test", LastName: "Agent", State: core.StateLogout}}
}

// Attach sets the sink notifications go to (normally the core.Session).
func (f *Finesse) Attach(sink core.Sink) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sink = sink
}

// Port returns a fake Port backed by f: commands go to f.Send and the
// fetches read f's state. Its other function fields may be set freely.
func (f *Finesse) Port() *Port {
	return &Port{
		SendFunc:         f.Send,
		FetchAgentFunc:   func(context.Context) (core.Agent, error) { return f.Agent(), nil },
		FetchDialogsFunc: func(context.Context) ([]core.Dialog, error) { return f.Dialogs(), nil },
		ReasonCodesFunc: func(_ context.Context, c core.ReasonCategory) ([]core.ReasonCode, error) {
			return []core.ReasonCode{{ID: "1", Category: c, Code: "10", Label: "Break"},
				{ID: "2", Category: c, Code: "20", Label: "Lunch"}}, nil
		},
		WrapUpReasonsFunc: func(context.Context) ([]core.WrapUpReason, error) {
			return []core.WrapUpReason{{ID: "1", Label: "Sale"}, {ID: "2", Label: "No sale"}}, nil
		},
	}
}

// Refuse makes every later command of the given kind fail asynchronously
// with err (an apiErrors notification), or stop failing when err is nil.
func (f *Finesse) Refuse(kind core.CommandKind, err *core.FinesseError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refuse == nil {
		f.refuse = make(map[core.CommandKind]*core.FinesseError)
	}
	f.refuse[kind] = err
}

// Agent returns the agent as Finesse has it.
func (f *Finesse) Agent() core.Agent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.agent
}

// Dialogs returns copies of the agent's dialogs.
func (f *Finesse) Dialogs() []core.Dialog {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]core.Dialog, len(f.dialogs))
	for i, d := range f.dialogs {
		out[i] = cloneDialog(d)
	}
	return out
}

// Incoming offers the agent a call from caller with the given call
// variables and returns its dialog id.
func (f *Finesse) Incoming(caller string, vars ...core.CallVariable) string {
	f.mu.Lock()
	d := f.newDialogLocked("ACD_IN", caller, f.agent.Extension, core.PartAlerting, []core.Action{core.ActionAnswer})
	d.Variables = slices.Clone(vars)
	f.dialogs = append(f.dialogs, d)
	out := []core.Update{DialogUpdate(cloneDialog(d))}
	if f.agent.State == core.StateReady {
		out = append(out, f.setStateLocked(core.StateReserved))
	}
	f.mu.Unlock()
	f.emit(out)
	return d.ID
}

// Hangup ends a call from the far side.
func (f *Finesse) Hangup(dialogID string) {
	f.mu.Lock()
	out := f.removeLocked(dialogID)
	f.mu.Unlock()
	f.emit(out)
}

// Send answers cmd the way Finesse would and returns nil (HTTP 202), or
// a *core.FinesseError for a command Finesse would refuse synchronously.
func (f *Finesse) Send(_ context.Context, cmd core.Command) error {
	f.mu.Lock()
	if fe := f.refuse[cmd.Kind]; fe != nil {
		e := *fe
		f.mu.Unlock()
		f.emit([]core.Update{{Kind: core.UpdateError, RequestID: cmd.RequestID, DialogID: cmd.DialogID, Err: &e}})
		return nil
	}
	out, err := f.doLocked(cmd)
	f.mu.Unlock()
	if err != nil {
		return err
	}
	for i := range out {
		out[i].RequestID = cmd.RequestID
	}
	f.emit(out)
	return nil
}

func (f *Finesse) emit(us []core.Update) {
	f.mu.Lock()
	sink := f.sink
	f.mu.Unlock()
	if sink == nil {
		return
	}
	for _, u := range us {
		sink.Apply(u)
	}
}

func (f *Finesse) findLocked(id string) int {
	return slices.IndexFunc(f.dialogs, func(d core.Dialog) bool { return d.ID == id })
}

func (f *Finesse) newDialogLocked(callType, from, to string, st core.ParticipantState, acts []core.Action) core.Dialog {
	f.next++
	d := Dialog(fmt.Sprint(1000+f.next), f.agent.Extension, from, st, acts...)
	if from == f.agent.Extension {
		d.Participants[1].Address = to
	}
	d.CallType, d.From, d.To = callType, from, to
	return d
}

func (f *Finesse) setStateLocked(st core.AgentState) core.Update {
	f.agent.State, f.agent.PendingState = st, ""
	if st != core.StateNotReady {
		f.agent.ReasonCodeID = ""
	}
	return AgentUpdate(f.agent)
}

// setPartLocked sets the agent's participant state and actions on dialog i
// and returns the dialog PUT.
func (f *Finesse) setPartLocked(i int, st core.ParticipantState, acts []core.Action) core.Update {
	d := &f.dialogs[i]
	d.Participants[0].State, d.Participants[0].Actions = st, slices.Clone(acts)
	if st == core.PartActive || st == core.PartHeld {
		d.State = core.DialogActive
		d.Participants[1].State = core.PartActive
	}
	return DialogUpdate(cloneDialog(*d))
}

// removeLocked deletes dialog id; the agent leaves TALKING when no call is
// left, for its pending state if any.
func (f *Finesse) removeLocked(id string) []core.Update {
	i := f.findLocked(id)
	if i < 0 {
		return nil
	}
	final := cloneDialog(f.dialogs[i])
	f.dialogs = slices.Delete(f.dialogs, i, i+1)
	out := []core.Update{{Kind: core.UpdateDialogRemoved, DialogID: id, Dialog: &final}}
	if len(f.dialogs) == 0 && f.agent.LoggedIn() {
		next := core.StateNotReady
		if f.agent.PendingState != "" {
			next = f.agent.PendingState
		}
		out = append(out, f.setStateLocked(next))
	}
	return out
}

func cloneDialog(d core.Dialog) core.Dialog {
	d.Variables = slices.Clone(d.Variables)
	d.Actions = slices.Clone(d.Actions)
	d.Participants = slices.Clone(d.Participants)
	for i := range d.Participants {
		d.Participants[i].Actions = slices.Clone(d.Participants[i].Actions)
	}
	return d
}

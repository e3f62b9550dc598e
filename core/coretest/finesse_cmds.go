package coretest

import (
	"slices"

	"github.com/agentlink/agentlink/core"
)

// doLocked applies cmd to f's state and returns the notifications.
func (f *Finesse) doLocked(cmd core.Command) ([]core.Update, error) {
	if cmd.Kind != core.CmdLogin && !f.agent.LoggedIn() {
		return nil, &core.FinesseError{Status: 400, Type: "Invalid State", Message: "agent is logged out"}
	}
	i := f.findLocked(cmd.DialogID)
	if i < 0 && cmd.DialogID != "" {
		return nil, &core.FinesseError{Status: 404, Type: "Dialog Not Found", Data: cmd.DialogID}
	}
	switch cmd.Kind {
	case core.CmdLogin, core.CmdLogout, core.CmdReady, core.CmdNotReady:
		return f.agentCmdLocked(cmd), nil
	case core.CmdMakeCall:
		return f.makeCallLocked(cmd.Number, ""), nil
	case core.CmdConsult:
		out := []core.Update{f.setPartLocked(i, core.PartHeld, HeldActions)}
		out = append(out, f.makeCallLocked(cmd.Number, cmd.DialogID)...)
		// With the consult call up, the held call can be transferred or joined.
		acts := slices.Concat(HeldActions, []core.Action{core.ActionTransfer, core.ActionConference})
		return append(out, f.setPartLocked(i, core.PartHeld, acts)), nil
	case core.CmdAnswer, core.CmdRetrieve:
		out := []core.Update{f.setPartLocked(i, core.PartActive, ActiveActions)}
		if f.agent.State != core.StateTalking {
			out = append(out, f.setStateLocked(core.StateTalking))
		}
		return out, nil
	case core.CmdHold:
		return []core.Update{f.setPartLocked(i, core.PartHeld, HeldActions)}, nil
	case core.CmdRelease, core.CmdSingleStepTransfer:
		return f.removeLocked(cmd.DialogID), nil
	case core.CmdTransfer:
		return f.transferLocked(i, false), nil
	case core.CmdConference:
		return f.transferLocked(i, true), nil
	}
	return f.dataLocked(i, cmd), nil
}

func (f *Finesse) agentCmdLocked(cmd core.Command) []core.Update {
	switch cmd.Kind {
	case core.CmdLogin:
		f.agent.Extension = cmd.Extension
		return []core.Update{f.setStateLocked(core.StateNotReady)}
	case core.CmdLogout:
		return f.logoutLocked()
	}
	return f.stateLocked(cmd)
}

func (f *Finesse) logoutLocked() []core.Update {
	if len(f.dialogs) > 0 {
		f.agent.PendingState = core.StateLogout
		return []core.Update{AgentUpdate(f.agent)}
	}
	u := f.setStateLocked(core.StateLogout)
	f.agent.Extension = ""
	u.Agent.Extension = ""
	return []core.Update{u}
}

func (f *Finesse) stateLocked(cmd core.Command) []core.Update {
	st := core.StateReady
	if cmd.Kind == core.CmdNotReady {
		st = core.StateNotReady
	}
	if len(f.dialogs) > 0 {
		f.agent.PendingState = st
		return []core.Update{AgentUpdate(f.agent)}
	}
	u := f.setStateLocked(st)
	if st == core.StateNotReady {
		f.agent.ReasonCodeID = cmd.ReasonCodeID
		u.Agent.ReasonCodeID = cmd.ReasonCodeID
	}
	return []core.Update{u}
}

// makeCallLocked places a call (a consult when original is set) that the
// far side answers at once.
func (f *Finesse) makeCallLocked(number, original string) []core.Update {
	callType := "OUT"
	if original != "" {
		callType = "CONSULT"
	}
	d := f.newDialogLocked(callType, f.agent.Extension, number, core.PartInitiating, []core.Action{core.ActionDrop})
	d.AssociatedID = original
	f.dialogs = append(f.dialogs, d)
	out := []core.Update{DialogUpdate(cloneDialog(d))}
	out = append(out, f.setPartLocked(len(f.dialogs)-1, core.PartActive, ActiveActions))
	if f.agent.State != core.StateTalking {
		out = append(out, f.setStateLocked(core.StateTalking))
	}
	return out
}

// transferLocked completes a consult from held dialog i: a transfer drops
// the agent from both calls, a conference keeps the original with the
// consulted party added.
func (f *Finesse) transferLocked(i int, conference bool) []core.Update {
	orig := f.dialogs[i].ID
	c := slices.IndexFunc(f.dialogs, func(d core.Dialog) bool { return d.AssociatedID == orig })
	if c < 0 {
		return []core.Update{{Kind: core.UpdateError, DialogID: orig,
			Err: &core.FinesseError{Type: "Generic Error", Message: "no consult call", DialogID: orig}}}
	}
	consult := f.dialogs[c]
	if !conference {
		return append(f.removeLocked(consult.ID), f.removeLocked(orig)...)
	}
	out := f.removeLocked(consult.ID)
	i = f.findLocked(orig)
	f.dialogs[i].Participants = append(f.dialogs[i].Participants, consult.Participants[1])
	f.dialogs[i].SecondaryID = consult.ID
	return append(out, f.setPartLocked(i, core.PartActive, ActiveActions))
}

// dataLocked answers the commands that only change a dialog's data.
func (f *Finesse) dataLocked(i int, cmd core.Command) []core.Update {
	d := &f.dialogs[i]
	switch cmd.Kind {
	case core.CmdUpdateCallData:
		for _, v := range cmd.Variables {
			j := slices.IndexFunc(d.Variables, func(x core.CallVariable) bool { return x.Name == v.Name })
			if j < 0 {
				d.Variables = append(d.Variables, v)
			} else {
				d.Variables[j] = v
			}
		}
	case core.CmdWrapUp:
		d.WrapUpReason = cmd.WrapUpReason
	}
	return []core.Update{DialogUpdate(cloneDialog(*d))}
}

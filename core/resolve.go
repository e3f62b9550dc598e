package core

import (
	"fmt"
	"strings"
)

// preferred is the agent participant state that picks a command's dialog
// when the caller gives no dialog id.
var preferred = map[CommandKind]ParticipantState{
	CmdAnswer:             PartAlerting,
	CmdHold:               PartActive,
	CmdRelease:            PartActive,
	CmdConsult:            PartActive,
	CmdSingleStepTransfer: PartActive,
	CmdSendDTMF:           PartActive,
	CmdUpdateCallData:     PartActive,
	CmdRetrieve:           PartHeld,
	CmdTransfer:           PartHeld,
	CmdConference:         PartHeld,
	CmdWrapUp:             PartWrapUp,
	CmdStartRecording:     PartActive,
}

// stateWords names the preferred states in error messages.
var stateWords = map[ParticipantState]string{
	PartAlerting: "ringing",
	PartActive:   "active",
	PartHeld:     "on hold",
	PartWrapUp:   "in wrap-up",
}

// resolveDialogLocked returns the dialog cmd applies to and checks that
// Finesse offers the agent the command's action on it now. Finesse would
// refuse a disallowed action only asynchronously, so it is checked here.
func (s *Session) resolveDialogLocked(cmd Command) (string, error) {
	var e *dialogEntry
	if cmd.DialogID != "" {
		if e, _ = s.findLocked(cmd.DialogID); e == nil {
			return "", fmt.Errorf("%s: %w: %s", cmd.Kind, ErrNoSuchDialog, cmd.DialogID)
		}
	} else if e = s.pickDialogLocked(cmd.Kind); e == nil {
		return "", fmt.Errorf("%s: %w: no call is %s", cmd.Kind, ErrNoSuchDialog, stateWords[preferred[cmd.Kind]])
	}
	act := dialogActions[cmd.Kind]
	if !e.d.Allows(act) && !recordingAllowed(cmd.Kind, e.d) {
		return "", fmt.Errorf("%s: %w: %s on dialog %s; allowed now: %s",
			cmd.Kind, ErrActionNotAllowed, act, e.d.ID, actionList(e.d.Actions))
	}
	return e.d.ID, nil
}

// pickDialogLocked picks the most recent dialog where the agent is in the
// command's preferred state; failing that, the most recent one that allows
// the command (a call still dialing can be released); for a wrap-up reason,
// the most recent dialog.
func (s *Session) pickDialogLocked(kind CommandKind) *dialogEntry {
	want, act := preferred[kind], dialogActions[kind]
	for i := len(s.dialogs) - 1; i >= 0; i-- {
		if s.dialogs[i].d.AgentState == want {
			return s.dialogs[i]
		}
	}
	for i := len(s.dialogs) - 1; i >= 0; i-- {
		if s.dialogs[i].d.Allows(act) {
			return s.dialogs[i]
		}
	}
	if kind == CmdWrapUp && len(s.dialogs) > 0 {
		return s.dialogs[len(s.dialogs)-1]
	}
	return nil
}

func actionList(acts []Action) string {
	if len(acts) == 0 {
		return "none"
	}
	parts := make([]string, len(acts))
	for i, a := range acts {
		parts[i] = string(a)
	}
	return strings.Join(parts, ", ")
}

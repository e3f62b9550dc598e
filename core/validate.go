package core

import (
	"fmt"
	"strings"
	"unicode"
)

// dialogActions maps each dialog command to the action Finesse must offer
// the agent for it. Setting a wrap-up reason is an UPDATE_CALL_DATA request.
var dialogActions = map[CommandKind]Action{
	CmdAnswer:             ActionAnswer,
	CmdHold:               ActionHold,
	CmdRetrieve:           ActionRetrieve,
	CmdRelease:            ActionDrop,
	CmdConsult:            ActionConsultCall,
	CmdTransfer:           ActionTransfer,
	CmdConference:         ActionConference,
	CmdSingleStepTransfer: ActionTransferSST,
	CmdSendDTMF:           ActionSendDTMF,
	CmdUpdateCallData:     ActionUpdateCallData,
	CmdWrapUp:             ActionUpdateCallData,
	CmdStartRecording:     ActionStartRecording, // recording.go
}

// dtmfDigits are the DTMF tones Finesse sends.
const dtmfDigits = "0123456789*#ABCD"

func invalid(kind CommandKind, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalidCommand, kind, fmt.Sprintf(format, args...))
}

// validateCommand checks what can be checked without the model: required
// fields and their syntax.
func validateCommand(cmd Command) error {
	switch cmd.Kind {
	case CmdLogin:
		return validateLogin(cmd)
	case CmdLogout, CmdReady, CmdNotReady, CmdAnswer, CmdHold, CmdRetrieve,
		CmdRelease, CmdTransfer, CmdConference, CmdStartRecording:
		return nil
	case CmdMakeCall, CmdConsult, CmdSingleStepTransfer:
		return validateNumber(cmd.Kind, cmd.Number)
	case CmdSendDTMF:
		return validateDigits(cmd.Digits)
	case CmdUpdateCallData:
		return validateVariables(cmd.Variables)
	case CmdWrapUp:
		if strings.TrimSpace(cmd.WrapUpReason) == "" {
			return invalid(cmd.Kind, "wrap-up reason required")
		}
		return nil
	case "":
		return fmt.Errorf("%w: command kind required", ErrInvalidCommand)
	}
	return fmt.Errorf("%w: unknown command kind %q", ErrInvalidCommand, cmd.Kind)
}

func validateLogin(cmd Command) error {
	switch {
	case strings.TrimSpace(cmd.AgentID) == "":
		return invalid(cmd.Kind, "agent id required")
	case cmd.Password == "" && !cmd.SSO:
		return invalid(cmd.Kind, "password required")
	case strings.TrimSpace(cmd.Extension) == "":
		return invalid(cmd.Kind, "extension required")
	}
	return validatePhone(cmd)
}

// validateNumber accepts what a dial string may hold; it refuses blanks and
// control characters rather than guess how to clean a number up.
func validateNumber(kind CommandKind, n string) error {
	if strings.TrimSpace(n) == "" {
		return invalid(kind, "number required")
	}
	for _, r := range n {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return invalid(kind, "number %q contains a space or control character", n)
		}
	}
	return nil
}

func validateDigits(d string) error {
	if d == "" {
		return invalid(CmdSendDTMF, "digits required")
	}
	for _, r := range d {
		if !strings.ContainsRune(dtmfDigits, r) {
			return invalid(CmdSendDTMF, "digit %q not allowed; use only %s", r, dtmfDigits)
		}
	}
	return nil
}

func validateVariables(vars []CallVariable) error {
	if len(vars) == 0 {
		return invalid(CmdUpdateCallData, "variables required")
	}
	for i, v := range vars {
		if strings.TrimSpace(v.Name) == "" {
			return invalid(CmdUpdateCallData, "variable %d: name required", i+1)
		}
	}
	return nil
}

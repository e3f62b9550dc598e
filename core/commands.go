package core

import (
	"context"
	"fmt"
)

// The methods below are shorthands for [Session.Execute]; see it for the
// errors they return. An empty dialogID picks the obvious dialog (see the
// Session API comment in session.go).

// Login signs the agent in on r.Extension.
func (s *Session) Login(ctx context.Context, r LoginRequest) error {
	return s.Execute(ctx, Command{Kind: CmdLogin, AgentID: r.AgentID, Password: r.Password, Extension: r.Extension,
		MobileMode: r.MobileMode, DialNumber: r.DialNumber, DeviceID: r.DeviceID, SSO: r.SSO})
}

// Logout signs the agent out with an optional logout reason code id.
// Finesse signs a blended agent out of every Media Routing Domain too
// (chat, email): there is no voice-only sign-out. Not Ready is voice only.
func (s *Session) Logout(ctx context.Context, reasonCodeID string) error {
	return s.Execute(ctx, Command{Kind: CmdLogout, ReasonCodeID: reasonCodeID})
}

// SetState asks for READY, NOT_READY (with an optional reason code id) or
// LOGOUT. Other states are entered by Finesse, never requested.
func (s *Session) SetState(ctx context.Context, st AgentState, reasonCodeID string) error {
	switch st {
	case StateReady:
		return s.Execute(ctx, Command{Kind: CmdReady})
	case StateNotReady:
		return s.Execute(ctx, Command{Kind: CmdNotReady, ReasonCodeID: reasonCodeID})
	case StateLogout:
		return s.Logout(ctx, reasonCodeID)
	}
	return fmt.Errorf("%w: SetState: state %q cannot be requested; use READY, NOT_READY or LOGOUT", ErrInvalidCommand, st)
}

// MakeCall dials number from the agent's extension.
func (s *Session) MakeCall(ctx context.Context, number string) error {
	return s.Execute(ctx, Command{Kind: CmdMakeCall, Number: number})
}

// Answer answers a ringing dialog.
func (s *Session) Answer(ctx context.Context, dialogID string) error {
	return s.dialogCmd(ctx, CmdAnswer, dialogID)
}

// Hold puts an active dialog on hold.
func (s *Session) Hold(ctx context.Context, dialogID string) error {
	return s.dialogCmd(ctx, CmdHold, dialogID)
}

// Retrieve takes a held dialog back.
func (s *Session) Retrieve(ctx context.Context, dialogID string) error {
	return s.dialogCmd(ctx, CmdRetrieve, dialogID)
}

// Release hangs up the agent's leg of a dialog.
func (s *Session) Release(ctx context.Context, dialogID string) error {
	return s.dialogCmd(ctx, CmdRelease, dialogID)
}

// Consult starts a consult call to number from an active dialog.
func (s *Session) Consult(ctx context.Context, dialogID, number string) error {
	return s.Execute(ctx, Command{Kind: CmdConsult, DialogID: dialogID, Number: number})
}

// Transfer completes a consult transfer of a held dialog.
func (s *Session) Transfer(ctx context.Context, dialogID string) error {
	return s.dialogCmd(ctx, CmdTransfer, dialogID)
}

// Conference joins a held dialog and its consult call.
func (s *Session) Conference(ctx context.Context, dialogID string) error {
	return s.dialogCmd(ctx, CmdConference, dialogID)
}

// SingleStepTransfer blind-transfers an active dialog to number.
func (s *Session) SingleStepTransfer(ctx context.Context, dialogID, number string) error {
	return s.Execute(ctx, Command{Kind: CmdSingleStepTransfer, DialogID: dialogID, Number: number})
}

// SendDTMF sends digits (0-9, *, #, A-D) on an active dialog.
func (s *Session) SendDTMF(ctx context.Context, dialogID, digits string) error {
	return s.Execute(ctx, Command{Kind: CmdSendDTMF, DialogID: dialogID, Digits: digits})
}

// UpdateCallData sets call variables on a dialog.
func (s *Session) UpdateCallData(ctx context.Context, dialogID string, vars []CallVariable) error {
	return s.Execute(ctx, Command{Kind: CmdUpdateCallData, DialogID: dialogID, Variables: vars})
}

// SetWrapUp sets the wrap-up reason (a label) of a dialog.
func (s *Session) SetWrapUp(ctx context.Context, dialogID, reason string) error {
	return s.Execute(ctx, Command{Kind: CmdWrapUp, DialogID: dialogID, WrapUpReason: reason})
}

func (s *Session) dialogCmd(ctx context.Context, kind CommandKind, dialogID string) error {
	return s.Execute(ctx, Command{Kind: kind, DialogID: dialogID})
}

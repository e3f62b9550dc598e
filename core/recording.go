package core

import "context"

// Recording control (UCCX): Cisco's "Dialog—Start Recording", a
// START_RECORDING request on the agent's active call. Finesse reports no
// change of the dialog when recording starts (not verified on a lab
// server), so the command succeeds when no error arrives within the quiet
// window, as DTMF does.

// CmdStartRecording starts recording the agent's active call (UCCX).
const CmdStartRecording CommandKind = "StartRecording"

// ActionStartRecording is the participant action Finesse may list for it.
const ActionStartRecording Action = "START_RECORDING"

// StartRecording starts recording an active call; "" picks the active one.
func (s *Session) StartRecording(ctx context.Context, dialogID string) error {
	return s.dialogCmd(ctx, CmdStartRecording, dialogID)
}

// recordingAllowed: whether Finesse lists START_RECORDING among the
// agent's actions is not verified, so an ACTIVE agent participant is
// enough; Finesse refuses it where recording is not available.
func recordingAllowed(kind CommandKind, d Dialog) bool {
	return kind == CmdStartRecording && (d.AgentState == PartActive || d.Allows(ActionStartRecording))
}

// quietCommand says whether Finesse notifies no success for kind: silence
// within the quiet window is success.
func quietCommand(kind CommandKind) bool {
	return kind == CmdSendDTMF || kind == CmdStartRecording
}

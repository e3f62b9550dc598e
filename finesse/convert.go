package finesse

import (
	"strings"
	"time"

	"github.com/agentlink/agentlink/core"
)

// convert.go is the one place that maps wire types to core types and core
// commands to request bodies.

func agentFromWire(u *wireUser) core.Agent {
	a := core.Agent{
		ID:               strings.TrimSpace(u.LoginID),
		FirstName:        u.FirstName,
		LastName:         u.LastName,
		State:            core.AgentState(strings.ToUpper(strings.TrimSpace(u.State))),
		ReasonCodeID:     strings.TrimSpace(u.ReasonCodeID),
		PendingState:     core.AgentState(strings.ToUpper(strings.TrimSpace(u.PendingState))),
		Extension:        strings.TrimSpace(u.Extension),
		Since:            parseTime(u.StateChange),
		WrapUpOnIncoming: strings.TrimSpace(u.Settings.WrapUpOnIncoming),
		MobileMode:       strings.ToUpper(strings.TrimSpace(u.MobileMode)),
		MobileDialNumber: strings.TrimSpace(u.MobileDial),
		ActiveDeviceID:   strings.TrimSpace(u.ActiveDeviceID),
	}
	if a.ID == "" {
		a.ID = lastSegment(u.URI)
	}
	if u.ReasonCode != nil {
		a.ReasonLabel = u.ReasonCode.Label
		if a.ReasonCodeID == "" {
			a.ReasonCodeID = firstNonEmpty(u.ReasonCode.ID, lastSegment(u.ReasonCode.URI))
		}
	}
	return a
}

func dialogFromWire(w *wireDialog) core.Dialog {
	mp := w.MediaProperties
	d := core.Dialog{
		ID:           firstNonEmpty(strings.TrimSpace(w.ID), lastSegment(w.URI)),
		AssociatedID: lastSegment(w.AssociatedURI),
		SecondaryID:  strings.TrimSpace(w.SecondaryID),
		State:        core.DialogState(strings.ToUpper(strings.TrimSpace(w.State))),
		CallType:     strings.TrimSpace(mp.CallType),
		From:         strings.TrimSpace(w.FromAddress),
		To:           strings.TrimSpace(w.ToAddress),
		DNIS:         strings.TrimSpace(mp.DNIS),
		DialedNumber: strings.TrimSpace(mp.DialedNumber),
		QueueName:    mp.QueueName,
		WrapUpReason: mp.WrapUpReason,
	}
	for _, v := range mp.CallVariables {
		d.Variables = append(d.Variables, core.CallVariable{Name: strings.TrimSpace(v.Name), Value: v.Value})
	}
	for _, p := range w.Participants {
		d.Participants = append(d.Participants, participantFromWire(p))
	}
	return d
}

func participantFromWire(p wireParticipant) core.Participant {
	cp := core.Participant{
		Address:     strings.TrimSpace(p.MediaAddress),
		AddressType: strings.TrimSpace(p.MediaAddressType),
		State:       core.ParticipantState(strings.ToUpper(strings.TrimSpace(p.State))),
		StateCause:  strings.TrimSpace(p.StateCause),
		Since:       parseTime(firstNonEmpty(p.StateChange, p.StartTime)),
	}
	for _, a := range p.Actions {
		if a = strings.TrimSpace(a); a != "" {
			cp.Actions = append(cp.Actions, core.Action(strings.ToUpper(a)))
		}
	}
	return cp
}

func dialogsFromWire(ws []wireDialog) []core.Dialog {
	out := make([]core.Dialog, 0, len(ws))
	for i := range ws {
		out = append(out, dialogFromWire(&ws[i]))
	}
	return out
}

// systemStatus maps SystemInfo/status; anything but IN_SERVICE (such as
// PARTIAL_SERVICE) is not usable (reference §2.1).
func systemStatus(s string) core.SystemStatus {
	if strings.EqualFold(strings.TrimSpace(s), string(core.InService)) {
		return core.InService
	}
	return core.OutOfService
}

// finesseError turns an ApiErrors body (first error) into a FinesseError.
func finesseError(status int, e *wireAPIErrors) *core.FinesseError {
	fe := &core.FinesseError{Status: status}
	if e != nil && len(e.Errors) > 0 {
		x := e.Errors[0]
		fe.Type = strings.TrimSpace(x.Type)
		fe.Message = strings.TrimSpace(x.Message)
		fe.Data = strings.TrimSpace(x.Data)
	}
	return fe
}

func reasonCodesFromWire(w *wireReasonCodes, cat core.ReasonCategory) []core.ReasonCode {
	out := make([]core.ReasonCode, 0, len(w.Codes))
	for _, c := range w.Codes {
		rc := core.ReasonCode{
			ID:       firstNonEmpty(lastSegment(c.URI), strings.TrimSpace(c.ID)),
			Category: core.ReasonCategory(firstNonEmpty(strings.TrimSpace(c.Category), w.Category, string(cat))),
			Code:     strings.TrimSpace(c.Code),
			Label:    c.Label,
		}
		out = append(out, rc)
	}
	return out
}

func wrapUpReasonsFromWire(w *wireWrapUpReasons) []core.WrapUpReason {
	out := make([]core.WrapUpReason, 0, len(w.Reasons))
	for _, r := range w.Reasons {
		out = append(out, core.WrapUpReason{ID: lastSegment(r.URI), Label: r.Label})
	}
	return out
}

func contactsFromWire(book string, w *wireContacts) []core.Contact {
	out := make([]core.Contact, 0, len(w.Contacts))
	for _, c := range w.Contacts {
		out = append(out, core.Contact{
			PhoneBook: book, FirstName: c.FirstName, LastName: c.LastName,
			Number: strings.TrimSpace(c.PhoneNumber), Description: c.Description,
		})
	}
	return out
}

// dialogAction is the requestedAction of each dialog command.
var dialogAction = map[core.CommandKind]string{
	core.CmdAnswer:             "ANSWER",
	core.CmdHold:               "HOLD",
	core.CmdRetrieve:           "RETRIEVE",
	core.CmdRelease:            "DROP",
	core.CmdConsult:            "CONSULT_CALL",
	core.CmdTransfer:           "TRANSFER",
	core.CmdConference:         "CONFERENCE",
	core.CmdSingleStepTransfer: "TRANSFER_SST",
	core.CmdSendDTMF:           "SEND_DTMF",
	core.CmdUpdateCallData:     "UPDATE_CALL_DATA",
	core.CmdWrapUp:             "UPDATE_CALL_DATA",
	core.CmdStartRecording:     "START_RECORDING", // UCCX (core/recording.go)
}

// dialogBody builds the PUT Dialog body for cmd; ext is the agent's
// extension (targetMediaAddress).
func dialogBody(cmd core.Command, ext string) dialogRequest {
	req := dialogRequest{RequestedAction: dialogAction[cmd.Kind], TargetMediaAddress: ext}
	switch cmd.Kind {
	case core.CmdConsult, core.CmdSingleStepTransfer:
		req.ToAddress = cmd.Number
	case core.CmdSendDTMF:
		req.ActionParams = &actionParams{Params: []nameValue{{Name: "dtmfString", Value: cmd.Digits}}}
	case core.CmdUpdateCallData, core.CmdWrapUp:
		// UPDATE_CALL_DATA needs no targetMediaAddress (reference §2.4).
		req.TargetMediaAddress = ""
		req.MediaProperties = &mediaPropsRequest{WrapUpReason: cmd.WrapUpReason}
		if len(cmd.Variables) > 0 {
			cv := &callVariables{}
			for _, v := range cmd.Variables {
				cv.Vars = append(cv.Vars, nameValue{Name: v.Name, Value: v.Value})
			}
			req.MediaProperties.CallVariables = cv
		}
	}
	return req
}

// userBody builds the PUT User body for a state command.
func userBody(cmd core.Command, ext string) userRequest {
	switch cmd.Kind {
	case core.CmdLogin:
		return userRequest{State: string(core.StateLogin), Extension: ext}
	case core.CmdReady:
		return userRequest{State: string(core.StateReady)}
	case core.CmdNotReady:
		return userRequest{State: string(core.StateNotReady), ReasonCodeID: cmd.ReasonCodeID}
	default: // CmdLogout
		return userRequest{State: string(core.StateLogout), ReasonCodeID: cmd.ReasonCodeID}
	}
}

func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// lastSegment returns the last path segment of a Finesse uri
// ("/finesse/api/Dialog/42" -> "42").
func lastSegment(uri string) string {
	uri = strings.TrimRight(strings.TrimSpace(uri), "/")
	if i := strings.LastIndexByte(uri, '/'); i >= 0 {
		return uri[i+1:]
	}
	return uri
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

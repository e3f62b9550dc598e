package finessesim

import (
	"strconv"
	"strings"
)

// Static configuration data served by the config endpoints (reference §2.5–2.8).
var (
	notReadyCodes = []wireListedReasonCode{
		{URI: "/finesse/api/ReasonCode/17", Category: "NOT_READY", Code: "12", Label: "Lunch", ForAll: "true", SystemCode: "false"},
		{URI: "/finesse/api/ReasonCode/18", Category: "NOT_READY", Code: "13", Label: "Meeting", ForAll: "true", SystemCode: "false"},
		{URI: "/finesse/api/ReasonCode/19", Category: "NOT_READY", Code: "14", Label: "Break", ForAll: "true", SystemCode: "false"},
	}
	logoutCodes = []wireListedReasonCode{
		{URI: "/finesse/api/ReasonCode/23", Category: "LOGOUT", Code: "31", Label: "End of shift", ForAll: "true", SystemCode: "false"},
	}
	wrapUpReasons = []wireWrapUpReason{
		{URI: "/finesse/api/WrapUpReason/5", Label: "Billing question", ForAll: "true"},
		{URI: "/finesse/api/WrapUpReason/6", Label: "Sales inquiry", ForAll: "true"},
	}
	phoneBooks = []wirePhoneBook{
		{URI: "/finesse/api/PhoneBook/1", Name: "Global Directory", Type: "GLOBAL", Contacts: "/finesse/api/PhoneBook/1/Contacts"},
		{URI: "/finesse/api/PhoneBook/2", Name: "Sim Team Book", Type: "TEAM", Contacts: "/finesse/api/PhoneBook/2/Contacts"},
	}
	contacts = map[string][]wireContact{
		"1": {
			{FirstName: "Carol", LastName: "Customer", PhoneNumber: "4085550100", Description: "Key account", URI: "/finesse/api/PhoneBook/1/Contact/1"},
			{FirstName: "Help", LastName: "Desk", PhoneNumber: "4085550199", Description: "Internal help desk", URI: "/finesse/api/PhoneBook/1/Contact/2"},
		},
		"2": {
			{FirstName: "Team", LastName: "Lead", PhoneNumber: "5099", Description: "Supervisor", URI: "/finesse/api/PhoneBook/2/Contact/3"},
		},
	}
	// queues maps queue id to name; routed calls name one of these.
	queues = []struct{ ID, Name string }{{"7001", "Sales"}, {"7002", "Support"}}
)

// reasonCode finds a configured reason code by id in a category.
func reasonCode(category, id string) (wireListedReasonCode, bool) {
	list := notReadyCodes
	if category == "LOGOUT" {
		list = logoutCodes
	}
	for _, rc := range list {
		if strings.TrimPrefix(rc.URI, "/finesse/api/ReasonCode/") == id {
			return rc, true
		}
	}
	return wireListedReasonCode{}, false
}

func (s *Sim) wireUserLocked(a *agent) wireUser {
	c := a.cfg
	u := wireUser{
		URI: userNode(c.ID), Roles: []string{"Agent"}, LoginID: c.ID, LoginName: "agent" + c.ID,
		FirstName: c.FirstName, LastName: c.LastName, Extension: a.extension, State: a.state,
		StateChangeTime: stamp(a.stateChange), PendingState: a.pending, ReasonCodeID: a.reasonCodeID,
		Settings: wireSettings{WrapUpOnIncoming: c.WrapUpOnIncoming, WrapUpOnOutgoing: "NOT_ALLOWED"},
		TeamID:   c.TeamID, TeamName: "Sim Team", SkillTargetID: "51" + pad2(c.ID),
		Dialogs: dialogsNode(c.ID), MediaType: "1",
	}
	if c.TeamID != "10" {
		u.TeamName = "Sim Team " + c.TeamID
	}
	if a.mobileMode != "" {
		u.MobileAgent = &wireMobileAgent{Mode: a.mobileMode, DialNumber: a.mobileDial}
	}
	u.ActiveDeviceID = a.activeDevice
	for _, cat := range []string{"NOT_READY", "LOGOUT"} {
		if rc, ok := reasonCode(cat, a.reasonCodeID); ok && cat == categoryOf(a.state) && (a.state == stNotReady || a.state == stLogout) {
			u.ReasonCode = &wireReasonCode{Category: rc.Category, URI: rc.URI, Code: rc.Code,
				Label: rc.Label, ForAll: rc.ForAll, SystemCode: rc.SystemCode, ID: a.reasonCodeID}
		}
	}
	return u
}

// pad2 returns the last two characters of id (skillTargetId filler).
func pad2(id string) string {
	if len(id) >= 2 {
		return id[len(id)-2:]
	}
	return "0" + id
}

func categoryOf(state string) string {
	if state == stLogout {
		return "LOGOUT"
	}
	return "NOT_READY"
}

func (s *Sim) wireDialogLocked(d *dialog) wireDialog {
	w := wireDialog{
		URI: dialogURI(d.id), ID: d.id, SecondaryID: d.secondaryID, MediaType: "Voice",
		State: d.state, FromAddress: d.from, ToAddress: d.to,
		MediaProperties: wireMediaProps{
			MediaID: "1", DialedNumber: d.dialed, DNIS: d.dnis, CallType: d.callType,
			QueueNumber: d.queueNumber, QueueName: d.queueName, WrapUpReason: d.wrapUpReason,
		},
	}
	if d.assocID != "" {
		w.AssociatedDialogURI = dialogURI(d.assocID)
	}
	if s.cfg.Deployment == UCCE {
		w.MediaProperties.CallKeyCallID = d.id
		w.MediaProperties.CallKeySequenceNum = "1"
		w.MediaProperties.CallKeyPrefix = "153000"
	}
	for _, v := range d.vars {
		w.MediaProperties.CallVariables.Vars = append(w.MediaProperties.CallVariables.Vars, wireVar(v))
	}
	for _, p := range d.parts {
		wp := wireParticipant{
			Actions: wireActions{Actions: s.actionsLocked(d, p)}, MediaAddress: p.addr,
			StartTime: stamp(p.start), State: p.state, StateCause: p.cause, StateChangeTime: stamp(p.change),
		}
		if p.agentID != "" {
			wp.MediaAddressType = agentDeviceAddrType
		}
		w.Participants.Items = append(w.Participants.Items, wp)
	}
	return w
}

// actionsLocked lists what participant p may do now (reference §3.2).
func (s *Sim) actionsLocked(d *dialog, p *participant) []string {
	if p.agentID == "" {
		return nil
	}
	switch p.state {
	case psInitiating, psInitiated:
		return []string{"DROP", "UPDATE_CALL_DATA"}
	case psAlerting:
		return []string{"ANSWER"}
	case psActive:
		if s.cfg.Deployment == UCCX {
			return s.withRecordingAction([]string{"CONSULT_CALL", "HOLD", "UPDATE_CALL_DATA", "SEND_DTMF", "DROP"})
		}
		return []string{"TRANSFER_SST", "CONSULT_CALL", "HOLD", "UPDATE_CALL_DATA", "SEND_DTMF", "DROP"}
	case psHeld:
		acts := []string{"RETRIEVE", "DROP", "UPDATE_CALL_DATA"}
		if s.activeConsultLocked(d, p.agentID) != nil {
			acts = append(acts, "TRANSFER", "CONFERENCE")
		}
		return acts
	case psFailed:
		return []string{"DROP"}
	case psWrapUp:
		return []string{"UPDATE_CALL_DATA"}
	}
	return nil
}

// activeConsultLocked returns the ACTIVE consult dialog associated with the
// held dialog d in which agentID is an ACTIVE participant, or nil.
func (s *Sim) activeConsultLocked(d *dialog, agentID string) *dialog {
	if d.assocID == "" {
		return nil
	}
	c := s.dialogs[d.assocID]
	if c == nil || c.state != psActive {
		return nil
	}
	if p := c.agentParty(agentID); p == nil || p.state != psActive {
		return nil
	}
	return c
}

func (s *Sim) wireSystemInfoLocked(n *Node) wireSystemInfo {
	now := s.now()
	status, reason := "IN_SERVICE", ""
	if !n.inService {
		status, reason = "OUT_OF_SERVICE", "CTI_CONNECTION_LOST"
	}
	node := func(id NodeID) wireNode {
		m := s.nodes[id]
		return wireNode{Host: m.domain, HTTPSPort: strconv.Itoa(m.ports.REST),
			XMPPPort: strconv.Itoa(m.ports.XMPPStartTLS), XMPPSecurePort: strconv.Itoa(m.ports.XMPPTLS)}
	}
	return wireSystemInfo{
		CurrentTimestamp: stamp(now), DeploymentType: s.cfg.Deployment,
		LastCTIHeartbeatStatus: strconv.FormatBool(n.inService), LastSuccessCTIHeartbeatTime: stamp(now),
		CTIVersion: "22", CTIHeartbeatInterval: "5", License: "SIMULATED", PeripheralID: "5000",
		PrimaryNode: node(NodeA), SecondaryNode: node(NodeB), Status: status, StatusReason: reason,
		SystemAuthMode: s.cfg.SSO.AuthMode, TimezoneOffset: "0", URI: "/finesse/api/SystemInfo",
		XMPPDomain: n.domain, XMPPPubSubDomain: "pubsub." + n.domain,
		FinesseMMode: n.mmode, FinesseTimeInMMode: s.timeInMModeLocked(n, now), CTITimeInMMode: "-1",
		CTIServers: []wireCTIServer{{Host: "cg-" + strings.ToLower(string(n.id)) + ".sim.test",
			ConnectedDuration: "3600", Active: strconv.FormatBool(n.inService)}},
	}
}

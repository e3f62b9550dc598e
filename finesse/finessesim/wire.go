package finessesim

import (
	"bytes"
	"encoding/xml"
)

// Wire types: the simulator's own Finesse XML shapes (reference §2–§6). They
// carry no XMLName so one type serves both the UpperCamel REST root and the
// lowerCamel notification root; the root name is chosen at encode time.

type wireUser struct {
	URI             string          `xml:"uri"`
	Roles           []string        `xml:"roles>role"`
	LoginID         string          `xml:"loginId"`
	LoginName       string          `xml:"loginName"`
	FirstName       string          `xml:"firstName"`
	LastName        string          `xml:"lastName"`
	Extension       string          `xml:"extension"`
	State           string          `xml:"state"`
	StateChangeTime string          `xml:"stateChangeTime"`
	PendingState    string          `xml:"pendingState"`
	ReasonCodeID    string          `xml:"reasonCodeId"`
	ReasonCode      *wireReasonCode `xml:"ReasonCode,omitempty"`
	Settings        wireSettings    `xml:"settings"`
	TeamID          string          `xml:"teamId"`
	TeamName        string          `xml:"teamName"`
	SkillTargetID   string          `xml:"skillTargetId"`
	Dialogs         string          `xml:"dialogs"`
	MediaType       string          `xml:"mediaType"`
	// mobile.go: set only for a mobile agent / a chosen device.
	MobileAgent    *wireMobileAgent `xml:"mobileAgent,omitempty"`
	ActiveDeviceID string           `xml:"activeDeviceId,omitempty"`
}

type wireSettings struct {
	WrapUpOnIncoming string `xml:"wrapUpOnIncoming"`
	WrapUpOnOutgoing string `xml:"wrapUpOnOutgoing"`
	DeviceSelection  string `xml:"deviceSelection"`
}

// wireReasonCode is used both inside User (with id) and in ReasonCodes lists.
type wireReasonCode struct {
	Category   string `xml:"category"`
	URI        string `xml:"uri"`
	Code       string `xml:"code"`
	Label      string `xml:"label"`
	ForAll     string `xml:"forAll"`
	SystemCode string `xml:"systemCode"`
	ID         string `xml:"id,omitempty"`
}

// wireListedReasonCode keeps the element order of the ReasonCodes list
// (reference §2.5: uri first).
type wireListedReasonCode struct {
	URI        string `xml:"uri"`
	Category   string `xml:"category"`
	Code       string `xml:"code"`
	Label      string `xml:"label"`
	ForAll     string `xml:"forAll"`
	SystemCode string `xml:"systemCode"`
}

type wireReasonCodes struct {
	XMLName  xml.Name               `xml:"ReasonCodes"`
	Category string                 `xml:"category,attr,omitempty"`
	Codes    []wireListedReasonCode `xml:"ReasonCode"`
}

type wireWrapUpReasons struct {
	XMLName xml.Name           `xml:"WrapUpReasons"`
	Reasons []wireWrapUpReason `xml:"WrapUpReason"`
}

type wireWrapUpReason struct {
	URI    string `xml:"uri"`
	Label  string `xml:"label"`
	ForAll string `xml:"forAll"`
}

type wirePhoneBooks struct {
	XMLName xml.Name        `xml:"PhoneBooks"`
	Books   []wirePhoneBook `xml:"PhoneBook"`
}

type wirePhoneBook struct {
	URI      string `xml:"uri"`
	Name     string `xml:"name"`
	Type     string `xml:"type"`
	Contacts string `xml:"contacts"`
}

type wireContacts struct {
	XMLName  xml.Name      `xml:"Contacts"`
	Contacts []wireContact `xml:"Contact"`
}

type wireContact struct {
	FirstName   string `xml:"firstName"`
	LastName    string `xml:"lastName"`
	PhoneNumber string `xml:"phoneNumber"`
	Description string `xml:"description"`
	URI         string `xml:"uri"`
}

type wireQueues struct {
	XMLName xml.Name    `xml:"Queues"`
	Queues  []wireQueue `xml:"Queue"`
}

type wireQueue struct {
	URI        string         `xml:"uri"`
	Name       string         `xml:"name"`
	Statistics wireQueueStats `xml:"statistics"`
}

type wireQueueStats struct {
	CallsInQueue                  string `xml:"callsInQueue"`
	StartTimeOfLongestCallInQueue string `xml:"startTimeOfLongestCallInQueue"`
	AgentsReady                   string `xml:"agentsReady"`
	AgentsNotReady                string `xml:"agentsNotReady"`
	AgentsBusyOther               string `xml:"agentsBusyOther"`
	AgentsLoggedOn                string `xml:"agentsLoggedOn"`
	AgentsTalkingInbound          string `xml:"agentsTalkingInbound"`
	AgentsTalkingOutbound         string `xml:"agentsTalkingOutbound"`
	AgentsTalkingInternal         string `xml:"agentsTalkingInternal"`
	AgentsWrapUpNotReady          string `xml:"agentsWrapUpNotReady"`
	AgentsWrapUpReady             string `xml:"agentsWrapUpReady"`
}

type wireDialog struct {
	URI                 string           `xml:"uri"`
	ID                  string           `xml:"id"`
	AssociatedDialogURI string           `xml:"associatedDialogUri"`
	SecondaryID         string           `xml:"secondaryId"`
	MediaType           string           `xml:"mediaType"`
	State               string           `xml:"state"`
	FromAddress         string           `xml:"fromAddress"`
	ToAddress           string           `xml:"toAddress"`
	MediaProperties     wireMediaProps   `xml:"mediaProperties"`
	Participants        wireParticipants `xml:"participants"`
}

type wireMediaProps struct {
	MediaID            string        `xml:"mediaId"`
	DialedNumber       string        `xml:"dialedNumber"`
	DNIS               string        `xml:"DNIS"`
	CallType           string        `xml:"callType"`
	QueueNumber        string        `xml:"queueNumber"`
	QueueName          string        `xml:"queueName"`
	CallKeyCallID      string        `xml:"callKeyCallId"`
	CallKeySequenceNum string        `xml:"callKeySequenceNum"`
	CallKeyPrefix      string        `xml:"callKeyPrefix"`
	WrapUpReason       string        `xml:"wrapUpReason"`
	CallVariables      wireVariables `xml:"callvariables"`
}

type wireVariables struct {
	Vars []wireVar `xml:"CallVariable"`
}

type wireVar struct {
	Name  string `xml:"name"`
	Value string `xml:"value"`
}

type wireParticipants struct {
	Items []wireParticipant `xml:"Participant"`
}

type wireParticipant struct {
	Actions          wireActions `xml:"actions"`
	MediaAddress     string      `xml:"mediaAddress"`
	MediaAddressType string      `xml:"mediaAddressType"`
	StartTime        string      `xml:"startTime"`
	State            string      `xml:"state"`
	StateCause       string      `xml:"stateCause"`
	StateChangeTime  string      `xml:"stateChangeTime"`
}

type wireActions struct {
	Actions []string `xml:"action"`
}

type wireDialogs struct {
	Dialogs []wireDialog `xml:"Dialog"`
}

type wireNode struct {
	Host           string `xml:"host"`
	HTTPSPort      string `xml:"httpsPort"`
	XMPPPort       string `xml:"xmppPort"`
	XMPPSecurePort string `xml:"xmppSecurePort"`
}

type wireSystemInfo struct {
	CurrentTimestamp            string          `xml:"currentTimestamp"`
	DeploymentType              string          `xml:"deploymentType"`
	LastCTIHeartbeatStatus      string          `xml:"lastCTIHeartbeatStatus"`
	LastSuccessCTIHeartbeatTime string          `xml:"lastSuccessCTIHeartbeatTime"`
	CTIVersion                  string          `xml:"ctiVersion"`
	CTIHeartbeatInterval        string          `xml:"ctiHeartbeatInterval"`
	CTIMMode                    string          `xml:"ctiMMode"`
	CTITimeInMMode              string          `xml:"ctiTimeInMMode"`
	FinesseMMode                string          `xml:"finesseMMode"`
	FinesseTimeInMMode          string          `xml:"finesseTimeInMMode"`
	License                     string          `xml:"license"`
	PeripheralID                string          `xml:"peripheralId"`
	PrimaryNode                 wireNode        `xml:"primaryNode"`
	SecondaryNode               wireNode        `xml:"secondaryNode"`
	Status                      string          `xml:"status"`
	StatusReason                string          `xml:"statusReason"`
	SystemAuthMode              string          `xml:"systemAuthMode"`
	TimezoneOffset              string          `xml:"timezoneOffset"`
	URI                         string          `xml:"uri"`
	XMPPDomain                  string          `xml:"xmppDomain"`
	XMPPPubSubDomain            string          `xml:"xmppPubSubDomain"`
	CTIServers                  []wireCTIServer `xml:"ctiServers>ctiServer"`
}

type wireCTIServer struct {
	Host              string `xml:"host"`
	ConnectedDuration string `xml:"connectedDuration"`
	Active            string `xml:"active"`
}

// wireAPIError is the synchronous REST error (UpperCamel children, §5).
type wireAPIError struct {
	ErrorType    string `xml:"ErrorType"`
	ErrorMessage string `xml:"ErrorMessage"`
	ErrorData    string `xml:"ErrorData"`
}

type wireAPIErrors struct {
	XMLName xml.Name       `xml:"ApiErrors"`
	Errors  []wireAPIError `xml:"ApiError"`
}

// wireAsyncError is the asynchronous CTI error (lowerCamel children, §5).
type wireAsyncError struct {
	ErrorData    string `xml:"errorData"`
	ErrorMessage string `xml:"errorMessage"`
	ErrorType    string `xml:"errorType"`
}

type wireAsyncErrors struct {
	Errors []wireAsyncError `xml:"apiError"`
}

// wireUpdate is the Finesse notification document (§6.2). Data holds the
// already-encoded data root.
type wireUpdate struct {
	XMLName   xml.Name `xml:"Update"`
	Data      innerXML `xml:"data"`
	Event     string   `xml:"event"`
	RequestID string   `xml:"requestId"`
	Source    string   `xml:"source"`
}

type innerXML struct {
	Inner []byte `xml:",innerxml"`
}

// encodeRoot encodes v with the given root element name.
func encodeRoot(v any, root string) []byte {
	var b bytes.Buffer
	e := xml.NewEncoder(&b)
	// Encoding our own structs cannot fail; a failure is a programming error.
	if err := e.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: root}}); err != nil {
		panic("finessesim: encode " + root + ": " + err.Error())
	}
	return b.Bytes()
}

// updateDoc builds the escaped-payload text of a notification.
func updateDoc(data []byte, event, requestID, source string) string {
	u := wireUpdate{Data: innerXML{Inner: data}, Event: event, RequestID: requestID, Source: source}
	b, err := xml.Marshal(u)
	if err != nil {
		panic("finessesim: encode Update: " + err.Error())
	}
	return string(b)
}

// Request bodies.

type reqUser struct {
	State        string `xml:"state"`
	Extension    string `xml:"extension"`
	ReasonCodeID string `xml:"reasonCodeId"`
	// mobile.go
	ActiveDeviceID string `xml:"activeDeviceId"`
	MobileAgent    *struct {
		Mode       string `xml:"mode"`
		DialNumber string `xml:"dialNumber"`
	} `xml:"mobileAgent"`
}

type reqDialog struct {
	RequestedAction    string         `xml:"requestedAction"`
	FromAddress        string         `xml:"fromAddress"`
	ToAddress          string         `xml:"toAddress"`
	TargetMediaAddress string         `xml:"targetMediaAddress"`
	MediaProperties    *reqMediaProps `xml:"mediaProperties"`
	ActionParams       []wireVar      `xml:"actionParams>ActionParam"`
}

type reqMediaProps struct {
	WrapUpReason  *string   `xml:"wrapUpReason"`
	CallVariables []wireVar `xml:"callvariables>CallVariable"`
}

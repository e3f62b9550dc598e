package finesse

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Finesse's XML element case is inconsistent (reference §6.2, §10.1: <User>
// in REST bodies, <user> in notifications, <ApiError>/<apiError>). Every
// decode goes through lowerReader, which lowercases element names, so the
// decoding structs below carry all-lowercase tags and accept any case.

// lowerReader lowercases the local name of every start and end element.
type lowerReader struct{ d *xml.Decoder }

func (r lowerReader) Token() (xml.Token, error) {
	t, err := r.d.Token()
	switch v := t.(type) {
	case xml.StartElement:
		v.Name.Local = strings.ToLower(v.Name.Local)
		return v, err
	case xml.EndElement:
		v.Name.Local = strings.ToLower(v.Name.Local)
		return v, err
	}
	return t, err
}

// decodeXML decodes data into v (a pointer to a struct whose XMLName tag
// names the expected, lowercase root) and wraps failures in ErrMalformed.
func decodeXML(data []byte, what string, v any) error {
	inner := xml.NewDecoder(bytes.NewReader(data))
	inner.CharsetReader = latin1Reader
	if err := xml.NewTokenDecoder(lowerReader{inner}).Decode(v); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrMalformed, what, err)
	}
	return nil
}

// latin1Reader accepts the one non-UTF-8 charset an old Tomcat might
// declare; anything else is refused.
func latin1Reader(charset string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "iso-8859-1", "latin1", "us-ascii":
		b, err := io.ReadAll(in)
		if err != nil {
			return nil, err
		}
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return strings.NewReader(string(r)), nil
	}
	return nil, fmt.Errorf("unsupported charset %q", charset)
}

// Decoding types (lowercase tags, see above).

type wireUser struct {
	XMLName      xml.Name        `xml:"user"`
	URI          string          `xml:"uri"`
	LoginID      string          `xml:"loginid"`
	LoginName    string          `xml:"loginname"`
	FirstName    string          `xml:"firstname"`
	LastName     string          `xml:"lastname"`
	Extension    string          `xml:"extension"`
	State        string          `xml:"state"`
	StateChange  string          `xml:"statechangetime"`
	PendingState string          `xml:"pendingstate"`
	ReasonCodeID string          `xml:"reasoncodeid"`
	ReasonCode   *wireReasonCode `xml:"reasoncode"`
	Settings     wireSettings    `xml:"settings"`
	TeamID       string          `xml:"teamid"`
	// Mobile agent and multiline (phone.go).
	MobileMode     string `xml:"mobileagent>mode"`
	MobileDial     string `xml:"mobileagent>dialnumber"`
	ActiveDeviceID string `xml:"activedeviceid"`
}

type wireSettings struct {
	WrapUpOnIncoming string `xml:"wrapuponincoming"`
}

type wireReasonCode struct {
	URI      string `xml:"uri"`
	ID       string `xml:"id"`
	Category string `xml:"category"`
	Code     string `xml:"code"`
	Label    string `xml:"label"`
}

type wireReasonCodes struct {
	XMLName  xml.Name         `xml:"reasoncodes"`
	Category string           `xml:"category,attr"`
	Codes    []wireReasonCode `xml:"reasoncode"`
}

type wireWrapUpReasons struct {
	XMLName xml.Name           `xml:"wrapupreasons"`
	Reasons []wireWrapUpReason `xml:"wrapupreason"`
}

type wireWrapUpReason struct {
	URI   string `xml:"uri"`
	Label string `xml:"label"`
}

type wirePhoneBooks struct {
	XMLName xml.Name        `xml:"phonebooks"`
	Books   []wirePhoneBook `xml:"phonebook"`
}

type wirePhoneBook struct {
	URI      string `xml:"uri"`
	Name     string `xml:"name"`
	Type     string `xml:"type"`
	Contacts string `xml:"contacts"`
}

type wireContacts struct {
	XMLName  xml.Name      `xml:"contacts"`
	Contacts []wireContact `xml:"contact"`
}

type wireContact struct {
	FirstName   string `xml:"firstname"`
	LastName    string `xml:"lastname"`
	PhoneNumber string `xml:"phonenumber"`
	Description string `xml:"description"`
}

type wireDialogs struct {
	XMLName xml.Name     `xml:"dialogs"`
	Dialogs []wireDialog `xml:"dialog"`
}

type wireDialog struct {
	XMLName         xml.Name          `xml:"dialog"`
	URI             string            `xml:"uri"`
	ID              string            `xml:"id"`
	AssociatedURI   string            `xml:"associateddialoguri"`
	SecondaryID     string            `xml:"secondaryid"`
	MediaType       string            `xml:"mediatype"`
	State           string            `xml:"state"`
	FromAddress     string            `xml:"fromaddress"`
	ToAddress       string            `xml:"toaddress"`
	MediaProperties wireMediaProps    `xml:"mediaproperties"`
	Participants    []wireParticipant `xml:"participants>participant"`
}

type wireMediaProps struct {
	DialedNumber  string         `xml:"dialednumber"`
	DNIS          string         `xml:"dnis"`
	CallType      string         `xml:"calltype"`
	QueueNumber   string         `xml:"queuenumber"`
	QueueName     string         `xml:"queuename"`
	WrapUpReason  string         `xml:"wrapupreason"`
	CallVariables []wireVariable `xml:"callvariables>callvariable"`
}

type wireVariable struct {
	Name  string `xml:"name"`
	Value string `xml:"value"`
}

type wireParticipant struct {
	Actions          []string `xml:"actions>action"`
	MediaAddress     string   `xml:"mediaaddress"`
	MediaAddressType string   `xml:"mediaaddresstype"`
	StartTime        string   `xml:"starttime"`
	StateChange      string   `xml:"statechangetime"`
	State            string   `xml:"state"`
	StateCause       string   `xml:"statecause"`
}

type wireNode struct {
	Host           string `xml:"host"`
	HTTPSPort      string `xml:"httpsport"`
	XMPPPort       string `xml:"xmppport"`
	XMPPSecurePort string `xml:"xmppsecureport"`
}

type wireSystemInfo struct {
	XMLName          xml.Name `xml:"systeminfo"`
	Status           string   `xml:"status"`
	StatusReason     string   `xml:"statusreason"`
	DeploymentType   string   `xml:"deploymenttype"`
	SystemAuthMode   string   `xml:"systemauthmode"`
	FinesseMMode     string   `xml:"finessemmode"` // maintenance mode, 12.6 (maintenance.go)
	XMPPDomain       string   `xml:"xmppdomain"`
	XMPPPubSubDomain string   `xml:"xmpppubsubdomain"`
	PrimaryNode      wireNode `xml:"primarynode"`
	SecondaryNode    wireNode `xml:"secondarynode"`
}

type wireAPIErrors struct {
	XMLName xml.Name       `xml:"apierrors"`
	Errors  []wireAPIError `xml:"apierror"`
}

type wireAPIError struct {
	Type    string `xml:"errortype"`
	Message string `xml:"errormessage"`
	Data    string `xml:"errordata"`
}

// wireUpdate is the Update document carried (escaped) in a notification.
type wireUpdate struct {
	XMLName   xml.Name `xml:"update"`
	Data      wireData `xml:"data"`
	Event     string   `xml:"event"`
	RequestID string   `xml:"requestid"`
	Source    string   `xml:"source"`
}

type wireData struct {
	User       *wireUser       `xml:"user"`
	Dialog     *wireDialog     `xml:"dialog"`
	Dialogs    *wireDialogs    `xml:"dialogs"`
	SystemInfo *wireSystemInfo `xml:"systeminfo"`
	APIErrors  *wireAPIErrors  `xml:"apierrors"`
}

// Request bodies. Finesse expects UpperCamel roots and lowerCamel children
// (reference §2.2-2.4); these are only ever encoded.

type userRequest struct {
	XMLName        xml.Name            `xml:"User"`
	State          string              `xml:"state"`
	Extension      string              `xml:"extension,omitempty"`
	ActiveDeviceID string              `xml:"activeDeviceId,omitempty"` // phone.go
	MobileAgent    *mobileAgentRequest `xml:"mobileAgent,omitempty"`    // phone.go
	ReasonCodeID   string              `xml:"reasonCodeId,omitempty"`
}

type dialogRequest struct {
	XMLName            xml.Name           `xml:"Dialog"`
	RequestedAction    string             `xml:"requestedAction"`
	FromAddress        string             `xml:"fromAddress,omitempty"`
	ToAddress          string             `xml:"toAddress,omitempty"`
	TargetMediaAddress string             `xml:"targetMediaAddress,omitempty"`
	ActionParams       *actionParams      `xml:"actionParams,omitempty"`
	MediaProperties    *mediaPropsRequest `xml:"mediaProperties,omitempty"`
}

type actionParams struct {
	Params []nameValue `xml:"ActionParam"`
}

type nameValue struct {
	Name  string `xml:"name"`
	Value string `xml:"value"`
}

type mediaPropsRequest struct {
	WrapUpReason  string         `xml:"wrapUpReason,omitempty"`
	CallVariables *callVariables `xml:"callvariables,omitempty"`
}

type callVariables struct {
	Vars []nameValue `xml:"CallVariable"`
}

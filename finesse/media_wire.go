package finesse

import "encoding/xml"

// Non-voice Media Routing Domains (UCCE): the Media object and the
// non-voice dialogs (tasks). Cisco Finesse Web Services Developer Guide,
// "Media" (https://developer.cisco.com/docs/finesse/media), "Media API
// Parameters", "Media - Get List" (GET /finesse/api/User/<id>/Media, root
// MediaList) and "User—Get List of Dialogs (Nonvoice Only)"
// (GET /finesse/api/User/<id>/Dialogs/Media). Lowercase tags: decodeXML
// folds case (wire.go).

type wireMediaList struct {
	XMLName xml.Name    `xml:"medialist"`
	Media   []wireMedia `xml:"media"`
}

type wireMedia struct {
	XMLName            xml.Name        `xml:"media"`
	URI                string          `xml:"uri"`
	ID                 string          `xml:"id"`
	MRDID              string          `xml:"mrdid"`
	Name               string          `xml:"name"`
	Description        string          `xml:"description"`
	State              string          `xml:"state"`
	StateChange        string          `xml:"statechangetime"`
	ReasonCodeID       string          `xml:"reasoncodeid"`
	ReasonCode         *wireReasonCode `xml:"reasoncode"`
	Routable           string          `xml:"routable"`
	MaxDialogLimit     string          `xml:"maxdialoglimit"`
	InterruptAction    string          `xml:"interruptaction"`
	DialogLogoutAction string          `xml:"dialoglogoutaction"`
}

// wireTask is the part of a non-voice dialog AgentLink reads: which MRD it
// belongs to and whether it is still open.
type wireTask struct {
	URI             string `xml:"uri"`
	ID              string `xml:"id"`
	MediaType       string `xml:"mediatype"`
	State           string `xml:"state"`
	MediaProperties struct {
		MediaID string `xml:"mediaid"`
	} `xml:"mediaproperties"`
}

type wireTasks struct {
	Dialogs []wireTask `xml:"dialog"`
}

// wireMediaUpdate is an Update published on a Media node
// (/finesse/api/User/<id>/Media/<mrdId>) or its Dialogs node.
type wireMediaUpdate struct {
	XMLName   xml.Name `xml:"update"`
	Event     string   `xml:"event"`
	RequestID string   `xml:"requestid"`
	Source    string   `xml:"source"`
	Data      struct {
		Media     *wireMedia     `xml:"media"`
		Dialogs   *wireTasks     `xml:"dialogs"`
		Dialog    *wireTask      `xml:"dialog"`
		APIErrors *wireAPIErrors `xml:"apierrors"`
	} `xml:"data"`
}

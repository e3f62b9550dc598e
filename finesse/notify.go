package finesse

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/agentlink/agentlink/core"
)

// Notification decoding (reference §6). A pub-sub item carries
// <notification>escaped Update document</notification>: decode twice, first
// the notification's character data, then the Update inside it.

const apiPrefix = "/finesse/api/"

// notifyNode classifies a pub-sub node name.
type notifyNode int

const (
	nodeUnknown notifyNode = iota
	nodeUser
	nodeDialogs
	nodeSystemInfo
)

func classifyNode(node string) notifyNode {
	rest, ok := strings.CutPrefix(strings.TrimSpace(node), apiPrefix)
	if !ok {
		return nodeUnknown
	}
	parts := strings.Split(rest, "/")
	switch {
	case len(parts) == 1 && strings.EqualFold(parts[0], "SystemInfo"):
		return nodeSystemInfo
	case len(parts) == 2 && strings.EqualFold(parts[0], "User") && parts[1] != "":
		return nodeUser
	case len(parts) == 3 && strings.EqualFold(parts[0], "User") && strings.EqualFold(parts[2], "Dialogs"):
		return nodeDialogs
	}
	return nodeUnknown
}

type wireNotification struct {
	XMLName xml.Name `xml:"notification"`
	Text    string   `xml:",chardata"`
	Inner   []byte   `xml:",innerxml"`
}

// decodeItem decodes the inner XML of one pub-sub item published on node.
// Unknown nodes and JSON payloads give no updates and no error. It is the
// encoding/xml reference: the link uses fastDecodeItem (notifyfast.go),
// which falls back to this and is fuzzed against it.
func decodeItem(node string, inner []byte) ([]core.Update, error) {
	if classifyNode(node) == nodeUnknown {
		return nil, nil
	}
	// The envelope is plain XMPP (lowercase, namespaced); innerxml needs the
	// raw decoder, so no case folding here.
	payload, err := notificationPayload(inner)
	if err != nil {
		return nil, err
	}
	return decodeUpdate(payload)
}

// notificationPayload returns the Update document a pub-sub item carries.
func notificationPayload(inner []byte) ([]byte, error) {
	var n wireNotification
	if err := xml.Unmarshal(inner, &n); err != nil {
		return nil, fmt.Errorf("%w: notification: %v", ErrMalformed, err)
	}
	payload := strings.TrimSpace(n.Text)
	if payload == "" {
		// Tolerate an Update sent as child elements instead of text.
		payload = strings.TrimSpace(string(n.Inner))
	}
	return []byte(payload), nil
}

// decodeUpdate decodes an Update document and maps it to core updates.
func decodeUpdate(payload []byte) ([]core.Update, error) {
	payload = bytes.TrimSpace(payload)
	if len(payload) == 0 {
		return nil, fmt.Errorf("%w: empty notification", ErrMalformed)
	}
	if payload[0] == '{' {
		// finesse.js accepts JSON payloads (reference §6.1); voice events are
		// XML, so a JSON one is nothing we act on.
		return nil, nil
	}
	var u wireUpdate
	if err := decodeXML(payload, "Update", &u); err != nil {
		return nil, err
	}
	return mapUpdate(&u)
}

// mapUpdate turns a decoded Update into core updates (reference §6.3).
func mapUpdate(u *wireUpdate) ([]core.Update, error) {
	event := strings.ToUpper(strings.TrimSpace(u.Event))
	source := strings.TrimSpace(u.Source)
	rid := strings.TrimSpace(u.RequestID)
	d := u.Data
	switch {
	case d.APIErrors != nil:
		fe := finesseError(0, d.APIErrors)
		fe.RequestID = rid
		fe.DialogID = dialogIDFromSource(source)
		return []core.Update{{Kind: core.UpdateError, RequestID: rid, DialogID: fe.DialogID, Err: fe}}, nil
	case d.User != nil:
		a := agentFromWire(d.User)
		return []core.Update{{Kind: core.UpdateAgent, RequestID: rid, Agent: &a}}, nil
	case d.Dialogs != nil:
		return mapDialogs(event, rid, d.Dialogs.Dialogs)
	case d.Dialog != nil:
		return mapDialogs(event, rid, []wireDialog{*d.Dialog})
	case d.SystemInfo != nil:
		s := core.System{Status: systemStatus(d.SystemInfo.Status), Reason: strings.TrimSpace(d.SystemInfo.StatusReason)}
		return []core.Update{{Kind: core.UpdateSystem, RequestID: rid, System: &s}}, nil
	case event == "DELETE" && dialogIDFromSource(source) != "":
		id := dialogIDFromSource(source)
		return []core.Update{{Kind: core.UpdateDialogRemoved, RequestID: rid, DialogID: id}}, nil
	}
	return nil, nil
}

func mapDialogs(event, rid string, ws []wireDialog) ([]core.Update, error) {
	out := make([]core.Update, 0, len(ws))
	for i := range ws {
		dl := dialogFromWire(&ws[i])
		if dl.ID == "" {
			return nil, fmt.Errorf("%w: dialog without id", ErrMalformed)
		}
		kind := core.UpdateDialog
		if event == "DELETE" {
			kind = core.UpdateDialogRemoved
		}
		out = append(out, core.Update{Kind: kind, RequestID: rid, Dialog: &dl, DialogID: dl.ID})
	}
	return out, nil
}

// dialogIDFromSource returns {id} of a /finesse/api/Dialog/{id} source.
func dialogIDFromSource(source string) string {
	rest, ok := strings.CutPrefix(source, apiPrefix)
	if !ok {
		return ""
	}
	kind, id, ok := strings.Cut(rest, "/")
	if !ok || !strings.EqualFold(kind, "Dialog") || strings.Contains(id, "/") {
		return ""
	}
	return id
}

// wireMessage is a whole <message> stanza; the link gets items from go-xmpp,
// but tests, the fuzz targets and tools decode whole stanzas.
type wireMessage struct {
	XMLName xml.Name `xml:"message"`
	Event   struct {
		Items struct {
			Node  string `xml:"node,attr"`
			Items []struct {
				Inner []byte `xml:",innerxml"`
			} `xml:"item"`
		} `xml:"items"`
	} `xml:"event"`
}

// decodeMessage decodes a whole pub-sub <message> stanza.
func decodeMessage(stanza []byte) ([]core.Update, error) {
	var m wireMessage
	if err := xml.Unmarshal(stanza, &m); err != nil {
		return nil, fmt.Errorf("%w: message: %v", ErrMalformed, err)
	}
	var out []core.Update
	for _, it := range m.Event.Items.Items {
		ups, err := decodeItem(m.Event.Items.Node, it.Inner)
		if err != nil {
			return nil, err
		}
		out = append(out, ups...)
	}
	return out, nil
}

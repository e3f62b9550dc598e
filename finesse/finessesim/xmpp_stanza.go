package finessesim

import (
	"encoding/xml"
	"time"

	"mellium.im/xmlstream"
)

// XMPP namespaces the notification service speaks.
const (
	nsClient      = "jabber:client"
	nsPubSub      = "http://jabber.org/protocol/pubsub"
	nsPubSubEvent = "http://jabber.org/protocol/pubsub#event"
	nsPing        = "urn:xmpp:ping"
	nsRoster      = "jabber:iq:roster"
	nsSession     = "urn:ietf:params:xml:ns:xmpp-session"
	nsDiscoInfo   = "http://jabber.org/protocol/disco#info"
	nsDiscoItems  = "http://jabber.org/protocol/disco#items"
)

// Outgoing notification: reference §6.1, the Update as escaped text.
type pubsubMessage struct {
	XMLName xml.Name    `xml:"jabber:client message"`
	From    string      `xml:"from,attr"`
	To      string      `xml:"to,attr"`
	ID      string      `xml:"id,attr"`
	Event   pubsubEvent `xml:"http://jabber.org/protocol/pubsub#event event"`
}

type pubsubEvent struct {
	Items pubsubItems `xml:"items"`
}

type pubsubItems struct {
	Node string     `xml:"node,attr"`
	Item pubsubItem `xml:"item"`
}

type pubsubItem struct {
	ID           string       `xml:"id,attr"`
	Notification notification `xml:"http://jabber.org/protocol/pubsub notification"`
}

type notification struct {
	Text string `xml:",chardata"`
}

// iqOut is an IQ we send; Payload is a struct with its own XMLName, or nil.
type iqOut struct {
	XMLName xml.Name `xml:"jabber:client iq"`
	ID      string   `xml:"id,attr"`
	Type    string   `xml:"type,attr"`
	From    string   `xml:"from,attr,omitempty"`
	To      string   `xml:"to,attr,omitempty"`
	Payload any      `xml:",omitempty"`
}

// presenceOut is the presence of the Finesse webapp's own XMPP user
// "finesse" (reference §7.1: a node is usable only while it is available).
type presenceOut struct {
	XMLName xml.Name `xml:"jabber:client presence"`
	From    string   `xml:"from,attr"`
	To      string   `xml:"to,attr"`
	Type    string   `xml:"type,attr,omitempty"`
}

type pingPayload struct {
	XMLName xml.Name `xml:"urn:xmpp:ping ping"`
}

type rosterPayload struct {
	XMLName xml.Name `xml:"jabber:iq:roster query"`
}

type discoInfoPayload struct {
	XMLName  xml.Name `xml:"http://jabber.org/protocol/disco#info query"`
	Identity struct {
		Category string `xml:"category,attr"`
		Type     string `xml:"type,attr"`
		Name     string `xml:"name,attr"`
	} `xml:"identity"`
	Features []discoFeature `xml:"feature"`
}

type discoFeature struct {
	Var string `xml:"var,attr"`
}

type discoItemsPayload struct {
	XMLName xml.Name `xml:"http://jabber.org/protocol/disco#items query"`
}

type pubsubSubPayload struct {
	XMLName      xml.Name `xml:"http://jabber.org/protocol/pubsub pubsub"`
	Subscription struct {
		Node         string `xml:"node,attr"`
		JID          string `xml:"jid,attr"`
		SubID        string `xml:"subid,attr,omitempty"`
		Subscription string `xml:"subscription,attr"`
	} `xml:"subscription"`
}

// Incoming stanzas.

type iqIn struct {
	ID      string     `xml:"id,attr"`
	Type    string     `xml:"type,attr"`
	To      string     `xml:"to,attr"`
	From    string     `xml:"from,attr"`
	PubSub  *pubsubReq `xml:"http://jabber.org/protocol/pubsub pubsub"`
	Payload []rawElem  `xml:",any"`
}

// rawElem names an IQ payload. (innerxml is not available through the
// session's token decoder, so payloads we read have their own fields.)
type rawElem struct {
	XMLName xml.Name
}

type presenceIn struct {
	Type     string `xml:"type,attr"`
	To       string `xml:"to,attr"`
	Priority string `xml:"priority"`
}

type pubsubReq struct {
	Subscribe *struct {
		Node string `xml:"node,attr"`
		JID  string `xml:"jid,attr"`
	} `xml:"subscribe"`
	Unsubscribe *struct {
		Node string `xml:"node,attr"`
		JID  string `xml:"jid,attr"`
	} `xml:"unsubscribe"`
}

// handle serves one incoming top-level element of a bound session.
func (x *xsession) handle(t xmlstream.TokenReadEncoder, start *xml.StartElement) error {
	x.lastSeen.Store(time.Now().UnixNano())
	// The decoder must see the start element itself to match its end.
	d := xml.NewTokenDecoder(xmlstream.MultiReader(xmlstream.Token(*start), t))
	switch start.Name.Local {
	case "iq":
		var iq iqIn
		if err := d.Decode(&iq); err != nil {
			return err
		}
		return x.handleIQ(t, iq)
	case "presence":
		var p presenceIn
		if err := d.Decode(&p); err != nil {
			return err
		}
		// Directed presence is not our business; only broadcast presence
		// counts for Finesse's desktop health check (§7.3).
		if p.To == "" || p.To == x.node.domain {
			x.node.sim.setPresence(x, p.Type != "unavailable")
		}
		return nil
	default:
		// Messages from clients are ignored, as by Finesse.
		var skip struct{}
		return d.Decode(&skip)
	}
}

func (x *xsession) handleIQ(t xmlstream.TokenReadEncoder, iq iqIn) error {
	if iq.Type != "get" && iq.Type != "set" {
		return nil // results and errors (e.g. ping replies) need no answer
	}
	res := iqOut{ID: iq.ID, Type: "result", From: iq.To, To: x.full.String()}
	if iq.PubSub != nil {
		payload, ok := x.pubsub(*iq.PubSub)
		if !ok || iq.Type != "set" {
			return nil // Serve answers service-unavailable
		}
		res.Payload = payload
		return t.Encode(res)
	}
	if len(iq.Payload) == 0 {
		return nil
	}
	p := iq.Payload[0]
	switch {
	case p.XMLName.Space == nsPing, p.XMLName.Space == nsSession:
	case p.XMLName.Space == nsRoster && iq.Type == "get":
		res.Payload = &rosterPayload{}
	case p.XMLName.Space == nsDiscoInfo && iq.Type == "get":
		res.Payload = x.discoInfo(iq.To)
	case p.XMLName.Space == nsDiscoItems && iq.Type == "get":
		res.Payload = &discoItemsPayload{}
	default:
		return nil
	}
	return t.Encode(res)
}

func (x *xsession) discoInfo(to string) *discoInfoPayload {
	info := &discoInfoPayload{}
	info.Identity.Category, info.Identity.Type, info.Identity.Name = "server", "im", "Finesse Notification Service (simulated)"
	if to == "pubsub."+x.node.domain {
		info.Identity.Category, info.Identity.Type, info.Identity.Name = "pubsub", "service", "Finesse pubsub (simulated)"
	}
	for _, f := range []string{nsDiscoInfo, nsDiscoItems, nsPing, nsPubSub} {
		info.Features = append(info.Features, discoFeature{Var: f})
	}
	return info
}

// pubsub answers XEP-0060 subscribe/unsubscribe with success (§6.6) and
// records the subscription. Of the explicit nodes only
// /finesse/api/Team/{id}/Users carries events; queue nodes stay silent.
func (x *xsession) pubsub(req pubsubReq) (*pubsubSubPayload, bool) {
	out := &pubsubSubPayload{}
	switch {
	case req.Subscribe != nil:
		out.Subscription.Node, out.Subscription.JID = req.Subscribe.Node, req.Subscribe.JID
		out.Subscription.Subscription = "subscribed"
		out.Subscription.SubID = "sub-" + req.Subscribe.Node
		x.node.sim.subscribe(x, req.Subscribe.Node, true)
	case req.Unsubscribe != nil:
		out.Subscription.Node, out.Subscription.JID = req.Unsubscribe.Node, req.Unsubscribe.JID
		out.Subscription.Subscription = "none"
		x.node.sim.subscribe(x, req.Unsubscribe.Node, false)
	default:
		return nil, false
	}
	return out, true
}

package finesse

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"time"

	xmpp "github.com/xmppo/go-xmpp"

	"github.com/agentlink/agentlink/core"
)

// Stanzas the WebSocket client reads and writes. Top-level stanzas carry
// jabber:client themselves: RFC 7395 messages are parsed one by one.

type wsPresence struct {
	XMLName  xml.Name `xml:"jabber:client presence"`
	Type     string   `xml:"type,attr,omitempty"`
	Priority string   `xml:"priority,omitempty"`
}

type wsPingIQ struct {
	XMLName xml.Name  `xml:"jabber:client iq"`
	ID      string    `xml:"id,attr"`
	Type    string    `xml:"type,attr"`
	To      string    `xml:"to,attr,omitempty"`
	Ping    *struct{} `xml:"urn:xmpp:ping ping,omitempty"`
}

// wsRawIQ is an IQ whose payload is already XML (subscribe, tests).
type wsRawIQ struct {
	XMLName xml.Name `xml:"jabber:client iq"`
	ID      string   `xml:"id,attr"`
	Type    string   `xml:"type,attr"`
	To      string   `xml:"to,attr,omitempty"`
	Body    string   `xml:",innerxml"`
}

// wsIQError answers a request we do not serve (RFC 6120 §8.2.3).
type wsIQError struct {
	XMLName xml.Name `xml:"jabber:client iq"`
	ID      string   `xml:"id,attr"`
	Type    string   `xml:"type,attr"`
	To      string   `xml:"to,attr,omitempty"`
	Error   struct {
		Type string   `xml:"type,attr"`
		Cond struct{} `xml:"urn:ietf:params:xml:ns:xmpp-stanzas service-unavailable"`
	} `xml:"error"`
}

// wsIQ is a received IQ.
type wsIQ struct {
	ID    string    `xml:"id,attr"`
	Type  string    `xml:"type,attr"`
	From  string    `xml:"from,attr"`
	Ping  *struct{} `xml:"urn:xmpp:ping ping"`
	Error struct {
		Cond struct {
			XMLName xml.Name
		} `xml:",any"`
		Text string `xml:"text"`
	} `xml:"error"`
}

type wsInPresence struct {
	From string `xml:"from,attr"`
	Type string `xml:"type,attr"`
}

// wsMessage is a pub-sub event (XEP-0060 §7.1.2); Inner is each item's XML,
// as go-xmpp hands it over on the TCP path.
type wsMessage struct {
	Event struct {
		Items struct {
			Node string `xml:"node,attr"`
			Item []struct {
				Inner []byte `xml:",innerxml"`
			} `xml:"item"`
		} `xml:"items"`
	} `xml:"event"`
}

func (c *wsConn) recvLoop() {
	defer c.wg.Done()
	r := c.sess.TokenReader()
	defer r.Close()
	d := xml.NewTokenDecoder(r)
	for {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				err = fmt.Errorf("server closed the stream")
			}
			c.fail(fmt.Errorf("%w: xmpp websocket %s lost: %v", core.ErrUnreachable, c.url, err))
			return
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		c.lastRecv.Store(time.Now().UnixNano())
		if err := c.handle(d, start); err != nil {
			c.fail(fmt.Errorf("%w: xmpp websocket %s: %v", core.ErrUnreachable, c.url, err))
			return
		}
	}
}

// handle reads one top-level element. It returns an error only when the
// stream is unusable; a stanza we do not understand is skipped.
func (c *wsConn) handle(d *xml.Decoder, start xml.StartElement) error {
	switch start.Name.Local {
	case "message":
		raw, err := reencode(d, start)
		if err != nil {
			return err
		}
		var m wsMessage
		if xml.Unmarshal(raw, &m) != nil || m.Event.Items.Node == "" {
			return nil
		}
		for _, it := range m.Event.Items.Item {
			if !c.deliver(pubsubItem{node: m.Event.Items.Node, inner: it.Inner}) {
				return nil
			}
		}
	case "presence":
		var p wsInPresence
		if err := d.DecodeElement(&p, &start); err != nil {
			return err
		}
		if w := webappPresenceOf(xmpp.Presence{From: p.From, Type: p.Type}, c.o.Domain); w != webappNone {
			c.deliver(pubsubItem{webapp: w})
		}
	case "iq":
		var iq wsIQ
		if err := d.DecodeElement(&iq, &start); err != nil {
			return err
		}
		c.onIQ(iq)
	default:
		return d.Skip()
	}
	return nil
}

// deliver hands an item to the consumer; false once the connection is over.
func (c *wsConn) deliver(it pubsubItem) bool {
	select {
	case c.items <- it:
		return true
	case <-c.done:
		return false
	}
}

// onIQ answers the server's pings (Finesse drops a client that does not,
// reference §1.3), refuses other requests and routes replies to iq.
func (c *wsConn) onIQ(iq wsIQ) {
	switch iq.Type {
	case "get", "set":
		var reply any = wsPingIQ{ID: iq.ID, Type: "result", To: iq.From}
		if iq.Ping == nil || iq.Type != "get" {
			e := wsIQError{ID: iq.ID, Type: "error", To: iq.From}
			e.Error.Type = "cancel"
			reply = e
		}
		c.wg.Add(1) // safe: recvLoop's own count keeps the group above zero
		go func() { // never write from the reader: a full send buffer would deadlock
			defer c.wg.Done()
			if err := c.send(reply); err != nil {
				c.fail(fmt.Errorf("%w: xmpp websocket %s: reply: %v", core.ErrUnreachable, c.url, err))
			}
		}()
	default:
		c.iqMu.Lock()
		ch := c.iqWait[iq.ID]
		c.iqMu.Unlock()
		if ch != nil {
			select {
			case ch <- iq:
			default:
			}
		}
	}
}

// reencode turns the element that start opens back into bytes, so that
// the item payload can be taken verbatim (innerxml needs raw bytes, and
// mellium hands out tokens). Namespaces are written as the xmlns
// attributes the server sent; resolved names are dropped so encoding/xml
// does not invent prefixes.
func reencode(d *xml.Decoder, start xml.StartElement) ([]byte, error) {
	var buf bytes.Buffer
	e := xml.NewEncoder(&buf)
	depth := 0
	var tok xml.Token = start
	for {
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			tok = stripNS(t)
		case xml.EndElement:
			depth--
			t.Name.Space = ""
			tok = t
		case xml.ProcInst, xml.Directive:
			tok = nil
		}
		if tok != nil {
			if err := e.EncodeToken(tok); err != nil {
				return nil, err
			}
		}
		if depth == 0 {
			break
		}
		var err error
		if tok, err = d.Token(); err != nil {
			return nil, err
		}
	}
	if err := e.Flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func stripNS(s xml.StartElement) xml.StartElement {
	out := xml.StartElement{Name: xml.Name{Local: s.Name.Local}}
	for _, a := range s.Attr {
		if a.Name.Space == "xmlns" {
			continue // a prefix declaration: prefixes are not kept
		}
		if a.Name.Space != "" && a.Name.Space != "http://www.w3.org/XML/1998/namespace" {
			continue
		}
		out.Attr = append(out.Attr, a)
	}
	return out
}

// pingLoop pings the server every PingInterval and declares the connection
// dead when nothing arrived for 2.5 intervals (as xmppConn.pingLoop).
func (c *wsConn) pingLoop() {
	defer c.wg.Done()
	t := time.NewTicker(c.o.PingInterval)
	defer t.Stop()
	limit := c.o.PingInterval*2 + c.o.PingInterval/2
	for n := 1; ; n++ {
		select {
		case <-c.done:
			return
		case <-t.C:
		}
		if len(c.items) == cap(c.items) {
			c.lastRecv.Store(time.Now().UnixNano()) // we are behind, not the server
		}
		if idle := time.Since(time.Unix(0, c.lastRecv.Load())); idle > limit {
			c.fail(fmt.Errorf("%w: xmpp server %s silent for %s (missed pings)", core.ErrUnreachable, c.url, idle.Round(time.Millisecond)))
			return
		}
		ping := wsPingIQ{ID: fmt.Sprintf("ping-%d", n), Type: "get", To: c.o.Domain, Ping: &struct{}{}}
		if err := c.send(ping); err != nil {
			c.fail(fmt.Errorf("%w: xmpp ping to %s: %v", core.ErrUnreachable, c.url, err))
			return
		}
	}
}

// iq sends an IQ (body is its inner XML) and waits for the reply.
func (c *wsConn) iq(ctx context.Context, to, typ, body string) (wsIQ, error) {
	id := newRequestID()
	ch := make(chan wsIQ, 1)
	c.iqMu.Lock()
	c.iqWait[id] = ch
	c.iqMu.Unlock()
	defer func() {
		c.iqMu.Lock()
		delete(c.iqWait, id)
		c.iqMu.Unlock()
	}()
	if err := c.send(wsRawIQ{ID: id, Type: typ, To: to, Body: body}); err != nil {
		return wsIQ{}, fmt.Errorf("%w: xmpp iq: %v", core.ErrUnreachable, err)
	}
	select {
	case r := <-ch:
		if r.Type == "error" {
			return r, fmt.Errorf("finesse: xmpp iq to %s refused: %s %s", to, r.Error.Cond.XMLName.Local, r.Error.Text)
		}
		return r, nil
	case <-c.done:
		return wsIQ{}, c.err
	case <-ctx.Done():
		return wsIQ{}, ctx.Err()
	}
}

// subscribe subscribes this full JID to a pub-sub node (as xmppConn.subscribe).
func (c *wsConn) subscribe(ctx context.Context, service, node string) error {
	_, err := c.iq(ctx, service, "set", subscribeBody(node, c.jid.String()))
	return err
}

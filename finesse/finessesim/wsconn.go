package finessesim

import (
	"context"
	"crypto/tls"
	"encoding/xml"
	"io"
	"net"

	"mellium.im/xmlstream"
	"mellium.im/xmpp"
)

// wsConn drops inter-element whitespace (">" whitespace "<") from what a
// client sends. mellium's receiving negotiator expects the next feature
// element immediately, while common clients (go-xmpp, slixmpp) write a
// newline after each element; without this they fail negotiation.
// Whitespace-only text nodes are the only content lost, which no stanza the
// simulator reads depends on. Bytes are never inserted or reordered.
type wsConn struct {
	net.Conn
	afterGT bool   // the last byte passed on was '>'
	pending []byte // whitespace held after '>' until we see what follows
	out     []byte // filtered bytes not yet returned
	err     error  // read error to report once out is drained
	tmp     [4096]byte
}

func newWSConn(c net.Conn) *wsConn { return &wsConn{Conn: c} }

func (c *wsConn) Read(p []byte) (int, error) {
	for len(c.out) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		n, err := c.Conn.Read(c.tmp[:])
		c.filter(c.tmp[:n])
		c.err = err
	}
	n := copy(p, c.out)
	c.out = c.out[n:]
	return n, nil
}

func (c *wsConn) filter(b []byte) {
	for _, ch := range b {
		if c.afterGT && (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') {
			c.pending = append(c.pending, ch)
			continue
		}
		if ch != '<' {
			c.out = append(c.out, c.pending...)
		}
		c.pending = c.pending[:0]
		c.out = append(c.out, ch)
		c.afterGT = ch == '>'
	}
}

// ConnectionState exposes the TLS state when the wrapped conn is TLS.
func (c *wsConn) ConnectionState() tls.ConnectionState {
	if tc, ok := c.Conn.(*tls.Conn); ok {
		return tc.ConnectionState()
	}
	return tls.ConnectionState{}
}

// startTLSServer is the server side of STARTTLS (RFC 6120 §5). It replaces
// mellium's StartTLS feature so the upgraded stream gets a fresh whitespace
// filter on top of TLS (the filter must never see TLS records).
func startTLSServer(raw net.Conn, cfg *tls.Config) xmpp.StreamFeature {
	name := xml.Name{Space: "urn:ietf:params:xml:ns:xmpp-tls", Local: "starttls"}
	return xmpp.StreamFeature{
		Name:       name,
		Prohibited: xmpp.Secure,
		List: func(ctx context.Context, e xmlstream.TokenWriter, start xml.StartElement) (bool, error) {
			req := xml.StartElement{Name: xml.Name{Local: "required"}}
			for _, t := range []xml.Token{start, req, req.End(), start.End()} {
				if err := e.EncodeToken(t); err != nil {
					return true, err
				}
			}
			return true, nil
		},
		Parse: func(ctx context.Context, d *xml.Decoder, start *xml.StartElement) (bool, any, error) {
			return true, nil, d.Skip()
		},
		Negotiate: func(ctx context.Context, session *xmpp.Session, data any) (xmpp.SessionState, io.ReadWriter, error) {
			if _, err := io.WriteString(raw, `<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`); err != nil {
				return 0, nil, err
			}
			return xmpp.Secure, newWSConn(tls.Server(raw, cfg)), nil
		},
	}
}

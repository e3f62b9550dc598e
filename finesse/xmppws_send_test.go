package finesse

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/stream"
)

// pastDeadlines counts write deadlines set in the past.
type pastDeadlines struct {
	net.Conn
	n atomic.Int64
}

func (c *pastDeadlines) SetWriteDeadline(t time.Time) error {
	if !t.IsZero() && t.Before(time.Now()) {
		c.n.Add(1)
	}
	return c.Conn.SetWriteDeadline(t)
}

// TestWSSendManyStanzas: sending on a healthy WebSocket link never sets a
// write deadline in the past, and thousands of writes all succeed. send
// used to hand mellium a context it cancelled on return; mellium's deadline
// goroutine then now and then set a past write deadline and reset it, which
// on coder's NetConn arms a 1 ns timer that, if it fires before the reset,
// leaves later writes failing or cancels the connection's writes for good.
func TestWSSendManyStanzas(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer ws.CloseNow()
		for {
			if _, rd, err := ws.Reader(r.Context()); err != nil {
				return
			} else if _, err := io.Copy(io.Discard, rd); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer ws.CloseNow()
	nc := &pastDeadlines{Conn: websocket.NetConn(context.Background(), ws, websocket.MessageText)}
	ready := func(context.Context, *stream.Info, *stream.Info, *xmpp.Session, any) (xmpp.SessionState, io.ReadWriter, any, error) {
		return xmpp.Ready, nil, nil, nil
	}
	sess, err := xmpp.NewSession(ctx, jid.MustParse("finesse.test"), jid.MustParse("1002@finesse.test/a"),
		nc, xmpp.Secure|xmpp.Authn|xmpp.Ready, ready)
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	c := &wsConn{sess: sess, ws: ws, nc: nc, o: xmppOptions{HandshakeTimeout: 10 * time.Second}}
	for i := range 3000 {
		if err := c.send(wsPresence{Priority: "0"}); err != nil {
			t.Fatalf("send %d of 3000 on a healthy link: %v", i, err)
		}
	}
	if n := nc.n.Load(); n > 0 {
		t.Errorf("a write deadline in the past was set %d times while sending", n)
	}
}

package finessesim

import (
	"context"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/stream"
)

// deadlineConn records whether anyone set a write deadline in the past.
type deadlineConn struct {
	net.Conn
	past atomic.Int64
}

func (c *deadlineConn) SetWriteDeadline(t time.Time) error {
	if !t.IsZero() && t.Before(time.Now()) {
		c.past.Add(1)
	}
	return c.Conn.SetWriteDeadline(t)
}

func (c *deadlineConn) SetDeadline(t time.Time) error {
	if !t.IsZero() && t.Before(time.Now()) {
		c.past.Add(1)
	}
	return c.Conn.SetDeadline(t)
}

// TestSendNeverSetsPastDeadline: writing notifications never sets a write
// deadline in the past. mellium's Session.Encode watches its context in a
// goroutine and, when it sees it done, sets the deadline to 1970 and then
// clears it; a context cancelled right after each write (as send used to
// pass) let that goroutine fail the next, healthy write with "i/o timeout"
// and the session was dropped with its notifications.
func TestSendNeverSetsPastDeadline(t *testing.T) {
	t.Parallel()
	local, peer := net.Pipe()
	go func() { _, _ = io.Copy(io.Discard, peer) }()
	t.Cleanup(func() { local.Close(); peer.Close() })
	dc := &deadlineConn{Conn: local}
	ready := func(context.Context, *stream.Info, *stream.Info, *xmpp.Session, any) (xmpp.SessionState, io.ReadWriter, any, error) {
		return xmpp.Ready, nil, nil, nil
	}
	sess, err := xmpp.NewSession(context.Background(), jid.MustParse("sim.test"), jid.MustParse("1002@sim.test/a"),
		dc, xmpp.Secure|xmpp.Authn|xmpp.Ready, ready)
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	x := &xsession{sess: sess, conn: dc, full: jid.MustParse("1002@sim.test/a"), node: &Node{domain: "sim.test"}}
	for i := range 2000 {
		if err := x.send(outMsg{pubsubNode: "/finesse/api/User/1002/Dialogs", doc: "<Update/>", id: int64(i)}); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if n := dc.past.Load(); n > 0 {
		t.Errorf("a write deadline in the past was set %d times while sending", n)
	}
}

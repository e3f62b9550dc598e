package finesse

import (
	"context"
	"crypto/tls"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agentlink/agentlink/core"
	xmpp "github.com/xmppo/go-xmpp"
)

// xmppOptions configure one XMPP connection.
type xmppOptions struct {
	Addr             string // host:port of the notification service
	ServerName       string // name verified in the server certificate
	Domain           string // xmppDomain: the JID's domain
	Creds            creds
	Resource         string
	Mode             XMPPTLSMode
	TLS              *tls.Config // cloned; ServerName is set from ServerName
	PingInterval     time.Duration
	HandshakeTimeout time.Duration
	Logger           *slog.Logger
}

// pubsubItem is one item of a pub-sub event: its node and inner XML. An
// item with webapp set is instead a presence of the Finesse web app's own
// XMPP user; it travels on the same channel so it keeps its place among the
// notifications.
type pubsubItem struct {
	node   string
	inner  []byte
	webapp webappPresence
}

// webappPresence is the presence of the XMPP user "finesse", the Finesse web
// application's own session. A node is usable only while it is available
// (reference §7.1); it goes unavailable when Tomcat or the web app is down
// while the notification service stays up (§7.2).
type webappPresence int8

const (
	webappNone webappPresence = iota // not a presence
	webappUp
	webappDown
)

// webappPresenceOf classifies p: webappNone unless it comes from the
// "finesse" user of domain and says available or unavailable.
func webappPresenceOf(p xmpp.Presence, domain string) webappPresence {
	bare, _, _ := strings.Cut(p.From, "/")
	local, host, ok := strings.Cut(bare, "@")
	if !ok || !strings.EqualFold(local, "finesse") || !strings.EqualFold(host, domain) {
		return webappNone
	}
	switch p.Type {
	case "":
		return webappUp
	case "unavailable":
		return webappDown
	}
	return webappNone // subscribe, probe, error: not a statement of availability
}

// xmppConn wraps a go-xmpp client: one goroutine reads (recvLoop), every
// write of ours holds wmu, and a pinger with a watchdog declares the link dead
// after about two missed pings.
type xmppConn struct {
	cl    *xmpp.Client // Recv only from recvLoop; writes only under wmu
	relay *relay
	o     xmppOptions // read-only

	items chan pubsubItem // to the consumer; never closed, select on done
	done  chan struct{}   // closed once the connection is over
	err   error           // why; written once before done is closed

	wmu      sync.Mutex   // serialises our writes to cl
	lastRecv atomic.Int64 // unix nanos of the last stanza received

	iqMu   sync.Mutex              // guards iqWait
	iqWait map[string]chan xmpp.IQ // replies awaited by id

	failOnce  sync.Once
	closeOnce sync.Once
	wg        sync.WaitGroup // recvLoop and pingLoop
}

// dialXMPP connects, authenticates, binds the resource and sends presence
// with priority 0, all within HandshakeTimeout.
func dialXMPP(ctx context.Context, o xmppOptions) (*xmppConn, error) {
	rl, err := newRelay(ctx, o.Addr, o.HandshakeTimeout)
	if err != nil {
		return nil, classifyTransport(ctx, "xmpp connect "+o.Addr, err)
	}
	cl, err := handshake(ctx, rl, o)
	if err != nil {
		rl.Close()
		rl.Wait()
		return nil, err
	}
	c := &xmppConn{cl: cl, relay: rl, o: o, items: make(chan pubsubItem, 64),
		done: make(chan struct{}), iqWait: map[string]chan xmpp.IQ{}}
	c.lastRecv.Store(time.Now().UnixNano())
	// Finesse delivers events only after a presence with a non-negative
	// priority (reference §1.3); go-xmpp's own initial presence has none.
	if err := c.write(func() error { _, err := cl.SendOrg("<presence><priority>0</priority></presence>"); return err }); err != nil {
		rl.Close()
		rl.Wait()
		return nil, fmt.Errorf("%w: xmpp presence: %v", core.ErrUnreachable, err)
	}
	c.wg.Add(2)
	go c.recvLoop()
	go c.pingLoop()
	return c, nil
}

// handshake runs go-xmpp's NewClient, which has no deadline, in a goroutine;
// on timeout or cancellation closing the relay makes it return at once.
func handshake(ctx context.Context, rl *relay, o xmppOptions) (*xmpp.Client, error) {
	tc := o.TLS.Clone()
	tc.ServerName = o.ServerName
	opts := xmpp.Options{
		Host: rl.Addr(), User: o.Creds.user + "@" + o.Domain,
		Resource: o.Resource, TLSConfig: tc, Session: true, DialTimeout: o.HandshakeTimeout,
		NoTLS: o.Mode == StartTLS, StartTLS: o.Mode == StartTLS,
	}
	o.Creds.xmppAuth(&opts) // password, or the SSO access token (sso_creds.go)
	type result struct {
		cl  *xmpp.Client
		err error
	}
	ch := make(chan result, 1)
	go func() {
		cl, err := opts.NewClient()
		ch <- result{cl, err}
	}()
	timer := time.NewTimer(o.HandshakeTimeout)
	defer timer.Stop()
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, o.Creds.xmppAuthError(o.Addr, classifyXMPP(ctx, o.Addr, r.err)) // sso_creds.go
		}
		return r.cl, nil
	case <-timer.C:
		rl.Close()
		<-ch
		return nil, fmt.Errorf("%w: xmpp handshake with %s timed out after %s", core.ErrUnreachable, o.Addr, o.HandshakeTimeout)
	case <-ctx.Done():
		rl.Close()
		<-ch
		return nil, fmt.Errorf("finesse: xmpp handshake: %w", ctx.Err())
	}
}

// classifyXMPP maps go-xmpp's handshake errors. Direct TLS keeps the typed
// x509 error; STARTTLS and SASL failures are flattened into strings by
// go-xmpp, so their text is all there is to go on.
func classifyXMPP(ctx context.Context, addr string, err error) error {
	typed := classifyTransport(ctx, "xmpp handshake "+addr, err)
	msg := err.Error()
	switch {
	case errors.Is(typed, core.ErrUntrustedCertificate) || ctx.Err() != nil:
		return typed
	case strings.Contains(msg, "auth failure"):
		return fmt.Errorf("%w: xmpp sign-in refused by %s: %v", core.ErrWrongCredentials, addr, err)
	case strings.Contains(msg, "x509:") || strings.Contains(msg, "certificate"):
		return fmt.Errorf("%w: xmpp tls %s: %v; set ca_file to the PEM file of the CA that signed the Finesse certificate",
			core.ErrUntrustedCertificate, addr, err)
	}
	return typed
}

// write runs f (a go-xmpp send) under the write lock.
func (c *xmppConn) write(f func() error) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return f()
}

func (c *xmppConn) recvLoop() {
	defer c.wg.Done()
	for {
		st, err := c.cl.Recv()
		if err != nil {
			c.fail(fmt.Errorf("%w: xmpp connection to %s lost: %v", core.ErrUnreachable, c.o.Addr, err))
			return
		}
		c.lastRecv.Store(time.Now().UnixNano())
		switch v := st.(type) {
		case xmpp.PubsubEvent:
			for _, it := range v.Items {
				select {
				case c.items <- pubsubItem{node: v.Node, inner: it.InnerXML}:
				case <-c.done:
					return
				}
			}
		case xmpp.IQ:
			c.deliverIQ(v)
		case xmpp.Presence:
			if w := webappPresenceOf(v, c.o.Domain); w != webappNone {
				select {
				case c.items <- pubsubItem{webapp: w}:
				case <-c.done:
					return
				}
			}
		}
	}
}

// pingLoop pings the server every PingInterval from the writer side and
// declares the connection dead when nothing arrived for 2.5 intervals.
// (go-xmpp's PeriodicServerPings writes without a lock and races.)
func (c *xmppConn) pingLoop() {
	defer c.wg.Done()
	t := time.NewTicker(c.o.PingInterval)
	defer t.Stop()
	limit := c.o.PingInterval*2 + c.o.PingInterval/2
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
		}
		if len(c.items) == cap(c.items) {
			// We are behind, not the server: recvLoop is blocked handing
			// us items and cannot see the pong.
			c.lastRecv.Store(time.Now().UnixNano())
		}
		if idle := time.Since(time.Unix(0, c.lastRecv.Load())); idle > limit {
			c.fail(fmt.Errorf("%w: xmpp server %s silent for %s (missed pings)", core.ErrUnreachable, c.o.Addr, idle.Round(time.Millisecond)))
			return
		}
		if err := c.write(func() error { return c.cl.PingC2S("", "") }); err != nil {
			c.fail(fmt.Errorf("%w: xmpp ping to %s: %v", core.ErrUnreachable, c.o.Addr, err))
			return
		}
	}
}

// fail ends the connection with err (first caller wins) and drops the
// sockets, which unblocks Recv.
func (c *xmppConn) fail(err error) {
	c.failOnce.Do(func() {
		c.err = err
		close(c.done)
		c.relay.Close()
	})
}

// Done is closed when the connection is over; Err then says why.
func (c *xmppConn) Done() <-chan struct{} { return c.done }

// Err reports why the connection ended; only valid after Done.
func (c *xmppConn) Err() error { return c.err }

// Items delivers pub-sub items in arrival order.
func (c *xmppConn) Items() <-chan pubsubItem { return c.items }

// errClosed is the reason of a connection we closed ourselves.
var errClosed = fmt.Errorf("finesse: xmpp connection closed")

// Close says goodbye (unavailable presence, end of stream), gives the server
// a moment to close its side, then drops the sockets and waits for the
// goroutines. It never calls (*xmpp.Client).Close, which races Recv and can
// block for ten seconds.
func (c *xmppConn) Close() {
	c.closeOnce.Do(func() {
		select {
		case <-c.done:
		default:
			_ = c.write(func() error {
				_, err := c.cl.SendOrg("<presence type='unavailable'/></stream:stream>")
				return err
			})
			select {
			case <-c.done: // the server closed its stream: Recv ended
			case <-time.After(500 * time.Millisecond):
			}
			c.fail(errClosed)
		}
		c.wg.Wait()
		c.relay.Wait()
	})
}

// iq sends an IQ (body is its inner XML) and waits for the reply.
func (c *xmppConn) iq(ctx context.Context, to, typ, body string) (xmpp.IQ, error) {
	id := newRequestID()
	ch := make(chan xmpp.IQ, 1)
	c.iqMu.Lock()
	c.iqWait[id] = ch
	c.iqMu.Unlock()
	defer func() {
		c.iqMu.Lock()
		delete(c.iqWait, id)
		c.iqMu.Unlock()
	}()
	err := c.write(func() error { _, err := c.cl.RawInformation(c.cl.JID(), to, id, typ, body); return err })
	if err != nil {
		return xmpp.IQ{}, fmt.Errorf("%w: xmpp iq: %v", core.ErrUnreachable, err)
	}
	select {
	case r := <-ch:
		if r.Type == "error" {
			return r, fmt.Errorf("finesse: xmpp iq to %s refused: %s %s", to, r.Error.Condition, r.Error.Text)
		}
		return r, nil
	case <-c.done:
		return xmpp.IQ{}, c.err
	case <-ctx.Done():
		return xmpp.IQ{}, ctx.Err()
	}
}

func (c *xmppConn) deliverIQ(v xmpp.IQ) {
	c.iqMu.Lock()
	ch := c.iqWait[v.ID]
	c.iqMu.Unlock()
	if ch != nil {
		select {
		case ch <- v:
		default:
		}
	}
}

// subscribe subscribes this full JID to a pub-sub node (XEP-0060; reference
// §6.6). Finesse subscribes agents to their own nodes automatically; this is
// for team/queue nodes and for test servers that do not.
func (c *xmppConn) subscribe(ctx context.Context, service, node string) error {
	_, err := c.iq(ctx, service, "set", subscribeBody(node, c.cl.JID()))
	return err
}

// subscribeBody is the pub-sub subscribe request (XEP-0060 §6.1) of jid
// to node, escaped, as both notification transports send it.
func subscribeBody(node, jid string) string {
	var b strings.Builder
	b.WriteString(`<pubsub xmlns="http://jabber.org/protocol/pubsub"><subscribe node="`)
	_ = xml.EscapeText(&b, []byte(node))
	b.WriteString(`" jid="`)
	_ = xml.EscapeText(&b, []byte(jid))
	b.WriteString(`"/></pubsub>`)
	return b.String()
}

// proxyTrap returns the proxy go-xmpp would route our loopback relay
// connection through (it reads HTTP_PROXY itself and checks NO_PROXY by
// substring), or "" when there is none.
func proxyTrap() string {
	p := firstNonEmpty(os.Getenv("HTTP_PROXY"), os.Getenv("http_proxy"))
	if p == "" {
		return ""
	}
	for _, s := range strings.Split(firstNonEmpty(os.Getenv("NO_PROXY"), os.Getenv("no_proxy")), ",") {
		if s = strings.TrimSpace(s); s != "" && strings.Contains("127.0.0.1", s) {
			return ""
		}
	}
	return p
}

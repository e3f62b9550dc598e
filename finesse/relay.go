package finesse

import (
	"context"
	"net"
	"sync"
	"time"
)

// relay is a loopback TCP relay between go-xmpp and the real server.
// go-xmpp dials the relay's address; the relay owns both sockets, so closing
// it ends a stalled handshake or a blocked Recv at once (go-xmpp has no
// deadlines and no way to reach its net.Conn). TLS stays end to end: the
// relay only copies bytes.
type relay struct {
	ln       net.Listener // closed once the one connection arrived
	upstream net.Conn     // to the server; non-nil
	writeTO  time.Duration

	mu     sync.Mutex // guards local and closed
	local  net.Conn   // from go-xmpp; nil until accepted
	closed bool

	closeOnce sync.Once
	wg        sync.WaitGroup // accept and copy goroutines
}

// newRelay dials addr (so an unreachable server fails here, clearly) and
// listens on 127.0.0.1 for go-xmpp. writeTO bounds the dial and each write
// to the server, so neither a black-holed host nor a server that stops
// reading can block us.
func newRelay(ctx context.Context, addr string, writeTO time.Duration) (*relay, error) {
	d := net.Dialer{Timeout: writeTO}
	up, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		up.Close()
		return nil, err
	}
	r := &relay{ln: ln, upstream: up, writeTO: writeTO}
	r.wg.Add(1)
	go r.accept()
	return r, nil
}

// Addr is what go-xmpp should dial.
func (r *relay) Addr() string { return r.ln.Addr().String() }

// accept takes exactly one connection. Anyone else reaching the port in the
// moment it is open only gets bytes relayed to a server that then fails
// their TLS; the listener closes right after the first accept.
func (r *relay) accept() {
	defer r.wg.Done()
	c, err := r.ln.Accept()
	r.ln.Close()
	if err != nil {
		r.Close()
		return
	}
	r.mu.Lock()
	r.local = c
	closed := r.closed
	r.mu.Unlock()
	if closed {
		c.Close()
		return
	}
	r.wg.Add(2)
	go r.pipe(c, r.upstream, r.writeTO)
	go r.pipe(r.upstream, c, 0)
}

func (r *relay) pipe(dst, src net.Conn, writeTO time.Duration) {
	defer r.wg.Done()
	defer r.Close()
	buf := make([]byte, 32*1024)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if writeTO > 0 {
				_ = dst.SetWriteDeadline(time.Now().Add(writeTO))
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return // io.EOF or a closed socket: either way the stream is over
		}
	}
}

// Close shuts both sockets and the listener. It does not wait.
func (r *relay) Close() {
	r.closeOnce.Do(func() {
		r.ln.Close()
		r.upstream.Close()
		r.mu.Lock()
		r.closed = true
		if r.local != nil {
			r.local.Close()
		}
		r.mu.Unlock()
	})
}

// Wait waits for the relay goroutines after Close.
func (r *relay) Wait() { r.wg.Wait() }

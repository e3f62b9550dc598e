package peercred

import (
	"errors"
	"net"
	"os"
	"runtime"
	"testing"
)

// TestLookupFindsThisProcess connects real loopback sockets (IPv4 and
// IPv6) and checks that the accepted side finds this process's user and pid.
func TestLookupFindsThisProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("lookup is built for Linux only")
	}
	self, err := Self()
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"127.0.0.1", "::1"} {
		_, c, s, ok := loopbackPair(t, host)
		if !ok {
			continue
		}
		p, err := Lookup(s.LocalAddr(), s.RemoteAddr())
		if err != nil {
			t.Fatalf("%s: Lookup: %v", host, err)
		}
		if p.UID != self || p.PID != os.Getpid() || p.Process == "" {
			t.Errorf("%s: peer = %+v, want uid %s pid %d", host, p, self, os.Getpid())
		}
		// The reverse direction is the client's view of the server: also us.
		if q, err := Lookup(c.LocalAddr(), c.RemoteAddr()); err != nil || q.UID != self {
			t.Errorf("%s: reverse Lookup = %+v, %v", host, q, err)
		}
	}
}

func TestLookupNoSocket(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("lookup is built for Linux only")
	}
	a := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1}
	if _, err := Lookup(a, a); !errors.Is(err, ErrNotFound) {
		t.Errorf("Lookup of no socket: %v, want ErrNotFound", err)
	}
	if _, err := Lookup(&net.UDPAddr{}, a); err == nil {
		t.Error("Lookup of a UDP address succeeded")
	}
}

func TestListenerOwner(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("lookup is built for Linux only")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	self, _ := Self()
	p, err := ListenerOwner(ln.Addr().(*net.TCPAddr))
	if err != nil || p.UID != self || p.PID != os.Getpid() {
		t.Errorf("ListenerOwner = %+v, %v; want this process", p, err)
	}
}

// loopbackPair listens on host, connects to it and accepts: the listener,
// the client end and the server end, closed when the test ends. ok is
// false (logged) when host has no loopback here (no IPv6).
func loopbackPair(t *testing.T, host string) (ln net.Listener, c, s net.Conn, ok bool) {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Logf("skip %s: %v", host, err)
		return nil, nil, nil, false
	}
	t.Cleanup(func() { ln.Close() })
	if c, err = net.Dial("tcp", ln.Addr().String()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if s, err = ln.Accept(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return ln, c, s, true
}

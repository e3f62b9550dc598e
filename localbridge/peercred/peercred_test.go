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
		ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			t.Logf("skip %s: %v", host, err)
			continue
		}
		defer ln.Close()
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		s, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
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

package peercred

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
)

// The lsof lookup (macOS's) runs here against the real lsof, on the same
// sockets as the Linux lookup, and must agree with it.

func requireLsof(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath(lsofPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("lsof not installed (scripts/setup.sh installs it): %v", err)
		}
		t.Skip("lsof not installed")
	}
}

func TestLsofFindsThisProcess(t *testing.T) {
	requireLsof(t)
	uid := strconv.Itoa(os.Getuid())
	for _, host := range []string{"127.0.0.1", "::1"} {
		ln, _, s, ok := loopbackPair(t, host)
		if !ok {
			continue
		}
		p, err := lsofPeer(s.LocalAddr().(*net.TCPAddr), s.RemoteAddr().(*net.TCPAddr))
		if err != nil {
			t.Fatalf("%s: lsofPeer: %v", host, err)
		}
		if p.UID != uid || p.PID != os.Getpid() || p.Process == "" {
			t.Errorf("%s: peer = %+v, want uid %s pid %d", host, p, uid, os.Getpid())
		}
		o, err := lsofListener(ln.Addr().(*net.TCPAddr))
		if err != nil || o.UID != uid || o.PID != os.Getpid() {
			t.Errorf("%s: lsofListener = %+v, %v; want this process", host, o, err)
		}
	}
}

func TestLsofNoSocket(t *testing.T) {
	requireLsof(t)
	a := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1}
	if _, err := lsofPeer(a, a); !errors.Is(err, ErrNotFound) {
		t.Errorf("lsofPeer of no socket: %v, want ErrNotFound", err)
	}
}

// TestLsofFind reads lsof -F output as macOS prints it: the bridge's own
// end of the connection comes first and must not be taken for the peer.
func TestLsofFind(t *testing.T) {
	out := []byte("p411\ncAgentLink\nu501\nf12\nn127.0.0.1:28445->127.0.0.1:50123\n" +
		"p977\ncGoogle Chrome He\nu502\nf40\nn127.0.0.1:50123->127.0.0.1:28445\n")
	p, err := lsofFind(out, func(n string) bool { return n == "127.0.0.1:50123->127.0.0.1:28445" })
	if err != nil || p.PID != 977 || p.UID != "502" || p.Process != "Google Chrome He" {
		t.Errorf("lsofFind = %+v, %v; want pid 977 uid 502", p, err)
	}
	if _, err := lsofFind(out, func(string) bool { return false }); !errors.Is(err, ErrNotFound) {
		t.Errorf("no match: %v, want ErrNotFound", err)
	}
}

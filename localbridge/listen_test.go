package localbridge

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// freePorts finds n consecutive ports free on 127.0.0.1 and ::1.
func freePorts(t *testing.T, n int) int {
	t.Helper()
	for range 50 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		ok := true
		for i := range n {
			for _, h := range []string{"127.0.0.1", "::1"} {
				l, err := net.Listen("tcp", net.JoinHostPort(h, strconv.Itoa(p+i)))
				if err != nil {
					ok = false
					continue
				}
				l.Close()
			}
		}
		if ok {
			return p
		}
	}
	t.Fatal("no free ports")
	return 0
}

// runBridge runs a bridge on addr; it returns Run's error if Run fails
// at once, or the listening address.
func runBridge(t *testing.T, cfg Config) (string, error) {
	t.Helper()
	cfg.Session = core.NewSession(core.Config{Port: &coretest.Port{}, Logger: discard()})
	cfg.Logger, cfg.Token = discard(), testToken
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	select {
	case err := <-done:
		cancel()
		return "", err
	case <-srv.Ready():
	case <-time.After(waitFor):
		t.Fatal("bridge neither ready nor failed")
	}
	t.Cleanup(func() { cancel(); <-done })
	return srv.Addr(), nil
}

// TestSquatterOnIPv6Refused: a listener on [::1] only (here this user's
// own) makes the bridge refuse to start instead of leaving "localhost" to
// it, and the error says who holds it.
func TestSquatterOnIPv6Refused(t *testing.T) {
	p := freePorts(t, 1)
	sq, err := net.Listen("tcp", net.JoinHostPort("::1", strconv.Itoa(p)))
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	defer sq.Close()
	_, err = runBridge(t, Config{Addr: "127.0.0.1:" + strconv.Itoa(p)})
	var pe *PortInUseError
	if !errors.As(err, &pe) || !pe.Known || !pe.SameUser || pe.Owner.PID != os.Getpid() {
		t.Fatalf("Run with [::1]:%d taken = %v, want a PortInUseError naming this process", p, err)
	}
}

// squatAs runs a listener on addr as uid:gid (TestPeerHelper) until the
// test ends.
func squatAs(t *testing.T, bin, addr, uid, gid string) {
	t.Helper()
	cmd := exec.Command("setpriv", "--reuid="+uid, "--regid="+gid, "--clear-groups", "--", bin, "-test.run=^TestPeerHelper$")
	cmd.Env = append(os.Environ(), helperListenEnv+"="+addr, "HOME=/")
	cmd.Dir = "/"
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "listening") {
		t.Fatalf("squatter on %s: %q %v", addr, line, err)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
}

// TestSquatterOfAnotherUser: another OS user's listener on 127.0.0.1 only,
// or on ::1 only, makes the bridge refuse to start naming that user; with
// PortFallback the bridge takes the next port of the range instead.
func TestSquatterOfAnotherUser(t *testing.T) {
	requireRoot(t)
	name, uid, gid := throwawayUser(t)
	bin := helperBinary(t)
	for _, host := range []string{"127.0.0.1", "::1"} {
		p := freePorts(t, 2)
		squatAs(t, bin, net.JoinHostPort(host, strconv.Itoa(p)), uid, gid)
		_, err := runBridge(t, Config{Addr: "127.0.0.1:" + strconv.Itoa(p)})
		var pe *PortInUseError
		if !errors.As(err, &pe) || pe.SameUser || !strings.Contains(err.Error(), name) {
			t.Errorf("squatter on %s:%d: Run = %v, want a refusal naming %s", host, p, err, name)
		}
		addr, err := runBridge(t, Config{Addr: "127.0.0.1:" + strconv.Itoa(p), PortFallback: true, portFirst: p, portLast: p + 1})
		if err != nil || addr != "127.0.0.1:"+strconv.Itoa(p+1) {
			t.Errorf("squatter on %s:%d with fallback: %q, %v; want the next port", host, p, addr, err)
		}
	}
}

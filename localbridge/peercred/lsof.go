package peercred

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// The lsof lookup, used on macOS, where the kernel's socket tables are
// reachable only through private sysctls. lsof is part of macOS. Run as
// the agent (not root), lsof sees only the agent's own processes, so a
// peer of another user is not found at all and the bridge refuses it
// (ErrNotFound): the check fails closed. It costs one lsof run per
// accepted connection (tens of milliseconds), which the bridge can afford:
// toolbars connect a few times a day. It is built on every system so its
// parsing is tested against the real lsof on Linux.

// lsofTimeout bounds one lsof run.
const lsofTimeout = 3 * time.Second

// lsofPath is the lsof the lookup runs.
var lsofPath = "lsof"

// lsofPeer finds the process whose TCP socket has local address remote and
// remote address local: the other end of the bridge's connection.
func lsofPeer(local, remote *net.TCPAddr) (Peer, error) {
	out, err := runLsof("-nP", "-w", "-a", "-iTCP@"+lsofHost(remote.IP)+":"+strconv.Itoa(remote.Port), "-F", "pcun")
	if err != nil {
		return Peer{}, err
	}
	want := lsofAddr(remote) + "->" + lsofAddr(local)
	return lsofFind(out, func(name string) bool { return name == want })
}

// lsofListener finds who listens on a's port (on a's address or any).
func lsofListener(a *net.TCPAddr) (Peer, error) {
	out, err := runLsof("-nP", "-w", "-a", "-iTCP:"+strconv.Itoa(a.Port), "-sTCP:LISTEN", "-F", "pcun")
	if err != nil {
		return Peer{}, err
	}
	port := ":" + strconv.Itoa(a.Port)
	return lsofFind(out, func(name string) bool {
		return name == lsofAddr(a) || name == "*"+port || strings.HasSuffix(name, port) && isUnspecified(strings.TrimSuffix(name, port))
	})
}

func isUnspecified(host string) bool {
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsUnspecified()
}

// runLsof runs lsof; exit status 1 with no output means nothing matched.
func runLsof(args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), lsofTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, lsofPath, args...).Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 1 && len(bytes.TrimSpace(out)) == 0 {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("peercred: lsof: %w", err)
	}
	return out, nil
}

// lsofHost is an address as lsof's -i option takes it.
func lsofHost(ip net.IP) string {
	if ip.To4() != nil {
		return ip.String()
	}
	return "[" + ip.String() + "]"
}

// lsofAddr is an address as lsof prints it in a name field.
func lsofAddr(a *net.TCPAddr) string { return lsofHost(a.IP) + ":" + strconv.Itoa(a.Port) }

// lsofFind reads lsof -F pcun output: per process p (pid), c (command),
// u (uid) lines, then per file an n (name) line. It returns the process of
// the first file whose name matches.
func lsofFind(out []byte, match func(name string) bool) (Peer, error) {
	var cur Peer
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		v := line[1:]
		switch line[0] {
		case 'p':
			pid, _ := strconv.Atoi(v)
			cur = Peer{PID: pid}
		case 'c':
			cur.Process = v
		case 'u':
			cur.UID = v
		case 'n':
			if match(v) && cur.UID != "" {
				cur.User = userName(cur.UID)
				return cur, nil
			}
		}
	}
	return Peer{}, ErrNotFound
}

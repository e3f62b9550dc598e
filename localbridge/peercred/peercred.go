// Package peercred finds the OS user (and, best effort, the process) behind
// the other end of a loopback TCP connection, so the bridge can refuse
// connections from other users of the same machine before it reads a byte.
//
// Linux reads the kernel's socket tables (/proc/net/tcp, /proc/net/tcp6):
// the peer's socket is the one whose local address is the connection's
// remote address and whose remote address is the connection's local
// address; its uid column is the owner. The process is found by scanning
// /proc/<pid>/fd of that user's processes for the socket's inode (bounded;
// only for the audit trail). Windows reads the TCP table with owning PIDs
// (GetExtendedTcpTable) and the process token's user SID; that code is
// cross-compiled and runs under Wine, not yet on real Windows. Other
// systems (macOS) run lsof (lsof.go), which as the agent sees only the
// agent's own processes, so another user's peer is not found and refused.
package peercred

import (
	"errors"
	"fmt"
	"net"
	"os/user"
	"strconv"
)

// ErrUnsupported is returned on systems where the lookup is not built.
var ErrUnsupported = errors.New("peercred: peer lookup is not supported on this system")

// ErrNotFound means no live socket matches the connection: the peer is
// gone (or the connection is not a loopback TCP connection).
var ErrNotFound = errors.New("peercred: no socket matches the connection")

// Peer is who is on the other end of a connection.
type Peer struct {
	UID     string // OS user id (a SID on Windows)
	User    string // user name, "" if unknown
	PID     int    // 0 if unknown
	Process string // process name, "" if unknown
}

// String is the form logs and the audit trail use.
func (p Peer) String() string {
	s := "uid " + p.UID
	if p.User != "" {
		s = p.User + " (" + s + ")"
	}
	if p.PID != 0 {
		s += " pid " + strconv.Itoa(p.PID)
		if p.Process != "" {
			s += " " + p.Process
		}
	}
	return s
}

// Lookup finds the owner of the peer socket of a TCP connection whose local
// end is local and remote end is remote (conn.LocalAddr, conn.RemoteAddr).
func Lookup(local, remote net.Addr) (Peer, error) {
	l, ok1 := local.(*net.TCPAddr)
	r, ok2 := remote.(*net.TCPAddr)
	if !ok1 || !ok2 {
		return Peer{}, fmt.Errorf("peercred: not a TCP connection (%T, %T)", local, remote)
	}
	return lookup(l, r)
}

// Self is this process's own user id, the form Peer.UID has.
func Self() (string, error) { return self() }

// userName maps a uid to a name; "" when unknown.
func userName(uid string) string {
	if u, err := user.LookupId(uid); err == nil {
		return u.Username
	}
	return ""
}

// ListenerOwner finds who holds a listening TCP socket that keeps a from
// being bound (on a's address or the unspecified address, same port).
func ListenerOwner(a *net.TCPAddr) (Peer, error) { return listenerOwner(a) }

//go:build !linux && !windows

package peercred

import (
	"net"
	"os"
	"strconv"
)

// Elsewhere (macOS) the lookup runs lsof (lsof.go).
func lookup(l, r *net.TCPAddr) (Peer, error) { return lsofPeer(l, r) }

func self() (string, error) { return strconv.Itoa(os.Getuid()), nil }

func listenerOwner(a *net.TCPAddr) (Peer, error) { return lsofListener(a) }

// macOS ships lsof in /usr/sbin; an absolute path keeps a PATH entry of
// the agent's from choosing another program.
func init() {
	if _, err := os.Stat("/usr/sbin/lsof"); err == nil {
		lsofPath = "/usr/sbin/lsof"
	}
}

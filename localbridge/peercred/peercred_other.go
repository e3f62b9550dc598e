//go:build !linux && !windows

package peercred

import "net"

// Not built yet on this system (macOS would use the pcblist sysctl, or
// LOCAL_PEERPID after a Unix-socket redesign). Callers treat
// ErrUnsupported as "allow, warn once".
func lookup(_, _ *net.TCPAddr) (Peer, error) { return Peer{}, ErrUnsupported }

func self() (string, error) { return "", ErrUnsupported }

func listenerOwner(*net.TCPAddr) (Peer, error) { return Peer{}, ErrUnsupported }

//go:build !linux

package peercred

import "net"

// Not built yet on this system (Windows: GetExtendedTcpTable's owning PID
// → OpenProcess → token user SID; macOS: the pcblist sysctl). Callers
// treat ErrUnsupported as "allow, warn once".
func lookup(_, _ *net.TCPAddr) (Peer, error) { return Peer{}, ErrUnsupported }

func self() (string, error) { return "", ErrUnsupported }

func listenerOwner(*net.TCPAddr) (Peer, error) { return Peer{}, ErrUnsupported }

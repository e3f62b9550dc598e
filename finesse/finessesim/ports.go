package finessesim

import (
	"math/rand/v2"
	"net"
	"strconv"
)

// Random node ports come from below Linux's ephemeral range (32768-60999,
// the same idea on macOS and Windows with 49152+). A killed node must be
// restorable on the same ports; a port from the ephemeral range can in the
// meantime become the local port of any process's outgoing connection, and
// the restore would fail with "address in use".
const (
	stablePortMin = 20000
	stablePortMax = 32000
)

// listenStable listens on host at a free port in [stablePortMin,
// stablePortMax), falling back to a kernel-chosen port when none is free.
func listenStable(host string) (net.Listener, error) {
	for range 200 {
		p := stablePortMin + rand.IntN(stablePortMax-stablePortMin)
		if ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(p))); err == nil {
			return ln, nil
		}
	}
	return net.Listen("tcp", net.JoinHostPort(host, "0"))
}

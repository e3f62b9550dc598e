package peercred

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// tcpTimeWait is the st column of a socket in TIME_WAIT: the kernel shows
// uid 0 for those, so they say nothing about the owner.
const tcpTimeWait = "06"

// Bounds of the best-effort process scan.
const (
	scanBudget = 100 * time.Millisecond
	scanMax    = 4096 // processes looked at
)

func self() (string, error) { return strconv.Itoa(os.Getuid()), nil }

func lookup(local, remote *net.TCPAddr) (Peer, error) {
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		uid, inode, err := findSocket(f, remote, local)
		if err == ErrNotFound {
			continue
		}
		if err != nil {
			return Peer{}, err
		}
		p := Peer{UID: uid, User: userName(uid)}
		p.PID, p.Process = findProcess(uid, inode)
		return p, nil
	}
	return Peer{}, ErrNotFound
}

// findSocket returns the uid and inode of the socket with local address
// loc and remote address rem in one of the kernel's tables.
func findSocket(file string, loc, rem *net.TCPAddr) (string, string, error) {
	f, err := os.Open(file)
	if os.IsNotExist(err) {
		return "", "", ErrNotFound // no IPv6 on this kernel
	}
	if err != nil {
		return "", "", fmt.Errorf("peercred: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		// sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
		fs := strings.Fields(sc.Text())
		if len(fs) < 10 || !sameAddr(fs[1], loc) || !sameAddr(fs[2], rem) {
			continue
		}
		if fs[3] == tcpTimeWait || fs[9] == "0" {
			continue // closed: no owner any more
		}
		return fs[7], fs[9], nil
	}
	if err := sc.Err(); err != nil {
		return "", "", fmt.Errorf("peercred: read %s: %w", file, err)
	}
	return "", "", ErrNotFound
}

// sameAddr compares a table address ("0100007F:1F90": the IP as 32-bit
// words in host byte order, the port big-endian) with a.
func sameAddr(field string, a *net.TCPAddr) bool {
	ipHex, portHex, ok := strings.Cut(field, ":")
	if !ok || (len(ipHex) != 8 && len(ipHex) != 32) {
		return false
	}
	port, err := strconv.ParseUint(portHex, 16, 16)
	if err != nil || int(port) != a.Port {
		return false
	}
	raw, err := hex.DecodeString(ipHex)
	if err != nil {
		return false
	}
	ip := make(net.IP, len(raw))
	for i := 0; i < len(raw); i += 4 {
		binary.NativeEndian.PutUint32(ip[i:], binary.BigEndian.Uint32(raw[i:]))
	}
	return ip.Equal(a.IP)
}

// findProcess looks for the process holding socket inode among uid's
// processes; best effort and bounded: 0, "" when not found in budget.
func findProcess(uid, inode string) (int, string) {
	want := "socket:[" + inode + "]"
	if self, _ := self(); self == uid && holds(os.Getpid(), want) {
		return os.Getpid(), procName(os.Getpid()) // a local program in this process (tests)
	}
	dirs, err := os.ReadDir("/proc")
	if err != nil {
		return 0, ""
	}
	deadline := time.Now().Add(scanBudget)
	seen := 0
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		if seen++; seen > scanMax || time.Now().After(deadline) {
			break
		}
		if !ownedBy(d, uid) {
			continue
		}
		if holds(pid, want) {
			return pid, procName(pid)
		}
	}
	return 0, ""
}

func ownedBy(d os.DirEntry, uid string) bool {
	info, err := d.Info()
	if err != nil {
		return false
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && strconv.FormatUint(uint64(st.Uid), 10) == uid
}

func holds(pid int, want string) bool {
	dir := filepath.Join("/proc", strconv.Itoa(pid), "fd")
	fds, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, fd := range fds {
		if l, err := os.Readlink(filepath.Join(dir, fd.Name())); err == nil && l == want {
			return true
		}
	}
	return false
}

func procName(pid int) string {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "comm"))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// tcpListen is the st column of a listening socket.
const tcpListen = "0A"

func listenerOwner(a *net.TCPAddr) (Peer, error) {
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		uid, inode, err := findListener(f, a)
		if err == ErrNotFound {
			continue
		}
		if err != nil {
			return Peer{}, err
		}
		p := Peer{UID: uid, User: userName(uid)}
		p.PID, p.Process = findProcess(uid, inode)
		return p, nil
	}
	return Peer{}, ErrNotFound
}

// findListener finds a listening socket that keeps a from being bound:
// one on a's port and a's address or the unspecified one.
func findListener(file string, a *net.TCPAddr) (string, string, error) {
	f, err := os.Open(file)
	if os.IsNotExist(err) {
		return "", "", ErrNotFound
	}
	if err != nil {
		return "", "", fmt.Errorf("peercred: %w", err)
	}
	defer f.Close()
	any4 := &net.TCPAddr{IP: net.IPv4zero, Port: a.Port}
	any6 := &net.TCPAddr{IP: net.IPv6unspecified, Port: a.Port}
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 10 || fs[3] != tcpListen {
			continue
		}
		if sameAddr(fs[1], a) || sameAddr(fs[1], any4) || sameAddr(fs[1], any6) {
			return fs[7], fs[9], nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", "", fmt.Errorf("peercred: read %s: %w", file, err)
	}
	return "", "", ErrNotFound
}

package peercred

import (
	"encoding/binary"
	"fmt"
	"net"
	"path/filepath"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Windows: the TCP table with owning PIDs (iphlpapi GetExtendedTcpTable)
// gives the process behind the peer socket; its token gives the user SID.
// Built and cross-compiled, but not yet run on Windows by any test here.

var procGetExtendedTcpTable = windows.NewLazySystemDLL("iphlpapi.dll").NewProc("GetExtendedTcpTable")

const (
	tcpTableOwnerPIDAll = 5
	mibTCPStateListen   = 2
	mibTCPStateTimeWait = 11
	row4Size            = 24 // MIB_TCPROW_OWNER_PID
	row6Size            = 56 // MIB_TCP6ROW_OWNER_PID
)

// tcpRow is one row of either table, decoded.
type tcpRow struct {
	state         uint32
	local, remote *net.TCPAddr
	pid           uint32
}

func self() (string, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return "", fmt.Errorf("peercred: token user: %w", err)
	}
	return u.User.Sid.String(), nil
}

func lookup(local, remote *net.TCPAddr) (Peer, error) {
	return find(func(r tcpRow) bool {
		return r.state != mibTCPStateListen && r.state != mibTCPStateTimeWait &&
			sameTCP(r.local, remote) && sameTCP(r.remote, local)
	})
}

func listenerOwner(a *net.TCPAddr) (Peer, error) {
	return find(func(r tcpRow) bool {
		return r.state == mibTCPStateListen && r.local.Port == a.Port &&
			(r.local.IP.Equal(a.IP) || r.local.IP.IsUnspecified())
	})
}

func sameTCP(a, b *net.TCPAddr) bool { return a.Port == b.Port && a.IP.Equal(b.IP) }

// find returns the owner of the first row of either table that matches.
func find(match func(tcpRow) bool) (Peer, error) {
	for _, af := range []uint32{windows.AF_INET, windows.AF_INET6} {
		rows, err := tcpTable(af)
		if err != nil {
			return Peer{}, err
		}
		for _, r := range rows {
			if match(r) && r.pid != 0 {
				return owner(r.pid)
			}
		}
	}
	// Until this code has run on Windows, a row not found counts as
	// "unsupported" (allow, warn once) rather than refusing every toolbar
	// if the table were misread.
	return Peer{}, fmt.Errorf("%w: %w", ErrUnsupported, ErrNotFound)
}

func tcpTable(af uint32) ([]tcpRow, error) {
	var size uint32
	var buf []byte
	for range 5 { // the table may grow between the size query and the read
		var p uintptr
		if len(buf) > 0 {
			p = uintptr(unsafe.Pointer(&buf[0]))
		}
		rc, _, _ := procGetExtendedTcpTable.Call(p, uintptr(unsafe.Pointer(&size)), 0, uintptr(af), tcpTableOwnerPIDAll, 0)
		if rc == 0 && len(buf) > 0 {
			return parseTable(buf, af), nil
		}
		if rc != 0 && windows.Errno(rc) != windows.ERROR_INSUFFICIENT_BUFFER {
			return nil, fmt.Errorf("peercred: GetExtendedTcpTable: %w", windows.Errno(rc))
		}
		buf = make([]byte, size)
	}
	return nil, fmt.Errorf("peercred: GetExtendedTcpTable: the table keeps growing")
}

// parseTable decodes dwNumEntries and the rows. Ports are in network
// byte order in the low 16 bits; addresses are raw bytes.
func parseTable(b []byte, af uint32) []tcpRow {
	if len(b) < 4 {
		return nil
	}
	n := int(binary.LittleEndian.Uint32(b))
	port := func(x []byte) int { return int(x[0])<<8 | int(x[1]) }
	u32 := func(x []byte) uint32 { return binary.LittleEndian.Uint32(x) }
	var rows []tcpRow
	for i := range n {
		if af == windows.AF_INET {
			o := 4 + i*row4Size
			if o+row4Size > len(b) {
				break
			}
			r := b[o : o+row4Size]
			rows = append(rows, tcpRow{state: u32(r[0:]),
				local:  &net.TCPAddr{IP: net.IP(append([]byte(nil), r[4:8]...)), Port: port(r[8:])},
				remote: &net.TCPAddr{IP: net.IP(append([]byte(nil), r[12:16]...)), Port: port(r[16:])},
				pid:    u32(r[20:])})
			continue
		}
		o := 4 + i*row6Size
		if o+row6Size > len(b) {
			break
		}
		r := b[o : o+row6Size]
		rows = append(rows, tcpRow{
			local:  &net.TCPAddr{IP: net.IP(append([]byte(nil), r[0:16]...)), Port: port(r[20:])},
			remote: &net.TCPAddr{IP: net.IP(append([]byte(nil), r[24:40]...)), Port: port(r[44:])},
			state:  u32(r[48:]), pid: u32(r[52:])})
	}
	return rows
}

// owner reads the user SID (and name) and image name of a process.
func owner(pid uint32) (Peer, error) {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return Peer{}, fmt.Errorf("peercred: open process %d: %w", pid, err)
	}
	defer windows.CloseHandle(h)
	var tok windows.Token
	if err := windows.OpenProcessToken(h, windows.TOKEN_QUERY, &tok); err != nil {
		return Peer{}, fmt.Errorf("peercred: token of process %d: %w", pid, err)
	}
	defer tok.Close()
	u, err := tok.GetTokenUser()
	if err != nil {
		return Peer{}, fmt.Errorf("peercred: user of process %d: %w", pid, err)
	}
	p := Peer{UID: u.User.Sid.String(), PID: int(pid)}
	if acct, dom, _, err := u.User.Sid.LookupAccount(""); err == nil {
		p.User = dom + `\` + acct
	}
	name := make([]uint16, windows.MAX_PATH)
	n := uint32(len(name))
	if windows.QueryFullProcessImageName(h, 0, &name[0], &n) == nil {
		p.Process = filepath.Base(windows.UTF16ToString(name[:n]))
	}
	return p, nil
}

package main

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
)

// xconn is a minimal X11 protocol client (no cgo, no library): enough for
// the UI figures to see the app's window mapped and unmapped (MapNotify and
// UnmapNotify on the root window), to read a window's _NET_WM_PID, and to
// close a window the way a window manager's close button does (the
// WM_DELETE_WINDOW client message). It talks to a local server without
// authentication (the bench starts its own Xvfb), little-endian, and sends
// one request at a time.
type xconn struct {
	c      net.Conn
	seq    uint16
	root   uint32
	events [][]byte // events read while waiting for a reply
}

// X11 protocol constants used here.
const (
	xOpChangeWindowAttributes = 2
	xOpInternAtom             = 16
	xOpGetProperty            = 20
	xOpSendEvent              = 25
	xCWEventMask              = 1 << 11
	xSubstructureNotifyMask   = 1 << 19
	xUnmapNotify              = 18
	xMapNotify                = 19
	xClientMessage            = 33
	xGenericEvent             = 35
	xAtomCardinal             = 6
)

// dialX connects to display ":N" over its Unix socket.
func dialX(display string) (*xconn, error) {
	n, ok := strings.CutPrefix(display, ":")
	if !ok || n == "" || strings.ContainsAny(n, "/.") {
		return nil, fmt.Errorf("display %q: want a local :N", display)
	}
	c, err := net.DialTimeout("unix", "/tmp/.X11-unix/X"+n, 5*time.Second)
	if err != nil {
		return nil, err
	}
	x := &xconn{c: c}
	if err := x.setup(); err != nil {
		c.Close()
		return nil, fmt.Errorf("X11 setup on %s: %w", display, err)
	}
	return x, nil
}

func (x *xconn) Close() error { return x.c.Close() }

// setup sends the connection setup (no authorization) and reads the first
// screen's root window from the reply.
func (x *xconn) setup() error {
	_ = x.c.SetDeadline(time.Now().Add(5 * time.Second))
	defer x.c.SetDeadline(time.Time{})
	req := []byte{'l', 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	if _, err := x.c.Write(req); err != nil {
		return err
	}
	head := make([]byte, 8)
	if _, err := io.ReadFull(x.c, head); err != nil {
		return err
	}
	body := make([]byte, 4*int(binary.LittleEndian.Uint16(head[6:8])))
	if _, err := io.ReadFull(x.c, body); err != nil {
		return err
	}
	if head[0] != 1 {
		reason := body[:min(int(head[1]), len(body))]
		return fmt.Errorf("refused: %q", reason)
	}
	root, err := parseSetupRoot(append(head, body...))
	x.root = root
	return err
}

// parseSetupRoot finds the first screen's root window in a setup reply:
// after the 40-byte fixed part come the vendor string (padded to 4) and
// the pixmap formats (8 bytes each), then the screens, each starting with
// its root window.
func parseSetupRoot(r []byte) (uint32, error) {
	if len(r) < 40 {
		return 0, fmt.Errorf("setup reply of %d bytes", len(r))
	}
	vendor := int(binary.LittleEndian.Uint16(r[24:26]))
	screens, formats := int(r[28]), int(r[29])
	off := 40 + pad4(vendor) + 8*formats
	if screens < 1 || len(r) < off+4 {
		return 0, fmt.Errorf("setup reply has no screen (%d screens, %d bytes)", screens, len(r))
	}
	return binary.LittleEndian.Uint32(r[off : off+4]), nil
}

func pad4(n int) int { return (n + 3) &^ 3 }

// send writes one request; its length field is filled in here.
func (x *xconn) send(req []byte) (uint16, error) {
	binary.LittleEndian.PutUint16(req[2:4], uint16(len(req)/4))
	_ = x.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := x.c.Write(req); err != nil {
		return 0, err
	}
	x.seq++
	return x.seq, nil
}

// readPacket reads one reply, error or event.
func (x *xconn) readPacket(deadline time.Time) ([]byte, error) {
	_ = x.c.SetReadDeadline(deadline)
	p := make([]byte, 32)
	if _, err := io.ReadFull(x.c, p); err != nil {
		return nil, err
	}
	if p[0] == 1 || p[0]&0x7f == xGenericEvent {
		extra := make([]byte, 4*int(binary.LittleEndian.Uint32(p[4:8])))
		if _, err := io.ReadFull(x.c, extra); err != nil {
			return nil, err
		}
		p = append(p, extra...)
	}
	return p, nil
}

// reply waits for the reply (or error) to request seq, keeping the events
// that come first.
func (x *xconn) reply(seq uint16) ([]byte, error) {
	deadline := time.Now().Add(5 * time.Second)
	for {
		p, err := x.readPacket(deadline)
		if err != nil {
			return nil, err
		}
		switch {
		case p[0] == 0 && binary.LittleEndian.Uint16(p[2:4]) == seq:
			return nil, fmt.Errorf("X11 error %d on request %d", p[1], seq)
		case p[0] == 1 && binary.LittleEndian.Uint16(p[2:4]) == seq:
			return p, nil
		case p[0] > 1:
			x.events = append(x.events, p)
		}
	}
}

// internAtom returns the atom of name, creating it if needed.
func (x *xconn) internAtom(name string) (uint32, error) {
	req := make([]byte, 8+pad4(len(name)))
	req[0] = xOpInternAtom
	binary.LittleEndian.PutUint16(req[4:6], uint16(len(name)))
	copy(req[8:], name)
	seq, err := x.send(req)
	if err != nil {
		return 0, err
	}
	p, err := x.reply(seq)
	if err != nil {
		return 0, fmt.Errorf("intern atom %s: %w", name, err)
	}
	return binary.LittleEndian.Uint32(p[8:12]), nil
}

// watchRoot asks for MapNotify/UnmapNotify of the root's children (every
// top-level window). Events come from nextEvent.
func (x *xconn) watchRoot() error {
	req := make([]byte, 16)
	req[0] = xOpChangeWindowAttributes
	binary.LittleEndian.PutUint32(req[4:8], x.root)
	binary.LittleEndian.PutUint32(req[8:12], xCWEventMask)
	binary.LittleEndian.PutUint32(req[12:16], xSubstructureNotifyMask)
	if _, err := x.send(req); err != nil {
		return err
	}
	// A round trip, so that an error (another client holding the mask is
	// not one for SubstructureNotify) surfaces now.
	_, err := x.internAtom("WM_PROTOCOLS")
	return err
}

// xEvent is a map or unmap of a top-level window.
type xEvent struct {
	Mapped bool
	Window uint32
	At     time.Time
}

// nextEvent returns the next MapNotify or UnmapNotify, skipping others.
func (x *xconn) nextEvent(deadline time.Time) (xEvent, error) {
	for {
		var p []byte
		if len(x.events) > 0 {
			p, x.events = x.events[0], x.events[1:]
		} else {
			var err error
			if p, err = x.readPacket(deadline); err != nil {
				return xEvent{}, err
			}
		}
		if ev, ok := parseMapEvent(p); ok {
			ev.At = time.Now()
			return ev, nil
		}
	}
}

// parseMapEvent decodes a MapNotify or UnmapNotify (event window at 4,
// window at 8).
func parseMapEvent(p []byte) (xEvent, bool) {
	if len(p) < 32 {
		return xEvent{}, false
	}
	switch p[0] & 0x7f {
	case xMapNotify:
		return xEvent{Mapped: true, Window: binary.LittleEndian.Uint32(p[8:12])}, true
	case xUnmapNotify:
		return xEvent{Window: binary.LittleEndian.Uint32(p[8:12])}, true
	}
	return xEvent{}, false
}

// windowPID reads a window's _NET_WM_PID (0 when it has none).
func (x *xconn) windowPID(win uint32) (int, error) {
	atom, err := x.internAtom("_NET_WM_PID")
	if err != nil {
		return 0, err
	}
	req := make([]byte, 24)
	req[0] = xOpGetProperty
	binary.LittleEndian.PutUint32(req[4:8], win)
	binary.LittleEndian.PutUint32(req[8:12], atom)
	binary.LittleEndian.PutUint32(req[12:16], xAtomCardinal)
	binary.LittleEndian.PutUint32(req[16:20], 0) // offset
	binary.LittleEndian.PutUint32(req[20:24], 1) // one 32-bit value
	seq, err := x.send(req)
	if err != nil {
		return 0, err
	}
	p, err := x.reply(seq)
	if err != nil {
		return 0, fmt.Errorf("_NET_WM_PID of 0x%x: %w", win, err)
	}
	if p[1] != 32 || binary.LittleEndian.Uint32(p[16:20]) < 1 || len(p) < 36 {
		return 0, nil
	}
	return int(binary.LittleEndian.Uint32(p[32:36])), nil
}

// closeWindow sends win the WM_DELETE_WINDOW client message, which is what
// a window manager sends when the user clicks the window's close button.
func (x *xconn) closeWindow(win uint32) error {
	protocols, err := x.internAtom("WM_PROTOCOLS")
	if err != nil {
		return err
	}
	del, err := x.internAtom("WM_DELETE_WINDOW")
	if err != nil {
		return err
	}
	_, err = x.send(deleteWindowRequest(win, protocols, del))
	return err
}

// deleteWindowRequest is a SendEvent request (no propagation, empty event
// mask: delivered to the window's owner) carrying a 32-bit ClientMessage
// of type WM_PROTOCOLS with data [WM_DELETE_WINDOW, CurrentTime].
func deleteWindowRequest(win, protocols, del uint32) []byte {
	req := make([]byte, 44)
	req[0] = xOpSendEvent
	binary.LittleEndian.PutUint16(req[2:4], 11)
	binary.LittleEndian.PutUint32(req[4:8], win)
	ev := req[12:]
	ev[0] = xClientMessage
	ev[1] = 32 // format
	binary.LittleEndian.PutUint32(ev[4:8], win)
	binary.LittleEndian.PutUint32(ev[8:12], protocols)
	binary.LittleEndian.PutUint32(ev[12:16], del)
	return req
}

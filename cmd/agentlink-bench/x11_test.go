package main

import (
	"context"
	"encoding/binary"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

func TestParseSetupRoot(t *testing.T) {
	// Fixed part, a 5-byte vendor (padded to 8), two pixmap formats, then
	// the first screen starting with its root window 0x1e9.
	r := make([]byte, 40+8+16+8)
	r[0] = 1
	binary.LittleEndian.PutUint16(r[24:26], 5)
	r[28], r[29] = 1, 2
	copy(r[40:], "Xvfb!")
	binary.LittleEndian.PutUint32(r[64:68], 0x1e9)
	root, err := parseSetupRoot(r)
	if err != nil || root != 0x1e9 {
		t.Errorf("parseSetupRoot = 0x%x, %v; want 0x1e9", root, err)
	}
	r[28] = 0
	if _, err := parseSetupRoot(r); err == nil {
		t.Error("a setup reply without screens was accepted")
	}
	if _, err := parseSetupRoot(r[:20]); err == nil {
		t.Error("a short setup reply was accepted")
	}
}

func TestDeleteWindowRequest(t *testing.T) {
	req := deleteWindowRequest(0x200026, 0x123, 0x124)
	if len(req) != 44 || req[0] != xOpSendEvent || binary.LittleEndian.Uint16(req[2:4]) != 11 {
		t.Fatalf("not an 11-word SendEvent: % x", req[:4])
	}
	if binary.LittleEndian.Uint32(req[4:8]) != 0x200026 || binary.LittleEndian.Uint32(req[8:12]) != 0 {
		t.Errorf("destination/mask: % x", req[4:12])
	}
	ev := req[12:]
	if ev[0] != xClientMessage || ev[1] != 32 || binary.LittleEndian.Uint32(ev[4:8]) != 0x200026 ||
		binary.LittleEndian.Uint32(ev[8:12]) != 0x123 || binary.LittleEndian.Uint32(ev[12:16]) != 0x124 {
		t.Errorf("client message: % x", ev)
	}
}

func TestParseMapEvent(t *testing.T) {
	p := make([]byte, 32)
	p[0] = xMapNotify | 0x80 // sent with SendEvent: still a map
	binary.LittleEndian.PutUint32(p[8:12], 42)
	if ev, ok := parseMapEvent(p); !ok || !ev.Mapped || ev.Window != 42 {
		t.Errorf("MapNotify: %+v %v", ev, ok)
	}
	p[0] = xUnmapNotify
	if ev, ok := parseMapEvent(p); !ok || ev.Mapped || ev.Window != 42 {
		t.Errorf("UnmapNotify: %+v %v", ev, ok)
	}
	p[0] = 22 // ConfigureNotify
	if _, ok := parseMapEvent(p); ok {
		t.Error("ConfigureNotify taken for a map event")
	}
}

// TestXClientClosesWindow runs the X11 client against a real Xvfb: it must
// see xlogo's window mapped, and WM_DELETE_WINDOW must make xlogo quit (it
// handles the message the way a window manager's close button sends it).
func TestXClientClosesWindow(t *testing.T) {
	if _, err := exec.LookPath("xlogo"); err != nil {
		t.Skip("xlogo (x11-apps) not installed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := startDisplay(ctx)
	if err != nil {
		t.Skipf("no display: %v", err)
	}
	defer d.Close()
	cmd := exec.Command("xlogo")
	cmd.Env = d.env(nil, t.TempDir())
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	defer func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	}()
	// xlogo sets no _NET_WM_PID: its windows report 0.
	win, at, err := d.waitWindow(ctx, 10*time.Second, func() []int { return []int{0, cmd.Process.Pid} })
	if err != nil {
		t.Fatalf("xlogo's window: %v", err)
	}
	if win == 0 || at.IsZero() {
		t.Fatalf("window 0x%x mapped at %v", win, at)
	}
	if err := d.x.closeWindow(win); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Fatal("xlogo still running 10s after WM_DELETE_WINDOW")
	}
}

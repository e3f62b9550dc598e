package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// display is an X server (Xvfb, software rendering only: GL goes through
// Mesa, llvmpipe on a machine without a GPU) and a D-Bus session bus for
// the UI figures: both the app and Chromium run on it, so neither gets a
// better display than the other. The bench starts them itself rather than
// through xvfb-run so that a process's start is timed without Xvfb's.
type display struct {
	name     string // ":N"
	dbusAddr string
	xvfb     *exec.Cmd
	dbus     *exec.Cmd
	x        *xconn // the bench's own connection, watching top-level windows
}

var errNoXvfbBin = errors.New("no Xvfb or dbus-daemon on PATH (scripts/setup.sh all installs them)")

// startDisplay starts Xvfb on a free display (-displayfd) and a session
// bus, and connects to the display.
func startDisplay(ctx context.Context) (*display, error) {
	if _, err := exec.LookPath("Xvfb"); err != nil {
		return nil, errNoXvfbBin
	}
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		return nil, errNoXvfbBin
	}
	d := &display{}
	var err error
	// 24-bit like a desktop; no TCP; no -auth: only local clients of this
	// user's machine reach it, for the few seconds of the figure.
	d.xvfb, d.name, err = startPrinting(ctx, "Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	if err != nil {
		return nil, fmt.Errorf("start Xvfb: %w", err)
	}
	d.name = ":" + d.name
	d.dbus, d.dbusAddr, err = startPrinting(ctx, "dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1")
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("dbus-daemon: %w", err)
	}
	if d.x, err = dialX(d.name); err != nil {
		d.Close()
		return nil, err
	}
	if err := d.x.watchRoot(); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// startPrinting starts a daemon in its own process group and returns the
// first line it prints on stdout (Xvfb's display number, dbus-daemon's
// address).
func startPrinting(ctx context.Context, name string, args ...string) (*exec.Cmd, string, error) {
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			line <- strings.TrimSpace(sc.Text())
		}
		close(line)
		for sc.Scan() { // drain: the daemon must never block on stdout
		}
	}()
	select {
	case l, ok := <-line:
		if ok && l != "" {
			return cmd, l, nil
		}
	case <-time.After(10 * time.Second):
	case <-ctx.Done():
	}
	killGroup(cmd)
	return nil, "", fmt.Errorf("%s printed nothing within 10s", name)
}

// killGroup ends a daemon this bench started, and waits for it.
func killGroup(cmd *exec.Cmd) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// Close stops the bus and the X server.
func (d *display) Close() {
	if d.x != nil {
		d.x.Close()
	}
	killGroup(d.dbus)
	killGroup(d.xvfb)
}

// env adds the display and the bus to base. The Mesa shader cache goes to
// dir (empty, as on a fresh machine; otherwise Mesa would use the user's).
func (d *display) env(base []string, dir string) []string {
	_ = os.MkdirAll(dir, 0o700) // best effort: Mesa creates its cache dir itself too
	return append(append([]string(nil), base...), "DISPLAY="+d.name, "DBUS_SESSION_BUS_ADDRESS="+d.dbusAddr,
		"XDG_CACHE_HOME="+dir, "MESA_SHADER_CACHE_DIR="+dir+"/mesa_shader_cache")
}

// waitWindow waits until a top-level window whose _NET_WM_PID is one of
// pids (0 when the window has none) is mapped, and returns it with the
// time the bench saw the MapNotify.
func (d *display) waitWindow(ctx context.Context, timeout time.Duration, pids func() []int) (uint32, time.Time, error) {
	deadline := time.Now().Add(timeout)
	for {
		if ctx.Err() != nil {
			return 0, time.Time{}, ctx.Err()
		}
		ev, err := d.x.nextEvent(deadline)
		if err != nil {
			return 0, time.Time{}, fmt.Errorf("no window mapped within %v: %w", timeout, err)
		}
		if !ev.Mapped {
			continue
		}
		pid, err := d.x.windowPID(ev.Window)
		if err != nil {
			continue // the window went away again
		}
		for _, p := range pids() {
			if p == pid {
				return ev.Window, ev.At, nil
			}
		}
	}
}

// waitUnmapped waits until win is unmapped.
func (d *display) waitUnmapped(ctx context.Context, win uint32, timeout time.Duration) (time.Time, error) {
	deadline := time.Now().Add(timeout)
	for ctx.Err() == nil {
		ev, err := d.x.nextEvent(deadline)
		if err != nil {
			return time.Time{}, fmt.Errorf("window 0x%x still mapped after %v: %w", win, timeout, err)
		}
		if !ev.Mapped && ev.Window == win {
			return ev.At, nil
		}
	}
	return time.Time{}, ctx.Err()
}

// glRenderer says which OpenGL renderer a client of this display gets:
// glxinfo -B's renderer string when glxinfo (mesa-utils) is installed, else
// "" (the caller infers it from the libraries the app mapped).
func (d *display) glRenderer(ctx context.Context, env []string) string {
	if _, err := exec.LookPath("glxinfo"); err != nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "glxinfo", "-B")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return glxRenderer(string(out))
}

// glxRenderer picks "OpenGL renderer string: ..." (and the version line)
// out of glxinfo -B.
func glxRenderer(out string) string {
	renderer, version := "", ""
	for line := range strings.SplitSeq(out, "\n") {
		line = strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(line, "OpenGL renderer string:"); ok {
			renderer = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "OpenGL version string:"); ok {
			version = strings.TrimSpace(v)
		}
	}
	if renderer != "" && version != "" {
		return renderer + "; OpenGL " + version
	}
	return renderer
}

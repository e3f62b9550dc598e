package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Figure 8 targets (issue 14 items 2 and 6).
const (
	uiShownMax   = 60.0 // MB RSS, window shown
	uiHiddenMax  = 35.0 // MB RSS, window closed to the tray
	coldStartMax = time.Second
	hideTimeout  = 5 * time.Second
)

// runUIFigure is figure 8: `agentlink --demo` with its window on the
// bench's own Xvfb (software GL through Mesa, as on a machine without a
// GPU) and session bus. It times the cold start (process start -> window
// mapped and IN_SERVICE), measures the idle footprint with the window shown
// and where it goes (/proc/PID/smaps by mapping), then closes the window as
// a window manager's close button does (WM_DELETE_WINDOW; the app hides it
// to the tray) and measures again.
func runUIFigure(ctx context.Context, bins binaries) []Row {
	const name = "agentlink --demo with its window"
	fe, err := newFootprintEnv(bins)
	if err != nil {
		return []Row{failRow(8, name, err)}
	}
	defer os.RemoveAll(fe.dir)
	d, err := startDisplay(ctx)
	if errors.Is(err, errNoXvfbBin) {
		return []Row{{Figure: 8, Metric: name, Display: "-", Status: StatusNotMeasured, Note: err.Error()}}
	}
	if err != nil {
		return []Row{failRow(8, name, err)}
	}
	defer d.Close()
	env := d.env(fe.env, filepath.Join(fe.dir, "cache"))
	r, err := startAppEnv(ctx, fe, env, fe.bin, "--demo")
	if err != nil {
		return []Row{failRow(8, name, err)}
	}
	defer r.stop()
	pid := r.cmd.Process.Pid
	rows, win, err := coldStart(ctx, d, r)
	if err != nil {
		return append(rows, failRow(8, name+": cold start", err))
	}
	shown, err := uiSample(ctx, pid)
	if err != nil {
		return append(rows, failRow(8, name+": shown", err))
	}
	rows = append(rows, uiRows("window shown", shown, uiShownMax, "")...)
	rows = append(rows, glRow(ctx, d, env, shown.maps))
	rows = append(rows, breakdownRows(shown.maps, fe.bin)...)
	closedAt := time.Now()
	if err := d.x.closeWindow(win); err != nil {
		return append(rows, failRow(8, name+": close the window", err))
	}
	unmapped, err := d.waitUnmapped(ctx, win, hideTimeout)
	if err != nil {
		return append(rows, failRow(8, name+": hidden to the tray", err))
	}
	select {
	case <-r.exited:
		return append(rows, failRow(8, name+": hidden to the tray", errors.New("closing the window ended the app instead of hiding it")))
	default:
	}
	hidden, err := uiSample(ctx, pid)
	if err != nil {
		return append(rows, failRow(8, name+": hidden", err))
	}
	how := fmt.Sprintf("window closed with WM_DELETE_WINDOW (a close button), unmapped %s later, app still running", fmtDur(unmapped.Sub(closedAt)))
	return append(rows, uiRows("window hidden in the tray", hidden, uiHiddenMax, how)...)
}

// coldStart waits for the app's window to be mapped and for IN_SERVICE
// (the demo signs its agent in at start) and returns the rows and window.
func coldStart(ctx context.Context, d *display, r *appRun) ([]Row, uint32, error) {
	type svc struct {
		at  time.Time
		err error
	}
	inSvc := make(chan svc, 1)
	go func() {
		at, _, err := waitInService(ctx, r.addr, r.token, r.exited)
		inSvc <- svc{at, err}
	}()
	pid := r.cmd.Process.Pid
	win, mapped, err := d.waitWindow(ctx, appStartTimeout, func() []int { return []int{pid} })
	s := <-inSvc
	if err == nil {
		err = s.err
	}
	if err != nil {
		return nil, 0, err
	}
	ready := max(mapped.Sub(r.start), s.at.Sub(r.start))
	row := leDurRow(8, "UI cold start: process start to window mapped and IN_SERVICE", ready, coldStartMax)
	row.Note = fmt.Sprintf("window mapped after %s, IN_SERVICE after %s (demo agent signed in at start; its simulator in the process); Xvfb already up; empty Mesa shader cache",
		fmtDur(mapped.Sub(r.start)), fmtDur(s.at.Sub(r.start)))
	return []Row{row}, win, nil
}

// uiReading is one idle reading of the UI process.
type uiReading struct {
	rss    ProcSample
	peak   int64
	cpu    float64
	rollup Rollup
	maps   []Mapping
}

// uiSample settles, reads RSS and CPU over the idle window, then the
// process's smaps (for PSS and the breakdown).
func uiSample(ctx context.Context, pid int) (uiReading, error) {
	var u uiReading
	var err error
	if u.rss, u.peak, u.cpu, err = idleSample(ctx, pid); err != nil {
		return u, err
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return u, err
	}
	if u.maps, err = readSmaps(b); err != nil {
		return u, err
	}
	rb, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return u, err
	}
	u.rollup, err = ParseRollup(rb)
	return u, err
}

// uiRows are the RSS row (with its target) and the CPU row of a state.
func uiRows(state string, u uiReading, limit float64, how string) []Row {
	rss := leRow(8, "UI "+state+": idle RSS", mb(u.rss.RSS), "MB", 1, limit)
	rss.Note = rssNote(u.rss, u.peak) + fmt.Sprintf("; PSS %.1f MB", mb(u.rollup.PSS))
	if how != "" {
		rss.Note += "; " + how
	}
	cpu := infoRow(8, "UI "+state+": idle CPU", u.cpu, "% of a core", 2, fmt.Sprintf("utime+stime over %v; software rendering", idleWindow))
	return []Row{rss, cpu}
}

// glRow says which GL renderer the app got: glxinfo -B's answer on the
// same display when glxinfo is installed, and the GL driver libraries the
// app has mapped (evidence either way).
func glRow(ctx context.Context, d *display, env []string, maps []Mapping) Row {
	libs := mappedAny(maps, glLibNames...)
	note := "GL libraries mapped by the app: " + strings.Join(libs, ", ")
	if len(libs) == 0 {
		note = "the app maps no GL driver library"
	}
	r := Row{Figure: 8, Metric: "UI GL renderer (same display)", Unit: "text", Status: StatusInfo, Note: note}
	if r.Display = d.glRenderer(ctx, env); r.Display == "" {
		r.Display = "unknown (glxinfo not installed: apt install mesa-utils)"
	}
	return r
}

// breakdownRows are info rows saying where the shown window's RSS goes.
func breakdownRows(maps []Mapping, exe string) []Row {
	var rows []Row
	for _, g := range GroupMappings(maps, exe) {
		largest := filepath.Base(g.Largest)
		if g.Largest == "anonymous" || strings.HasPrefix(g.Largest, "[") {
			largest = g.Largest
		}
		rows = append(rows, infoRow(8, "UI shown, RSS by mapping: "+g.Name, mb(g.RSS), "MB", 1,
			fmt.Sprintf("PSS %.1f MB; %d mappings; largest %s %.1f MB", mb(g.PSS), g.Mappings, largest, mb(g.LargestRSS))))
	}
	return rows
}

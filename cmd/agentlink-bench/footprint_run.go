package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// headlessFootprint runs `agentlink --headless --demo` and measures its
// start, then its idle RSS and CPU.
func headlessFootprint(ctx context.Context, fe *footprintEnv, bin, name string) []Row {
	fail := func(err error) []Row { return []Row{failRow(5, "footprint of "+name, err)} }
	r, err := startApp(ctx, fe, bin, "--headless", "--demo")
	if err != nil {
		return fail(err)
	}
	defer r.stop()
	inService, signedIn, err := waitInService(ctx, r.addr, r.token, r.exited)
	if err != nil {
		return fail(err)
	}
	rss, peak, cpu, err := idleSample(ctx, r.cmd.Process.Pid)
	if err != nil {
		return fail(err)
	}
	return headlessRows(name, inService.Sub(r.start),
		fmt.Sprintf("agent signed in after %s; includes starting the demo's own simulator", fmtDur(signedIn.Sub(r.start))),
		rss, peak, cpu, "the process holds the demo's simulator too", "agent signed in, no toolbar")
}

// uiFootprint runs `agentlink --demo` with its UI under xvfb-run and a
// private D-Bus session, and measures its idle RSS (and CPU, for context).
func uiFootprint(ctx context.Context, fe *footprintEnv) []Row {
	const name = "agentlink --demo with UI under Xvfb: idle RSS"
	xvfb, err1 := exec.LookPath("xvfb-run")
	dbus, err2 := exec.LookPath("dbus-run-session")
	if err1 != nil || err2 != nil {
		return []Row{{Figure: 5, Metric: name, Display: "-", Target: "< 100.0 MB", Status: StatusNotMeasured, Note: errNoXvfb.Error()}}
	}
	fail := func(err error) []Row { return []Row{failRow(5, name, err)} }
	r, err := startApp(ctx, fe, xvfb, "-a", "-s", "-screen 0 1280x800x24", dbus, "--", fe.bin, "--demo")
	if err != nil {
		return fail(err)
	}
	defer r.stop()
	inService, _, err := waitInService(ctx, r.addr, r.token, r.exited)
	if err != nil {
		return fail(err)
	}
	pid, err := findProcess(fe.bin, r.cmd.Process.Pid)
	if err != nil {
		return fail(err)
	}
	rss, peak, cpu, err := idleSample(ctx, pid)
	if err != nil {
		return fail(err)
	}
	rssRow := maxRow(5, name, mb(rss.RSS), "MB", 1, uiRSSMax)
	rssRow.Note = rssNote(rss, peak) + fmt.Sprintf("; IN_SERVICE %s after start (Xvfb start included)", fmtDur(inService.Sub(r.start)))
	cpuRow := maxRow(5, "agentlink --demo with UI under Xvfb: idle CPU", cpu, "% of a core", 2, 0)
	cpuRow.Note = "software rendering under Xvfb; no target"
	return []Row{rssRow, cpuRow}
}

// findProcess finds the process running bin in the process group pgid (the
// app under xvfb-run and dbus-run-session).
func findProcess(bin string, pgid int) (int, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	want, _ := filepath.EvalSymlinks(bin)
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err != nil || strings.TrimSuffix(exe, " (deleted)") != want {
			continue
		}
		if g, err := syscall.Getpgid(pid); err == nil && g == pgid {
			return pid, nil
		}
	}
	return 0, fmt.Errorf("no process running %s in process group %d", bin, pgid)
}

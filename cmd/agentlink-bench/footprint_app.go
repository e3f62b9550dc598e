package main

import (
	"context"
	"fmt"
	"os/exec"
	"syscall"
	"time"
)

// appRun is one agentlink child process of figure 5, in its own process
// group so that stopping it also stops xvfb-run and dbus-run-session.
type appRun struct {
	cmd    *exec.Cmd
	exited chan error // closed when the process has ended: any number of waiters see it
	start  time.Time
	addr   string // the app's bridge
	token  string // its bridge token
}

// startApp runs argv (the app, or xvfb-run wrapping it) in fe with a free
// bridge address and warn-level logs appended to its arguments.
func startApp(ctx context.Context, fe *footprintEnv, argv ...string) (*appRun, error) {
	return startAppEnv(ctx, fe, fe.env, argv...)
}

// startAppEnv is startApp with the process's environment given (a display
// and a session bus for the UI figures).
func startAppEnv(ctx context.Context, fe *footprintEnv, env []string, argv ...string) (*appRun, error) {
	token, err := fe.token(ctx)
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	args := append(append([]string(nil), argv[1:]...), "--bridge-addr", addr, "--log-level", "warn")
	cmd := exec.Command(argv[0], args...)
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	r := &appRun{cmd: cmd, exited: make(chan error, 1), addr: addr, token: token, start: time.Now()}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { _ = cmd.Wait(); close(r.exited) }()
	return r, nil
}

// stop stops the process group and waits for it.
func (r *appRun) stop() { stopGroup(r.cmd, r.exited) }

// headlessRows are the three figure-5 rows of a headless run: start to
// IN_SERVICE, idle RSS and idle CPU, with notes saying what they include.
func headlessRows(name string, inService time.Duration, startNote string, rss ProcSample, peak int64, cpu float64, rssExtra, cpuNote string) []Row {
	startRow := leDurRow(5, name+": start to IN_SERVICE", inService, headlessStartMax)
	startRow.Note = startNote
	rssRow := maxRow(5, name+": idle RSS", mb(rss.RSS), "MB", 1, headlessRSSMax)
	rssRow.Note = rssNote(rss, peak) + "; " + rssExtra
	cpuRow := maxRow(5, name+": idle CPU", cpu, "% of a core", 2, idleCPUMax)
	cpuRow.Note = fmt.Sprintf("utime+stime over %v, %s", idleWindow, cpuNote)
	return []Row{startRow, rssRow, cpuRow}
}

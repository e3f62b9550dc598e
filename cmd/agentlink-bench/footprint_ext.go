package main

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"syscall"
	"time"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// externalFootprint runs `agentlink --headless` against a simulator in this
// process (side A only: the app takes one XMPP port for both sides) and
// signs the agent in with a toolbar Login, as an agent without a keychain
// would. Unlike --demo, the app's process holds no simulator, so this is
// the footprint an agent's workstation sees.
func externalFootprint(ctx context.Context, fe *footprintEnv) []Row {
	const name = "agentlink --headless against a simulator"
	fail := func(err error) []Row { return []Row{failRow(5, name, err)} }
	sim, err := finessesim.Start(ctx, finessesim.Config{Seed: 5, Logger: discardLogger()})
	if err != nil {
		return fail(err)
	}
	defer sim.Close()
	token, err := fe.token(ctx)
	if err != nil {
		return fail(err)
	}
	addr, err := freeAddr()
	if err != nil {
		return fail(err)
	}
	a := sim.Node(finessesim.NodeA)
	cmd := exec.Command(fe.bin, "--headless", "--bridge-addr", addr, "--log-level", "warn",
		"--side-a", net.JoinHostPort(a.Host(), strconv.Itoa(a.RESTPort())), "--xmpp-port", strconv.Itoa(a.XMPPTLSPort()),
		"--ca-file", sim.CAFile(), "--agent", chainAgent.ID, "--extension", chainAgent.Extension)
	cmd.Env = fe.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return fail(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer stopGroup(cmd, exited)
	loginAt, inService, err := loginThroughBridge(ctx, addr, token, exited)
	if err != nil {
		return fail(err)
	}
	rss, peak, cpu, err := idleSample(ctx, cmd.Process.Pid)
	if err != nil {
		return fail(err)
	}
	startRow := durRow(5, name+": start to IN_SERVICE", inService.Sub(start), startMax)
	startRow.Note = fmt.Sprintf("includes a toolbar connecting and signing in at %s", fmtDur(loginAt.Sub(start)))
	rssRow := maxRow(5, name+": idle RSS", mb(rss.RSS), "MB", 1, headlessRSSMax)
	rssRow.Note = rssNote(rss, peak) + "; one toolbar connected"
	cpuRow := maxRow(5, name+": idle CPU", cpu, "% of a core", 2, idleCPUMax)
	cpuRow.Note = fmt.Sprintf("utime+stime over %v, agent signed in", idleWindow)
	return []Row{startRow, rssRow, cpuRow}
}

// loginThroughBridge waits for the bridge, connects a toolbar, signs the
// agent in, and waits for IN_SERVICE. The toolbar stays connected until
// the app stops (it is closed with the process).
func loginThroughBridge(ctx context.Context, addr, token string, exited <-chan error) (loginAt, inService time.Time, err error) {
	deadline := time.Now().Add(appStartTimeout)
	var tb *toolbar
	for tb == nil {
		if tb, err = dialToolbar(ctx, addr, token); err == nil {
			break
		}
		if time.Now().After(deadline) {
			return loginAt, inService, fmt.Errorf("bridge not reachable within %v: %w", appStartTimeout, err)
		}
		select {
		case err := <-exited:
			return loginAt, inService, fmt.Errorf("agentlink exited: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	loginAt = time.Now()
	args := map[string]string{"agentId": chainAgent.ID, "extension": chainAgent.Extension, "password": chainAgent.Password}
	if _, err := tb.request(ctx, "Login", args); err != nil {
		return loginAt, inService, fmt.Errorf("login through the bridge: %w", err)
	}
	inService, _, err = waitInService(ctx, addr, token, exited)
	return loginAt, inService, err
}

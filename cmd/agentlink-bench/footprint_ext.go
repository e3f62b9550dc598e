package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// externalFootprint runs `agentlink --headless` against a simulator in this
// process (side A only: failover is figure 4) and
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
	a := sim.Node(finessesim.NodeA)
	r, err := startApp(ctx, fe, fe.bin, "--headless",
		"--side-a", net.JoinHostPort(a.Host(), strconv.Itoa(a.RESTPort())), "--xmpp-port", strconv.Itoa(a.XMPPTLSPort()),
		"--ca-file", sim.CAFile(), "--agent", chainAgent.ID, "--extension", chainAgent.Extension)
	if err != nil {
		return fail(err)
	}
	defer r.stop()
	loginAt, inService, _, err := loginThroughBridge(ctx, r.addr, r.token, r.exited)
	if err != nil {
		return fail(err)
	}
	rss, peak, cpu, err := idleSample(ctx, r.cmd.Process.Pid)
	if err != nil {
		return fail(err)
	}
	return headlessRows(name, inService.Sub(r.start),
		fmt.Sprintf("includes a toolbar connecting and signing in at %s", fmtDur(loginAt.Sub(r.start))),
		rss, peak, cpu, "one toolbar connected", "agent signed in")
}

// loginThroughBridge waits for the bridge, connects a toolbar, signs the
// agent in, and waits for IN_SERVICE. The toolbar stays connected until
// the app stops (it is closed with the process); it is returned for
// further requests.
func loginThroughBridge(ctx context.Context, addr, token string, exited <-chan error) (loginAt, inService time.Time, tb *toolbar, err error) {
	deadline := time.Now().Add(appStartTimeout)
	for tb == nil {
		if tb, err = dialToolbar(ctx, addr, token); err == nil {
			break
		}
		if time.Now().After(deadline) {
			return loginAt, inService, nil, fmt.Errorf("bridge not reachable within %v: %w", appStartTimeout, err)
		}
		select {
		case <-exited:
			return loginAt, inService, nil, errors.New("agentlink exited before its bridge answered")
		case <-time.After(5 * time.Millisecond):
		}
	}
	loginAt = time.Now()
	args := map[string]string{"agentId": chainAgent.ID, "extension": chainAgent.Extension, "password": chainAgent.Password}
	if _, err := tb.request(ctx, "Login", args); err != nil {
		return loginAt, inService, nil, fmt.Errorf("login through the bridge: %w", err)
	}
	inService, _, err = waitInService(ctx, addr, token, exited)
	return loginAt, inService, tb, err
}

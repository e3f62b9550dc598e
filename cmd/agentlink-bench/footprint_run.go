package main

import (
	"context"
	"fmt"
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

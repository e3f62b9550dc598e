package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// run starts the simulator, prints how to reach it and blocks until ctx ends.
func run(ctx context.Context, o options, out io.Writer) error {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: o.logLevel}))
	o.cfg.Logger = log
	if o.agentsFile != "" {
		agents, err := loadAgents(o.agentsFile)
		if err != nil {
			return err
		}
		o.cfg.Agents = agents
	}
	sim, err := finessesim.Start(ctx, o.cfg)
	if err != nil {
		return err
	}
	defer sim.Close()
	printBanner(out, sim, o)
	go o.scenario.run(ctx, sim, o.cfg.Seed, log)
	<-ctx.Done()
	log.Info("shutting down")
	return nil
}

func printBanner(w io.Writer, sim *finessesim.Sim, o options) {
	fmt.Fprintf(w, "Finesse simulator (%s) running. Ctrl-C to stop.\n\n", o.cfg.Deployment)
	for _, id := range []finessesim.NodeID{finessesim.NodeA, finessesim.NodeB} {
		n := sim.Node(id)
		fmt.Fprintf(w, "Node %s  REST %s/finesse/api  XMPP TLS %s:%d  STARTTLS %s:%d  domain %s\n",
			id, n.RESTURL(), n.Host(), n.XMPPTLSPort(), n.Host(), n.XMPPStartTLSPort(), n.XMPPDomain())
	}
	fmt.Fprintf(w, "\nControl API %s  (GET /healthz /agents /dialogs, POST /calls, ...)\n", sim.ControlURL())
	fmt.Fprintf(w, "CA file     %s\n\nAgents (id / password / extension):\n", sim.CAFile())
	agents := o.cfg.Agents
	if len(agents) == 0 {
		agents = finessesim.DefaultAgents()
	}
	for _, a := range agents {
		fmt.Fprintf(w, "  %s / %s / %s\n", a.ID, a.Password, a.Extension)
	}
	fmt.Fprintf(w, "\nTry: curl --cacert %s -u %s:%s %s/finesse/api/SystemInfo\n",
		sim.CAFile(), agents[0].ID, agents[0].Password, sim.Node(finessesim.NodeA).RESTURL())
	printSSO(w, sim, o.cfg.SSO) // flags_sso.go
}

// Command finesse-sim runs the two-node Cisco Finesse simulator on loopback
// until SIGINT or SIGTERM. See finesse/finessesim for what it emulates.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	opts, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "finesse-sim:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, opts, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "finesse-sim:", err)
		os.Exit(1)
	}
}

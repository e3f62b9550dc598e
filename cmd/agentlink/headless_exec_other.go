//go:build !unix || nogui

package main

import (
	"log/slog"
	"os"
)

// execHeadlessSibling runs nothing: a nogui build is already the light one,
// and Windows cannot replace a running process (a child would leave this
// one resident beside it), so there the installer's agentlink-cli.exe is the
// headless binary to run.
func execHeadlessSibling(logger *slog.Logger) {
	if builtWithUI {
		logger.Info("headless: running in this process (the full binary)", "reason", findHeadlessSibling(os.Getenv).why)
	}
}

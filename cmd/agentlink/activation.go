package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/agentlink/agentlink/ui/activation"
)

// Protocol activation: a Windows toast's buttons launch
// `agentlink.exe "agentlink:answer?dialog=ID"` (or agentlink:show), the
// per-user URL protocol the MSI registers. That launch is not an app: it
// hands the request to the running AgentLink over the single-instance
// channel, the one hotkeys use, and exits. The running instance answers
// only that call, only if its toast is up and it still rings.

// runActivation handles a command line that is an agentlink: URL.
func runActivation(ctx context.Context, args []string, sio stdio) error {
	if len(args) != 1 {
		return &usageError{"an agentlink: URL comes alone on the command line"}
	}
	req, err := activation.Parse(args[0])
	if err != nil {
		return &usageError{err.Error()}
	}
	if req.Verb == activation.VerbShow {
		return run(ctx, nil, sio) // a plain launch: it shows the running one, or starts
	}
	dir, err := configDir()
	if err != nil {
		return err
	}
	if err := sendToRunning(dir, req.String()); err != nil {
		return fmt.Errorf("the call cannot be answered from its notification: AgentLink is not running or did not answer (%v)", err)
	}
	fmt.Fprintln(sio.out, "Handed the Answer to the running AgentLink.")
	return nil
}

// activationAnswer carries out a forwarded agentlink: URL and words the
// answer line. The URL was checked by the launch that sent it; it is
// parsed again here, as anything that reaches the channel is.
func activationAnswer(h instanceHandler, raw string, log *slog.Logger) string {
	req, err := activation.Parse(raw)
	if err != nil {
		log.Warn("instance request refused", "err", err)
		return "error: " + err.Error()
	}
	switch {
	case req.Verb == activation.VerbShow:
		h.show()
	case h.notifyAnswer == nil:
		return "error: this AgentLink shows no notifications to answer from"
	default:
		log.Info("Answer from a notification", "dialog", req.DialogID)
		h.notifyAnswer(req.DialogID)
	}
	return "ok"
}

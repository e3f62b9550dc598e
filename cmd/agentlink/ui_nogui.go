//go:build nogui

package main

import (
	"context"
	"errors"
	"log/slog"
)

// builtWithUI is false: this build (`go build -tags nogui`) leaves out Fyne,
// for servers, VDI images and kiosks that only need the Finesse session and
// the CRM bridge. It is smaller and lighter; it always runs headless.
const builtWithUI = false

// runUI is never reached: runApp runs headless when builtWithUI is false.
func runUI(context.Context, context.CancelFunc, Config, *parts, *slog.Logger) error {
	return errors.New("this AgentLink was built without the desktop UI (-tags nogui)")
}

// showStartupError does nothing: this build has no window (and never asks
// for one, since builtWithUI is false).
func showStartupError(context.Context, error) {}

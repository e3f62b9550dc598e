//go:build windows

package wintoast

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// New is a Notifier for the app ID Fyne shows its own notifications
// under (fyne.App.UniqueID).
func New(appID string) (*Notifier, error) { return newNotifier(appID, powershell), nil }

// psTimeout bounds one PowerShell run. It replaces the caller's shorter
// deadline (the alerter gives each call 3 s): a cold PowerShell start on a
// loaded virtual desktop can take longer than that, and killing it would
// lose the toast. Not measured on real Windows.
const psTimeout = 10 * time.Second

// powershell runs script hidden, for up to psTimeout.
func powershell(ctx context.Context, script string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), psTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "powershell.exe", "-NoProfile", "-NonInteractive",
		"-ExecutionPolicy", "Bypass", "-EncodedCommand", encodedCommand(script))
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("wintoast: powershell: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

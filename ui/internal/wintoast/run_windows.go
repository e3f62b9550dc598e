//go:build windows

package wintoast

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
)

// New is a Notifier for the app ID Fyne shows its own notifications
// under (fyne.App.UniqueID).
func New(appID string) (*Notifier, error) { return newNotifier(appID, powershell), nil }

// powershell runs script hidden; ctx bounds it.
func powershell(ctx context.Context, script string) error {
	cmd := exec.CommandContext(ctx, "powershell.exe", "-NoProfile", "-NonInteractive",
		"-ExecutionPolicy", "Bypass", "-EncodedCommand", encodedCommand(script))
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("wintoast: powershell: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

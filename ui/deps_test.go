package ui

import (
	"os/exec"
	"strings"
	"testing"
)

// forbidden lists packages ui must not depend on, with the reason.
var forbidden = map[string]string{
	"fyne.io/fyne/v2/app":                               "needs cgo and a display; only cmd/agentlink creates the app, so ui tests run headless",
	"github.com/agentlink/agentlink/finesse":            "ui reaches Finesse only through core.Session",
	"github.com/agentlink/agentlink/localbridge":        "ui reaches the bridge only through the Bridge interface cmd adapts",
	"github.com/getlantern/systray":                     "a second tray stack; Fyne's own tray is used (deps.md §1.4)",
	"github.com/agentlink/agentlink/finesse/finessesim": "the simulator is not part of the app",
}

func TestDeps(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if why, bad := forbidden[dep]; bad {
			t.Errorf("ui depends on %s: %s", dep, why)
		}
	}
}

package ui

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// recordingApp notes the window Run creates; the test app's Run returns at
// once, as if the agent quit straight away.
type recordingApp struct {
	fyne.App
	win fyne.Window
}

func (a *recordingApp) NewWindow(title string) fyne.Window {
	a.win = a.App.NewWindow(title)
	return a.win
}

func TestRun(t *testing.T) {
	if err := Run(t.Context(), test.NewTempApp(t), Config{}); !errors.Is(err, ErrNoSession) {
		t.Errorf("Run without a session = %v, want ErrNoSession", err)
	}
	a := &recordingApp{App: test.NewTempApp(t)}
	sess := core.NewSession(core.Config{Port: &coretest.Port{}})
	if err := Run(t.Context(), a, Config{Session: sess}); err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	if a.win == nil {
		t.Fatal("Run created no window")
	}
	if got := a.win.Title(); got != windowTitle || windowTitle != "AgentLink" {
		t.Errorf("window title = %q, want AgentLink", got)
	}
	if got, want := a.win.Canvas().Size(), fyne.NewSize(420, 640); got != want {
		t.Errorf("window size = %v, want %v (ui-smoke.md coordinates assume it)", got, want)
	}
}

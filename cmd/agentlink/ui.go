//go:build !nogui

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"

	"fyne.io/fyne/v2"

	"fyne.io/fyne/v2/app"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/localbridge"
	"github.com/agentlink/agentlink/ui"
)

// builtWithUI is false in a `-tags nogui` build (see ui_nogui.go).
const builtWithUI = true

// runUI runs the softphone and tray on the calling (main) goroutine until
// the agent quits or ctx ends. cancel stops the rest of the app when the
// agent quits from the tray.
func runUI(ctx context.Context, cancel context.CancelFunc, cfg Config, p *parts, log *slog.Logger) error {
	// A plain `go build` binary carries no FyneApp.toml: set the metadata
	// (name, icon, the fyneDo threading model) before the app exists.
	uiStarted.Store(true)
	app.SetMetadata(ui.Metadata())
	a := app.NewWithID(appID)
	defaults := ui.LoginDefaults{SideA: firstNonEmpty(cfg.Finesse.VPNLessA, cfg.Finesse.SideA),
		SideB:   firstNonEmpty(cfg.Finesse.VPNLessB, cfg.Finesse.SideB),
		AgentID: cfg.Finesse.AgentID, Extension: cfg.Finesse.Extension}
	if p.demo != nil {
		defaults = ui.LoginDefaults{SideA: p.demo.sim.Node("A").RESTURL(), SideB: p.demo.sim.Node("B").RESTURL(),
			AgentID: p.demo.agent.ID, Extension: p.demo.agent.Extension}
	}
	ph := cfg.Finesse.Phone
	defaults.DeviceID, defaults.MobileMode, defaults.DialNumber = ph.DeviceID, ph.MobileMode, ph.DialNumber
	// The bridge's prompts: pairing a CRM origin, signing in for a toolbar.
	go promptPairings(ctx, a, p.bridge, log.With("component", "ui"))
	signIn := signInPrompt(a, p, log.With("component", "ui"))
	p.signIn.Store(&signIn)
	defer p.signIn.Store(nil)
	var reconnect func(ctx context.Context, sideA, sideB string) error
	if p.demo == nil {
		reconnect = reconnectFunc(cfg, p.link)
	}
	signInSSO := ssoForUI(a, cfg, p) // ui_sso.go; nil without SSO
	err := ui.Run(ctx, a, ui.Config{
		Session:             p.session,
		Bridge:              bridgeForUI{s: p.bridge, dir: monitorDir()},
		Secrets:             secretsForUI{p.keys},
		Defaults:            defaults,
		Reconnect:           reconnect,
		Logger:              log.With("component", "ui"),
		StartHidden:         cfg.UI.StartHidden,
		DialPlan:            cfg.DialPlan,
		RaiseOnRing:         cfg.UI.RaiseOnRing,
		Recording:           cfg.Finesse.Phone.Recording,
		Show:                p.show,
		NotificationAnswers: p.answers,
		SignInSSO:           signInSSO,

		CallerNameVariable: cfg.UI.CallerNameVariable,
		Notices:            p.hotkeyNotices,
		GlobalHotkeys:      hotkeyHelp(cfg),
	})
	cancel()
	return err
}

// showStartupError shows why AgentLink cannot start in a window and waits
// until the agent closes it.
// Fyne runs one app per process, so once the softphone has run, a later
// failure goes to stderr only. ctx ending (SIGTERM, logout) closes it.
func showStartupError(ctx context.Context, err error) {
	if uiStarted.Load() {
		return
	}
	uiStarted.Store(true)
	app.SetMetadata(ui.Metadata())
	a := app.NewWithID(appID)
	stop := context.AfterFunc(ctx, func() { fyne.Do(a.Quit) })
	defer stop()
	ui.RunStartupError(a, err.Error())
}

// uiStarted is set once a Fyne app has been created in this process.
var uiStarted atomic.Bool

// bridgeForUI adapts the bridge server to what the softphone shows.
type bridgeForUI struct {
	s   *localbridge.Server
	dir string // the agent's config directory, for the monitor's launch page
}

func (b bridgeForUI) Clients() int                    { return len(b.s.Clients()) }
func (b bridgeForUI) AllowOrigin(origin string) error { return b.s.AllowOrigin(origin) }
func (b bridgeForUI) DenyOrigin(origin string) error  { return b.s.DenyOrigin(origin) }
func (b bridgeForUI) Changes() <-chan struct{}        { return b.s.Changes() }
func (b bridgeForUI) Unlogged() []core.CallRecord     { return b.s.Unlogged() }

// MonitorURL is what the softphone and tray open: a user-only launch page,
// never the ticket itself (monitorlink.go).
func (b bridgeForUI) MonitorURL() (string, error) {
	u, err := b.s.MonitorURL()
	if err != nil {
		return "", err
	}
	return monitorLaunchURL(b.dir, u)
}

func (b bridgeForUI) PendingOrigins() []string {
	refused := b.s.RefusedOrigins()
	out := make([]string, 0, len(refused))
	for _, r := range refused {
		out = append(out, r.Origin)
	}
	return out
}

// secretsForUI adapts the keychain's errors to the ones the UI explains.
type secretsForUI struct{ k keychain }

func (s secretsForUI) SetPassword(agentID, pw string) error { return s.k.SetPassword(agentID, pw) }
func (s secretsForUI) Available() error                     { return s.k.Available() }

func (s secretsForUI) Password(agentID string) (string, error) {
	pw, err := s.k.Password(agentID)
	switch {
	case errors.Is(err, errNoPassword):
		return "", fmt.Errorf("%w: %w", ui.ErrNoSecret, err)
	case errors.Is(err, errNoKeychain):
		return "", fmt.Errorf("%w: %w", ui.ErrNoKeychain, err)
	}
	return pw, err
}

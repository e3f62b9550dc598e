package ui

import (
	"context"
	"errors"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/systray"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/ui/internal/desknotify"
	"github.com/agentlink/agentlink/ui/internal/wintoast"
)

// ErrNoSession is returned by [Run] when Config.Session is nil.
var ErrNoSession = errors.New("ui: config has no session")

// Run builds the window and the tray on app, follows the session until the
// app quits or ctx ends, and returns then. Call it on the main goroutine
// (Fyne's rule); it calls app.Run itself. Quit the app through ctx, not
// app.Quit: the shell must stop touching the tray first.
func Run(ctx context.Context, app fyne.App, cfg Config) error {
	if cfg.Session == nil {
		return ErrNoSession
	}
	dropBundledEmoji() // before any text is measured
	ctx, cancel := context.WithCancel(ctx)
	s := newShell(ctx, app, coreSession{cfg.Session}, cfg)
	// Fyne has no tooltip API; its tray is fyne.io/systray, whose tooltip
	// shows on Windows, macOS and the Linux StatusNotifierItem hosts.
	s.setTooltip = systray.SetTooltip
	// Call notifications with Answer and withdrawal where the platform has
	// them (freedesktop D-Bus, Windows toasts); Fyne's plain ones elsewhere
	// (callalert.go).
	if n, err := desknotify.Dial(""); err == nil {
		s.notifier = n
		defer n.Close() // after stop: the alerter withdraws what still rings
	} else if t, terr := wintoast.New(notificationAppID(app)); terr == nil {
		s.notifier = t
	} else {
		s.log.Info("ui call notifications through Fyne: no Answer button, not withdrawn", "err", errors.Join(err, terr))
	}
	stopQuit := context.AfterFunc(ctx, func() { s.do(s.quitApp) })
	if app.Icon() == nil {
		app.SetIcon(loadIcon(appIconFile))
	}
	s.uiMu.Lock() // UI work, like every fyne.Do callback (see shell.uiMu)
	stop := s.boot()
	s.setupTray()
	s.trayUp = true
	s.attachWindow() // the tray icon's click goes through the shell (release.go)
	s.closeTrayMonitor()
	if !cfg.StartHidden {
		s.win.Show()
	}
	s.uiMu.Unlock()
	go s.followShow(ctx, cfg.Show)
	go s.followNotificationAnswers(ctx, cfg.NotificationAnswers)
	go s.followNotices(ctx, cfg.Notices)
	app.Run()
	stopQuit() // before cancel: the app is gone, nothing left to quit
	cancel()
	stop()
	return nil
}

// boot builds the window from a first snapshot and starts the follow
// goroutine. The returned func waits for that goroutine to end once the
// shell's context is cancelled. Fyne thread (before app.Run counts).
func (s *shell) boot() (wait func()) {
	w := s.sess.Watch(core.WatchOptions{})
	s.m = modelFrom(w.Snapshot())
	s.alerts = newAlerter(s.notifier, s.log,
		func(id string) { s.do(func() { s.answerFromNotification(id) }) },
		func() { s.do(func() { s.showWindow(); s.refresh() }) }) // refresh: tests wait on it
	s.buildWindow()
	s.login.prefillPassword()
	s.afterChange()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		s.follow(s.ctx, w)
	}()
	go func() {
		defer wg.Done()
		s.alerts.run(s.ctx)
	}()
	return wg.Wait
}

// followShow brings the window forward on each request until ctx ends.
func (s *shell) followShow(ctx context.Context, show <-chan struct{}) {
	if show == nil {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-show:
			s.do(s.showWindow)
		}
	}
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/agentlink/agentlink/callstore"
	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse"
	"github.com/agentlink/agentlink/localbridge"
)

// parts are the long-running pieces of a running app.
type parts struct {
	link    *finesse.Link
	session *core.Session
	bridge  *localbridge.Server
	calls   *callstore.Store // the outbox of ended calls
	keys    keychain
	sso     *ssoWiring      // single sign-on hooks (sso.go)
	demo    *demoEnv        // nil unless --demo
	show    <-chan struct{} // GUI: a later launch asks for the window
	answers <-chan string   // GUI: a later launch forwards an Answer in a toast
	// hotkeyNotices carries why global hotkeys are off, for the softphone.
	hotkeyNotices chan string
	// signIn shows the app's sign-in prompt for a toolbar's Login (set by
	// the UI once it runs; nil headless). See askSignIn.
	signIn atomic.Pointer[func(agentID, extension string)]
}

// askSignIn is the bridge's SignInPrompt: the UI's prompt, when there is
// a UI.
func (p *parts) askSignIn(agentID, extension string) bool {
	f := p.signIn.Load()
	if f == nil {
		return false
	}
	(*f)(agentID, extension)
	return true
}

// runApp wires core, finesse, localbridge and (unless headless) the UI, and
// runs them until ctx is done or the agent quits.
func runApp(ctx context.Context, cfg Config, opts RunOptions) error {
	log := opts.Logger
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var demo *demoEnv
	if opts.Demo {
		d, err := startDemo(ctx, log)
		if err != nil {
			return fmt.Errorf("starting the demo simulator: %w", err)
		}
		defer d.Close()
		demo = d
	}
	p, err := buildParts(cfg, demo, log)
	if err != nil {
		return err
	}
	defer p.calls.Close() // after the link and the bridge stopped (deferred earlier, runs later)
	p.show, p.answers = opts.Show, opts.NotificationAnswers
	p.hotkeyNotices = make(chan string, 16)
	g, gctx := errgroup.WithContext(ctx)
	if opts.Headless && cfg.UI.GlobalHotkeys {
		log.Info("ui.global_hotkeys is ignored with --headless: the hotkeys need the desktop app")
	}
	if opts.Hotkeys != nil && !opts.Headless {
		notice := func(msg string) {
			select {
			case p.hotkeyNotices <- msg:
			default: // the softphone has enough to show
			}
		}
		opts.Hotkeys.sess.Store(p.session)
		opts.Hotkeys.failed.Store(&notice)
		for _, pr := range cfg.UI.HotkeyProblems {
			log.Warn("global hotkey off: "+pr.Detail, "component", "hotkeys")
			notice(pr.Say)
		}
		g.Go(func() error {
			runHotkeyHelper(gctx, cfg, opts.InstanceEndpoint, log, notice)
			return nil
		})
		g.Go(func() error {
			watchReasonHotkeys(gctx, p.session, cfg.UI.ReasonHotkeys, log.With("component", "hotkeys"), notice)
			return nil
		})
	}
	g.Go(func() error { return p.link.Run(gctx, p.session) })
	g.Go(func() error { return bridgeRun(gctx, p.bridge) })
	g.Go(func() error { appFaults.run(gctx, p.bridge); return nil })
	g.Go(func() error { announce(gctx, p, os.Stdout); return nil })
	g.Go(func() error { autoLogin(gctx, cfg, p, log); return nil })
	if demo != nil {
		g.Go(func() error { return demo.generateCalls(gctx) })
	}
	if opts.Headless {
		return quietCancel(g.Wait())
	}
	uiErr := runUI(gctx, cancel, cfg, p, log)
	cancel()
	return errors.Join(uiErr, quietCancel(g.Wait()))
}

// buildParts creates the link, session and bridge from the configuration.
func buildParts(cfg Config, demo *demoEnv, log *slog.Logger) (*parts, error) {
	fc, err := finesseConfig(cfg, demo, log)
	if err != nil {
		return nil, err
	}
	keys := newKeychain()
	sso := newSSOWiring(cfg.SSO, keys, log)
	if demo == nil {
		fc.SSO = sso.linkConfig()
	}
	link, err := finesse.NewLink(fc)
	if err != nil {
		return nil, fmt.Errorf("finesse settings: %w", err)
	}
	calls := openCallStore(cfg, demo != nil, log)
	sess := core.NewSession(core.Config{Port: link, Logger: log, Outbox: calls, CallLog: calls}) // the Recent calls list survives restarts too
	p := &parts{link: link, session: sess, keys: keys, sso: sso, demo: demo, calls: calls}
	bc, err := bridgeConfig(cfg, p, log)
	if err != nil {
		return nil, err
	}
	p.bridge, err = localbridge.New(bc)
	if err != nil {
		return nil, fmt.Errorf("bridge settings: %w", err)
	}
	return p, nil
}

// bridgeRun runs the bridge and explains the usual reason it cannot start:
// another AgentLink already holds the port (which doubles as a
// single-instance lock).
func bridgeRun(ctx context.Context, b *localbridge.Server) error {
	err := b.Run(ctx)
	var pe *localbridge.PortInUseError
	if errors.As(err, &pe) {
		return err // it names who holds the port
	}
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("the bridge address is in use: is AgentLink already running? (%w)", err)
	}
	return err
}

// announce prints where the toolbar and the monitor are once the bridge
// listens, so that whoever started the app (and the demo) can open them.
func announce(ctx context.Context, p *parts, w io.Writer) {
	select {
	case <-p.bridge.Ready():
	case <-ctx.Done():
		return
	}
	base := "http://" + p.bridge.Addr()
	fmt.Fprintf(w, "AgentLink bridge: %s/v1/bridge\n", "ws://"+p.bridge.Addr())
	fmt.Fprintf(w, "Reference toolbar: %s/toolbar/\n", base)
	if u, err := p.bridge.MonitorURL(); err == nil {
		fmt.Fprintf(w, "Connector Monitor (one-time link): %s\n", u)
	}
	if p.demo != nil {
		p.demo.announce(w)
		fmt.Fprintf(w, "Demo CRM (screen pops and call logging): %s/crm/demo/\n", base)
	}
}

// autoLogin signs the configured agent in at start when the password is
// known (keychain, or the demo agent), so that the session is up even
// before any toolbar connects.
func autoLogin(ctx context.Context, cfg Config, p *parts, log *slog.Logger) {
	agent, ext := cfg.Finesse.AgentID, cfg.Finesse.Extension
	password := ""
	if p.demo != nil {
		agent, ext, password = p.demo.agent.ID, p.demo.agent.Extension, p.demo.agent.Password
	}
	if agent == "" || ext == "" || (p.demo == nil && !cfg.Finesse.hasSideA()) {
		return // the agent signs in from the login form
	}
	if password == "" && ssoLogin(ctx, p, agent, ext, log) {
		return // a stored single sign-on session (sso.go)
	}
	if password == "" {
		pw, err := p.keys.Password(agent)
		if err != nil {
			log.Info("not signing in at start: no saved password", "agent", agent, "reason", err.Error(),
				"hint", "sign in from the softphone or toolbar, or run: agentlink login")
			return
		}
		password = pw
	}
	err := p.session.Login(ctx, core.LoginRequest{AgentID: agent, Password: password, Extension: ext})
	if err != nil && ctx.Err() == nil {
		log.Warn("signing in at start failed", "agent", agent, "err", err)
		return
	}
	if err == nil {
		log.Info("signed in", "agent", agent, "extension", ext)
	}
}

// quietCancel drops the context.Canceled a normal shutdown produces.
func quietCancel(err error) error {
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// openCallStore opens the outbox of ended calls in the config directory
// (calls.db; calls-demo.db for --demo, whose simulated calls must not mix
// with the agent's). A file that cannot be opened degrades to a store in
// memory, with an error in the log: calls are still offered and logged
// while the app runs, only a crash would lose the unlogged ones.
func openCallStore(cfg Config, demo bool, log *slog.Logger) *callstore.Store {
	opts := callstore.Options{Retention: time.Duration(cfg.CallLog.RetentionDays) * 24 * time.Hour,
		Logger: log.With("component", "calllog")}
	name := "calls.db"
	if demo {
		name = "calls-demo.db"
	}
	dir, err := configDir()
	if err == nil {
		err = os.MkdirAll(dir, 0o700)
	}
	if err == nil {
		var s *callstore.Store
		if s, err = callstore.Open(filepath.Join(dir, name), opts); err == nil {
			return s
		}
	}
	log.Error("the call outbox cannot be opened: ended calls are kept in memory only until AgentLink restarts", "err", err)
	appFaults.raise("outbox", "call outbox in memory only", "ended calls are kept in memory until AgentLink restarts: "+err.Error())
	return callstore.Memory(opts)
}

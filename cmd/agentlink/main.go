// Command agentlink is AgentLink, the per-agent desktop app that holds the
// agent's Cisco Finesse session and serves it to CRM toolbars over a
// localhost bridge, with a softphone window and a tray icon.
//
//	agentlink [flags]          run the app (see agentlink -h)
//	agentlink login [flags]    store the agent's password in the OS keychain
//	agentlink doctor [flags]   check everything between the CRM toolbar and Finesse (--json, --check-password)
//	agentlink token            print the bridge token, creating it if missing
//	agentlink version          print the version
//	agentlink agentlink:URL    a Windows toast's button: hand it to the running app (activation.go)
//
// Configuration comes from config.toml in the user config directory, then
// from flags (config.go). main stays thin: run does the work and returns an
// error, which main prints before exiting non-zero.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/agentlink/agentlink/ui/activation"
)

// stdio is the process's standard streams, replaceable in tests.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	code := exitCode(err, os.Stderr) // stderr first: the window waits for the agent
	startupErrorWindow(ctx, os.Args[1:], err)
	stop()
	os.Exit(code)
}

// exitCode prints err and maps it to the exit status: 0 for success and
// -h, 2 for a command line that was not understood, 1 for anything else.
func exitCode(err error, stderr io.Writer) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "agentlink: %v\n", err)
		return 2
	default:
		fmt.Fprintf(stderr, "agentlink: %v\n", err)
		return 1
	}
}

// run parses the command line, loads the configuration, sets up logging
// and runs the command until it ends or ctx is cancelled (SIGINT, SIGTERM).
func run(ctx context.Context, args []string, sio stdio) error {
	if len(args) > 0 && args[0] == "install-config" {
		return runInstallConfig(args[1:], sio) // the installer's; needs no config (installconfig.go)
	}
	if len(args) > 0 && activation.IsActivation(args[0]) {
		return runActivation(ctx, args, sio) // a click in a Windows toast (activation.go)
	}
	cl, err := parseCommandLine(args, sio.err)
	if err != nil {
		return err
	}
	return runCommand(ctx, cl, sio)
}

// startupErrorWindow shows err in a window too when args ran the desktop
// app: started from a desktop menu, nobody reads stderr. Called from main,
// not run, so that tests of run never open windows.
func startupErrorWindow(ctx context.Context, args []string, err error) {
	var ue *usageError
	if err == nil || errors.Is(err, flag.ErrHelp) || errors.As(err, &ue) {
		return
	}
	if cl, perr := parseCommandLine(args, io.Discard); perr == nil && cl.wantsWindow() {
		showStartupError(ctx, err)
	}
}

// runCommand loads the configuration, sets up logging and runs the command.
func runCommand(ctx context.Context, cl commandLine, sio stdio) error {
	if cl.command == "version" {
		return printVersion(sio.out)
	}
	cfg, err := loadConfig(cl.configPath, cl.explicitConfig, cl.flags)
	if err != nil {
		return err
	}
	logger, closeLog, err := newLogger(cfg.Log, sio.err)
	if err != nil {
		return err
	}
	defer closeLog()
	slog.SetDefault(logger)
	for _, w := range cfg.warnings() {
		logger.Warn("insecure setting", "detail", w)
	}
	cl.run.Logger = logger
	return dispatch(ctx, cl, cfg, sio)
}

// dispatch runs the command once configuration and logging are ready.
func dispatch(ctx context.Context, cl commandLine, cfg Config, sio stdio) error {
	switch cl.command {
	case "login":
		if cl.loginSSO {
			return runLoginSSO(ctx, cfg, sio, newKeychain(), cl.run.Logger) // login_sso.go
		}
		return runLogin(ctx, cfg, sio, newKeychain())
	case "token":
		return runToken(sio.out, newKeychain(), cl.run.Logger)
	case "doctor":
		return runDoctor(ctx, cfg, cl.doctor, sio, os.Getenv)
	}
	if !builtWithUI {
		cl.run.Headless = true // a nogui build has no window to ask in
		if from := os.Getenv(envExecedFrom); from != "" {
			cl.run.Logger.Info("headless: running the nogui build", "started_by", from)
		}
	}
	if !cl.run.Demo && cl.run.Headless {
		// Without a UI nobody can type the servers, agent id and
		// extension; with it, the login form asks for them.
		if err := errors.Join(cfg.requireFinesse(), cfg.requireAgent()); err != nil {
			return err
		}
	}
	if builtWithUI && cl.run.Headless {
		execHeadlessSibling(cl.run.Logger) // returns only if it runs here (headless_sibling.go)
	}
	if !cl.run.Headless {
		lock, err := singleInstance(cfg, cl.run.Logger, sio)
		if err != nil || lock == nil {
			return err // nil: the running instance shows its window
		}
		defer lock.Close()
		show := make(chan struct{}, 1)
		answers := make(chan string, 4)
		h := instanceHandler{show: func() {
			select {
			case show <- struct{}{}:
			default: // one pending request is enough
			}
		}, notifyAnswer: func(dialogID string) {
			select {
			case answers <- dialogID:
			default: // the agent clicked more than enough
			}
		}}
		if cfg.UI.GlobalHotkeys {
			cl.run.Hotkeys = &hotkeyTarget{reasons: cfg.UI.ReasonHotkeys}
			cl.run.InstanceEndpoint, h.hotkey = lock.Endpoint(), cl.run.Hotkeys.do
		}
		go lock.Serve(ctx, h)
		cl.run.Show, cl.run.NotificationAnswers = show, answers
		if err := checkBridgePort(cfg.Bridge.Addr); err != nil {
			return err
		}
	}
	// runApp is the lead's wiring in app.go (core session, finesse link,
	// bridge, UI); everything above only prepares its inputs.
	return runApp(ctx, cfg, cl.run)
}

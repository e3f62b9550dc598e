package ui

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"github.com/agentlink/agentlink/core"
)

// commandTimeout bounds every command the UI starts; the session has its own
// (shorter) outcome timeout, this one only guards against a stuck port.
const commandTimeout = 20 * time.Second

// shell holds the app's windows and the state they draw. Fields marked
// "Fyne thread" are only touched inside fyne.Do callbacks or widget
// handlers, which Fyne runs on its one UI thread.
type shell struct {
	app       fyne.App      // read-only after newShell
	sess      sessionAPI    // read-only after newShell
	bridge    Bridge        // may be nil; read-only
	secrets   Secrets       // may be nil; read-only
	defaults  LoginDefaults // Fyne thread; hosts updated once applied
	reconnect func(ctx context.Context, sideA, sideB string) error
	plan      core.DialPlan // read-only after newShell
	applied   servers       // Fyne thread: the hosts the link has (config, then Reconnect)
	// signInSSO runs the browser sign-in; nil: no SSO (login_sso.go).
	signInSSO func(ctx context.Context, agentID string) error
	log       *slog.Logger
	now       func() time.Time
	ctx       context.Context // cancelled when the UI stops; parent of command contexts

	// uiMu serialises UI work. Fyne's real driver runs fyne.Do callbacks on
	// its UI thread already; the test driver runs them inline on the caller,
	// so without this the watch goroutine and a command's completion could
	// touch widgets at once. Handlers Fyne calls itself do not take it.
	uiMu sync.Mutex

	// bg counts the goroutines commands and list loads start, so tests can
	// wait for them; Run does not, since a keychain call cannot be cancelled.
	bg sync.WaitGroup

	m           model             // Fyne thread
	busy        map[string]bool   // Fyne thread: commands in flight, by key
	lists       reasonLists       // Fyne thread
	layouts     layoutState       // Fyne thread: call variable layouts (calldata.go)
	callerVar   string            // read-only: Config.CallerNameVariable
	loggingOut  bool              // Fyne thread: the agent's own Logout is in flight
	errText     string            // Fyne thread: last command failure, shown in the window
	trayKey     string            // Fyne thread: what the tray shows now, to skip no-op refreshes
	quitAsk     *quitPrompt       // Fyne thread: the last "Quit AgentLink?" prompt, for tests
	endAsk      func(yes bool)    // Fyne thread: answers the open "End the customer's call?" prompt
	quitting    atomic.Bool       // set once the app is quitting: the tray is going away
	raiseOnRing bool              // read-only: bring the window forward when a call rings
	recording   bool              // read-only: offer Record on calls (recording.go)
	raised      int               // Fyne thread: times the window was brought forward (tests)
	setTooltip  func(string)      // read-only: sets the tray tooltip; nil in tests
	notice      string            // Fyne thread: a missed call, shown until the next call rings
	notifier    deskNotifier      // read-only after boot: where call notifications go (callalert.go)
	alerts      *alerter          // set by boot: shows and withdraws call notifications
	ringShown   map[string]string // Fyne thread: ringing notification shown, by dialog id (callalert.go)
	notes       []string          // Fyne thread: messages about the app itself (notes.go)
	hotkeyHelp  []HotkeyHelp      // read-only: Config.GlobalHotkeys, for the help
	helpShown   string            // Fyne thread: the text the help showed last (tests)

	// Hiding to the tray (release.go).
	hidden   bool // Fyne thread: hidden to the tray by its close button
	hideGen  int  // Fyne thread: counts hides, so a late release of an earlier one is skipped
	released int  // Fyne thread: times a hidden window was released (tests)
	trayUp   bool // Fyne thread: the tray icon exists (Run); its click shows the window
	// releaseDelay is how long a hidden window waits to be released;
	// negative: never. Read-only after newShell but in tests.
	releaseDelay time.Duration

	outage outageAlarm // Fyne thread

	win   fyne.Window // Fyne thread
	phone *softphone  // Fyne thread
	login *loginForm  // Fyne thread

	// changed, when set (tests), is called on the Fyne thread after every
	// refresh.
	changed func()
}

// reasonLists are the lists fetched once per sign-in.
type reasonLists struct {
	agentID  string // whose lists these are; "" when not loaded
	notReady []core.ReasonCode
	logout   []core.ReasonCode
	wrapUp   []core.WrapUpReason
}

func newShell(ctx context.Context, app fyne.App, sess sessionAPI, cfg Config) *shell {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	var prefs fyne.Preferences
	if app != nil {
		prefs = app.Preferences()
	}
	s := &shell{
		app: app, sess: sess, bridge: cfg.Bridge, secrets: cfg.Secrets,
		defaults:  loginDefaults(cfg.Defaults, prefs, cfg.Reconnect != nil),
		applied:   servers{cfg.Defaults.SideA, cfg.Defaults.SideB},
		reconnect: cfg.Reconnect, log: log, plan: cfg.DialPlan, signInSSO: cfg.SignInSSO,
		now: time.Now, ctx: ctx, busy: map[string]bool{}, raiseOnRing: cfg.RaiseOnRing,
		recording: cfg.Recording, releaseDelay: releaseDelay,
		callerVar: cfg.CallerNameVariable, ringShown: map[string]string{},
		hotkeyHelp: cfg.GlobalHotkeys,
	}
	s.notifier = fyneNotifier{s}
	return s
}

// do runs f on the Fyne thread, serialised with all other UI work.
func (s *shell) do(f func()) {
	fyne.Do(func() {
		s.uiMu.Lock()
		defer s.uiMu.Unlock()
		f()
	})
}

// command runs fn off the Fyne thread with a timeout. While it runs, key is
// busy (the buttons bound to it are disabled); when it ends, a failure is
// shown as "what failed: why" and done, if set, runs on the Fyne thread.
// Call it on the Fyne thread.
func (s *shell) command(key, what string, fn func(ctx context.Context) error, done func(err error)) {
	if s.busy[key] {
		return
	}
	s.busy[key] = true
	s.errText = ""
	s.refresh()
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		ctx, cancel := context.WithTimeout(s.ctx, commandTimeout)
		defer cancel()
		err := fn(ctx)
		if err != nil {
			s.log.Warn("ui command failed", "command", what, "err", err)
		}
		s.do(func() {
			delete(s.busy, key)
			s.errText = commandMessage(what, err)
			if done != nil {
				done(err)
			}
			s.refresh()
		})
	}()
}

// execute is command for one session command.
func (s *shell) execute(key, what string, cmd core.Command) {
	s.command(key, what, func(ctx context.Context) error { return s.sess.Execute(ctx, cmd) }, nil)
}

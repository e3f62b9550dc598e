package ui

import (
	"context"
	"errors"
	"log/slog"

	"github.com/agentlink/agentlink/core"
)

// Bridge is what the UI needs of the localhost CRM bridge. cmd/agentlink
// adapts localbridge.Server to it.
type Bridge interface {
	// Clients is the number of CRM toolbars connected now.
	Clients() int
	// PendingOrigins lists CRM origins waiting for the agent's consent.
	PendingOrigins() []string
	AllowOrigin(origin string) error
	DenyOrigin(origin string) error
	// Changes signals (coalesced) that Clients or PendingOrigins changed.
	Changes() <-chan struct{}
	// MonitorURL is the Connector Monitor page, with its session secret.
	MonitorURL() (string, error)
}

// CallLog is implemented by a [Bridge] whose app keeps an outbox of ended
// calls: the softphone then shows the calls no CRM has logged yet.
// Changes signals when the list changes.
type CallLog interface {
	Unlogged() []core.CallRecord
}

// Secrets is the OS keychain, keyed by agent id.
type Secrets interface {
	// Password returns the stored password, or an error wrapping
	// [ErrNoSecret] or [ErrNoKeychain] (any other error is shown as is).
	Password(agentID string) (string, error)
	SetPassword(agentID, password string) error
	// Available is nil when an OS keychain can be used, otherwise why not.
	Available() error
}

// Errors a [Secrets] implementation may wrap.
var (
	ErrNoSecret   = errors.New("no password stored for this agent")
	ErrNoKeychain = errors.New("no OS keychain available")
)

// LoginDefaults pre-fill the login form.
type LoginDefaults struct {
	SideA, SideB, AgentID, Extension string
	// The folded Phone section (login_phone.go): the device of a
	// multiline extension, and mobile agent sign-in.
	DeviceID, MobileMode, DialNumber string
}

// Config configures [Run]. Session is required; everything else is optional.
type Config struct {
	Session *core.Session
	Bridge  Bridge  // nil: no bridge, no toolbar count or consent banner
	Secrets Secrets // nil: passwords are never remembered
	// Defaults pre-fill the login form.
	Defaults LoginDefaults
	// Reconnect applies new Finesse hosts typed in the login form; nil makes
	// the host fields read-only. A [*HostError] it returns is shown next to
	// that side's field. The hosts of a successful sign-in are remembered in
	// the app's preferences and pre-fill the form when Defaults has no SideA.
	Reconnect   func(ctx context.Context, sideA, sideB string) error
	Logger      *slog.Logger // default: slog.Default()
	StartHidden bool         // start in the tray with no window shown
	// DialPlan normalises what the agent types or pastes into the number
	// field ([core.DialPlan]); the zero value only cleans it up.
	DialPlan    core.DialPlan
	RaiseOnRing bool // bring the window forward when a call starts ringing
	// Recording offers Record (START_RECORDING, UCCX) on the agent's
	// active calls (config finesse.recording).
	Recording bool
	// CallerNameVariable is the call variable whose value is the customer's
	// name, the call card's title; "" uses the call variables layout's
	// header entry (what the Finesse desktop shows in the call header).
	CallerNameVariable string
	// Show, when set, brings the window forward (from the tray too) each
	// time it receives: a second launch of AgentLink asks for this.
	Show <-chan struct{}
	// NotificationAnswers carries the dialog ids of Answer clicks in a
	// Windows toast, which come back through a protocol launch of
	// agentlink.exe and the single-instance channel. Each answers that
	// call only if its toast is one this shell showed and it still rings;
	// elsewhere (D-Bus reports clicks itself) they are logged and ignored.
	NotificationAnswers <-chan string
	// SignInSSO, when set, adds "Sign in with SSO" to the login form: it
	// runs the single sign-on in the system browser for the agent; the
	// form then signs in with core.Command.SSO (login_sso.go).
	SignInSSO func(ctx context.Context, agentID string) error
	// Notices are messages about the app itself for the agent (global
	// hotkeys that are off, a hotkey that did nothing): each is shown at
	// the top of the window until the agent dismisses it (notes.go).
	Notices <-chan string
	// GlobalHotkeys are the global hotkeys as configured, listed in the
	// keyboard help beside the window's own shortcuts; nil when off.
	GlobalHotkeys []HotkeyHelp
}

// HotkeyHelp is one global hotkey for the help: Keys as the agent reads
// them ("Ctrl+Alt+A") and what it Does.
type HotkeyHelp struct {
	Keys, Does string
}

// HostError says a typed Finesse host cannot be used; Reconnect returns it
// so that the login form shows it next to the field.
type HostError struct {
	Side string // "A" or "B"
	Err  error  // the problem, in words for the agent
}

func (e *HostError) Error() string { return e.Err.Error() }
func (e *HostError) Unwrap() error { return e.Err }

// sessionAPI is the part of *core.Session the UI uses; tests and Run adapt
// a real session to it (session.go).
type sessionAPI interface {
	Watch(opts core.WatchOptions) watcher
	Execute(ctx context.Context, cmd core.Command) error
	ReasonCodes(ctx context.Context, c core.ReasonCategory) ([]core.ReasonCode, error)
	WrapUpReasons(ctx context.Context) ([]core.WrapUpReason, error)
}

// watcher is the part of *core.Watcher the UI uses.
type watcher interface {
	Snapshot() core.Snapshot
	Resumed() bool
	Events() <-chan core.Event
	Err() error
	Close()
}

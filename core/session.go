package core

import (
	"context"
	"log/slog"
	"time"
)

// Config configures a [Session]. Port is required; the rest have defaults.
type Config struct {
	Port           Port
	Logger         *slog.Logger     // default: slog.Default()
	Now            func() time.Time // default: time.Now
	CommandTimeout time.Duration    // how long to wait for a command's outcome; default 10s
	RingSize       int              // events kept for Since replay; default 1024
	WatchBuffer    int              // default per-watcher buffer; default 256
}

// LoginRequest is what signing in needs.
type LoginRequest struct {
	AgentID   string
	Password  string
	Extension string
}

// The Session API. The bodies live in session_impl.go and watch.go.
//
//	func NewSession(cfg Config) *Session
//	func (s *Session) Apply(u Update)                                  // Sink
//	func (s *Session) Execute(ctx context.Context, cmd Command) error  // any command
//	func (s *Session) Login(ctx context.Context, r LoginRequest) error
//	func (s *Session) Logout(ctx context.Context, reasonCodeID string) error
//	func (s *Session) SetState(ctx context.Context, st AgentState, reasonCodeID string) error
//	func (s *Session) MakeCall(ctx context.Context, number string) error
//	func (s *Session) Answer/Hold/Retrieve/Release(ctx context.Context, dialogID string) error
//	func (s *Session) Consult(ctx context.Context, dialogID, number string) error
//	func (s *Session) Transfer/Conference(ctx context.Context, dialogID string) error
//	func (s *Session) SingleStepTransfer(ctx context.Context, dialogID, number string) error
//	func (s *Session) SendDTMF(ctx context.Context, dialogID, digits string) error
//	func (s *Session) UpdateCallData(ctx context.Context, dialogID string, vars []CallVariable) error
//	func (s *Session) SetWrapUp(ctx context.Context, dialogID, reason string) error
//	func (s *Session) ReasonCodes(ctx context.Context, c ReasonCategory) ([]ReasonCode, error)
//	func (s *Session) WrapUpReasons(ctx context.Context) ([]WrapUpReason, error)
//	func (s *Session) PhoneBook(ctx context.Context) ([]Contact, error)
//	func (s *Session) Snapshot() Snapshot
//	func (s *Session) Watch(opts WatchOptions) *Watcher
//
// An empty dialogID picks the obvious dialog: the alerting one for Answer,
// the active one for Hold, Release, Consult, SingleStepTransfer, SendDTMF, the
// held one for Retrieve, Transfer, Conference, and the one in wrap-up (or the
// most recent) for SetWrapUp. If there is none, ErrNoSuchDialog.
//
//	func (w *Watcher) Snapshot() Snapshot   // the state the watcher starts from
//	func (w *Watcher) Resumed() bool        // true if Since replay worked
//	func (w *Watcher) Events() <-chan Event // replayed events first; closed at the end
//	func (w *Watcher) Err() error           // why Events closed: ErrSlowWatcher, or nil after Close
//	func (w *Watcher) Close()
var _ context.Context // keeps the import while the API is described above

package core

import (
	"log/slog"
	"slices"
	"sync"
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
	// DTMFQuiet is how long SendDTMF waits for an asynchronous error after
	// Finesse accepted it; none in that time is success, because a
	// successful SEND_DTMF changes nothing Finesse would notify. Default 1.5s.
	DTMFQuiet time.Duration
	// Outbox keeps ended calls until a CRM logged them (outbox.go); nil:
	// none, ended calls are only published.
	Outbox Outbox
	// CallLog keeps ended calls for the Recent calls list (recent.go);
	// default: a MemoryCallLog.
	CallLog CallLog
}

// Defaults for the zero fields of [Config].
const (
	DefaultCommandTimeout = 10 * time.Second
	DefaultRingSize       = 1024
	DefaultWatchBuffer    = 256
	DefaultDTMFQuiet      = 1500 * time.Millisecond
)

// LoginRequest is what signing in needs.
type LoginRequest struct {
	AgentID   string
	Password  string
	Extension string
	// Optional (phone.go): mobile agent mode and dial number, and the
	// device of a multiline extension.
	MobileMode, DialNumber, DeviceID string
	SSO                              bool // sign in with the port's single sign-on session; no password
}

// The Session API. The bodies live in apply.go, dispatch.go, commands.go,
// lists.go and watch.go.
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
//	func (s *Session) Directory(ctx context.Context) ([]DirectoryEntry, error) // directory.go
//	func (s *Session) RecentNumbers() []string
//	func (s *Session) Queues() []Queue                                          // queue.go
//	func (s *Session) TeamMessages() []TeamMessage
//	func (s *Session) SetQueues/ApplyQueue/RemoveQueue/ApplyTeamMessage(…)      // QueueSink, for the port
//	func (s *Session) CallLayouts(ctx context.Context) (CallLayouts, error) // layout.go
//	func (s *Session) RecentCalls() []RecentCall                             // recent.go
//	func (s *Session) Snapshot() Snapshot
//	func (s *Session) Watch(opts WatchOptions) *Watcher
//
// An empty dialogID picks the obvious dialog: the alerting one for Answer,
// the active one for Hold, Release, Consult, SingleStepTransfer, SendDTMF, the
// held one for Retrieve, Transfer, Conference, and the one in wrap-up (or the
// most recent) for SetWrapUp. If there is none, ErrNoSuchDialog, except that
// a wrap-up reason for a call Finesse has already removed while the agent is
// in wrap-up is recorded with that call (EventWrapUp; see wrapup.go). A Login
// for another agent while one is signed in is refused (ErrOtherAgent).
//
//	func (w *Watcher) Snapshot() Snapshot   // the state the watcher starts from
//	func (w *Watcher) Resumed() bool        // true if Since replay worked
//	func (w *Watcher) Events() <-chan Event // replayed events first; closed at the end
//	func (w *Watcher) Err() error           // why Events closed: ErrSlowWatcher, or nil after Close
//	func (w *Watcher) Close()

// Session is one agent's live Finesse session: the model, the command
// dispatcher and the watchers. It starts no goroutine of its own; its methods
// are safe for concurrent use.
type Session struct {
	port    Port             // non-nil; read-only after NewSession
	log     *slog.Logger     // non-nil; read-only after NewSession
	now     func() time.Time // non-nil; read-only after NewSession
	timeout time.Duration    // read-only after NewSession
	wbuf    int              // default watcher buffer; read-only after NewSession
	quiet   time.Duration    // Config.DTMFQuiet; read-only after NewSession

	// mu guards every field below. It is never held while calling the port
	// or while blocking on a channel, so Apply never waits on I/O.
	mu       sync.Mutex
	seq      uint64 // seq of the last published event
	epoch    string // random per session: names its seq stream (Snapshot.Epoch); read-only
	ring     ring   // the last RingSize events
	sys      System
	agent    Agent
	loginExt string         // the extension of the last Login command
	dialogs  []*dialogEntry // active dialogs, ordered by arrival
	media    []Media        // non-voice MRDs (media.go)
	ended    []CallSummary  // the last few ended calls, for a late wrap-up reason (wrapup.go)
	watchers map[*Watcher]struct{}
	pending  map[string]*pending // by request id
	// unconfirmed are commands that failed without a known outcome,
	// watched until an update settles them (unconfirmed.go).
	unconfirmed map[string]*unconfirmedCmd
	lists       listCache

	outbox  Outbox        // Config.Outbox; may be nil; read-only after NewSession
	away    []CallSummary // calls live when an earlier run stopped, until the first resync
	carried []CallSummary // of those, the ones Finesse still lists, until their entry exists
	board   board         // queues and team messages (queue.go)
	recent  []string      // numbers the agent dialled, newest first (directory.go)
	calls   CallLog       // read-only after NewSession; has its own lock
}

// NewSession returns a session on cfg.Port. It panics if cfg.Port is nil,
// which is a wiring mistake. The session starts signed out, with the
// system OUT_OF_SERVICE until the port reports otherwise.
func NewSession(cfg Config) *Session {
	if cfg.Port == nil {
		panic("core: NewSession needs a Port")
	}
	s := &Session{
		epoch:    newEpoch(),
		port:     cfg.Port,
		log:      cfg.Logger,
		now:      cfg.Now,
		timeout:  cfg.CommandTimeout,
		wbuf:     cfg.WatchBuffer,
		quiet:    cfg.DTMFQuiet,
		sys:      System{Status: OutOfService, Reason: "not connected to Finesse yet"},
		watchers: make(map[*Watcher]struct{}),
		pending:  make(map[string]*pending),
		outbox:   cfg.Outbox,

		unconfirmed: make(map[string]*unconfirmedCmd),
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.timeout <= 0 {
		s.timeout = DefaultCommandTimeout
	}
	if s.quiet <= 0 {
		s.quiet = DefaultDTMFQuiet
	}
	s.calls = cfg.CallLog
	if s.calls == nil {
		s.calls = &MemoryCallLog{}
	}
	if s.wbuf <= 0 {
		s.wbuf = DefaultWatchBuffer
	}
	size := cfg.RingSize
	if size <= 0 {
		size = DefaultRingSize
	}
	s.ring = newRing(size)
	s.recoverOutbox()
	return s
}

var _ Sink = (*Session)(nil)

// Snapshot returns the current state. The dialogs are copies the caller may
// keep and change.
func (s *Session) Snapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snapshotLocked()
}

func (s *Session) snapshotLocked() Snapshot {
	snap := Snapshot{Seq: s.seq, Epoch: s.epoch, System: s.sys, Agent: s.agent, Media: slices.Clone(s.media)}
	if len(s.dialogs) > 0 {
		snap.Dialogs = make([]Dialog, len(s.dialogs))
		for i, e := range s.dialogs {
			snap.Dialogs[i] = e.public()
		}
	}
	s.boardSnapshotLocked(&snap)
	return snap
}

// extensionLocked is the agent's extension: what Finesse reports, or the
// one the agent signed in with while Finesse has not reported it yet.
func (s *Session) extensionLocked() string {
	if s.agent.Extension != "" {
		return s.agent.Extension
	}
	return s.loginExt
}

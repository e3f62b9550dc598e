// Package core is AgentLink's domain: one agent's live Finesse session.
//
// It owns the agent's state, the active dialogs and the link status, executes
// commands through a small [Port] that the finesse package implements, and
// publishes every change to whoever watches (bridge clients, the softphone,
// the tray). It imports only the standard library; transports and the UI
// import core, never the reverse (core/deps_test.go enforces this).
//
// # Lifecycle
//
// cmd/agentlink builds a [Port] (finesse.Link), a [Session] on top of it, and
// runs the link with the session as its [Sink]. The link feeds every Finesse
// notification, and every resync after a reconnect or failover, into
// [Session.Apply]. Commands go the other way: [Session.Execute] sends a
// [Command] through the port and waits for its real outcome.
//
// # Command outcomes
//
// A command succeeds when the notification it caused arrives (matched by
// request id, or by the state it asked for when Finesse sends no id), fails
// with the Finesse error when a synchronous or asynchronous error arrives, and
// otherwise fails with [ErrCommandTimeout]. SendDTMF is the exception: a
// successful SEND_DTMF changes nothing Finesse notifies, so no error within
// [Config.DTMFQuiet] after Finesse accepted it is success.
//
// A wrap-up reason for a call Finesse already removed while the agent is in
// wrap-up (some deployments DELETE the dialog at call end) cannot reach
// Finesse; it is recorded with the ended call and published as
// [EventWrapUp], without sending anything. A Login as another agent while
// one is signed in fails with [ErrOtherAgent] and sends nothing.
//
// Before sending, [Session.Execute] checks what it can locally: required
// fields ([ErrInvalidCommand], naming the field), that the agent is signed
// in ([ErrNotLoggedIn]), that the dialog exists ([ErrNoSuchDialog]) and that
// Finesse offers the action on it now ([ErrActionNotAllowed], listing what
// is allowed), because Finesse would refuse those only asynchronously. A
// refused command sends nothing.
//
// The states that confirm a command without a request id: Login, the agent
// signed in; Logout, Ready and NotReady, the agent in (or pending) that state
// (NotReady: also WORK; with the requested reason code when Finesse reports
// one); Answer and Retrieve, the agent's participant ACTIVE; Hold, HELD;
// Release, the dialog removed or the agent's participant DROPPED; MakeCall,
// a new dialog that is not ringing for the agent; Consult, a new dialog
// associated with the original; Transfer and Conference, the original dialog
// removed or changed; SingleStepTransfer, the dialog removed or updated;
// the others, any update of their dialog. An update carrying another
// request's id confirms only the commands confirmed by a state (Login
// through Release above). An asynchronous error without a request id fails
// the commands waiting on its dialog, and Answer, Hold, Retrieve, Consult
// and SendDTMF fail with [ErrNoSuchDialog] when their call ends first.
//
// # Model
//
// The dialogs are kept in order of arrival. Each carries, in
// [Dialog.Actions] and [Dialog.AgentState], the view of the participant
// whose address is the agent's extension. An update that changes nothing
// publishes nothing. A resync ([UpdateResync]) replaces the model and
// publishes only the differences; a dialog it no longer lists ends with a
// summary like any other. [CallSummary.Answered] is the first time the
// agent's participant was seen ACTIVE; the times come from [Config.Now].
//
// Reason codes and wrap-up reasons are cached for the current login and
// dropped on logout, on a new Login and on every resync.
//
// Queue statistics and supervisor team messages come from the port through
// [QueueSink] (the session implements it) and are published as
// [EventQueues] (the whole list each time) and [EventTeamMessage]; the
// snapshot carries the queues and the messages not yet expired. The
// numbers of accepted MakeCall, Consult and SingleStepTransfer commands are
// the recent numbers of [Session.Directory]. Signing out forgets all three.
//
// # Watch
//
// [Session.Watch] delivers a snapshot first and then every change as an
// [Event] numbered with a sequence number. Each watcher has a bounded buffer;
// one that falls behind is cut off with [ErrSlowWatcher] and never blocks the
// session or other watchers. A watcher started with a Since sequence number
// replays what it missed from a bounded ring, or is told it needs a fresh
// snapshot.
//
// Sequence numbers start at 1 and have no gaps; every event (error events
// too) is numbered and kept in a ring of [Config.RingSize] events. Events
// are shared by all watchers and the ring: treat them as read-only.
//
// # Concurrency
//
// Every method is safe for concurrent use. The session starts no goroutine;
// its one lock is held only for in-memory work, never across a port call or
// a channel wait, so [Session.Apply] never blocks on the network. Execute
// waits on its own caller's goroutine. The one exception is
// [Config.Outbox]: a call's record is committed under the lock before its
// DialogEnded (or WrapUp) is published, one small transaction, because
// publishing first is what could lose the call in a crash.
//
// # Outbox
//
// With [Config.Outbox] the session records each call as it starts and is
// answered (so one that ends while the app is down can be reported after a
// restart, marked [CallSummary.Away], on the first resync after sign-in),
// commits it as ended before DialogEnded (pending while the agent may
// still choose a wrap-up reason: on a call, or in wrap-up), adds a reason
// chosen after Finesse removed the call, and settles the pending ones when
// the agent's state leaves calls and wrap-up.
package core

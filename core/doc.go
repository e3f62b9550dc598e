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
// otherwise fails with [ErrCommandTimeout].
//
// # Watch
//
// [Session.Watch] delivers a snapshot first and then every change as an
// [Event] numbered with a sequence number. Each watcher has a bounded buffer;
// one that falls behind is cut off with [ErrSlowWatcher] and never blocks the
// session or other watchers. A watcher started with a Since sequence number
// replays what it missed from a bounded ring, or is told it needs a fresh
// snapshot.
package core

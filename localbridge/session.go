package localbridge

import (
	"context"

	"github.com/agentlink/agentlink/core"
)

// session is what the bridge needs of a [core.Session]. It exists so the
// bridge's own tests can substitute a session that misbehaves on purpose;
// production code always wraps a *core.Session.
type session interface {
	Snapshot() core.Snapshot
	Execute(ctx context.Context, cmd core.Command) error
	ReasonCodes(ctx context.Context, c core.ReasonCategory) ([]core.ReasonCode, error)
	WrapUpReasons(ctx context.Context) ([]core.WrapUpReason, error)
	PhoneBook(ctx context.Context) ([]core.Contact, error)
	watch(opts core.WatchOptions) watcher
}

// watcher is the part of [core.Watcher] the bridge uses.
type watcher interface {
	Snapshot() core.Snapshot
	Resumed() bool
	Events() <-chan core.Event
	Err() error
	Close()
}

// coreSession adapts *core.Session to session.
type coreSession struct{ *core.Session }

func (c coreSession) watch(opts core.WatchOptions) watcher { return c.Session.Watch(opts) }

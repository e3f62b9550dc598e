package ui

import (
	"context"

	"github.com/agentlink/agentlink/core"
)

// coreSession adapts *core.Session to sessionAPI; only Watch differs, since
// it returns the concrete *core.Watcher.
type coreSession struct{ s *core.Session }

func (c coreSession) Watch(opts core.WatchOptions) watcher { return c.s.Watch(opts) }

func (c coreSession) Execute(ctx context.Context, cmd core.Command) error {
	return c.s.Execute(ctx, cmd)
}

func (c coreSession) ReasonCodes(ctx context.Context, cat core.ReasonCategory) ([]core.ReasonCode, error) {
	return c.s.ReasonCodes(ctx, cat)
}

func (c coreSession) WrapUpReasons(ctx context.Context) ([]core.WrapUpReason, error) {
	return c.s.WrapUpReasons(ctx)
}

func (c coreSession) Devices(ctx context.Context, q core.DeviceQuery) ([]core.Device, error) {
	return c.s.Devices(ctx, q)
}

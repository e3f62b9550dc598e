package finesse

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptrace"
	"sync/atomic"

	"github.com/agentlink/agentlink/core"
)

// Whether a failed command reached Finesse (core.ErrNotDelivered). A
// command reaches Finesse only as REST requests; net/http's trace says
// whether any of them was written to the connection. A transport failure
// before that (no side, DNS, refused, TLS) is "not delivered": nothing
// happened and a retry is safe. After it (a reset or a timeout waiting
// for the answer) Finesse may have acted, and core reconciles.

// withWriteTrace returns ctx traced for written requests, and a report of
// whether one was.
func withWriteTrace(ctx context.Context) (context.Context, func() bool) {
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(info httptrace.WroteRequestInfo) {
		if info.Err == nil {
			wrote.Store(true)
		}
	}}
	return httptrace.WithClientTrace(ctx, trace), wrote.Load
}

// markNotDelivered adds core.ErrNotDelivered to a transport failure of a
// command none of whose requests was written.
func markNotDelivered(err error, wrote bool) error {
	if err == nil || wrote || !errors.Is(err, core.ErrUnreachable) || errors.Is(err, core.ErrNotDelivered) {
		return err
	}
	return fmt.Errorf("%w: %w", core.ErrNotDelivered, err)
}

package main

import (
	"context"
	"sync"
)

// faultSink is where the app's own faults go: the bridge's Connector
// Monitor (localbridge.Server.RaiseFault/ClearFault).
type faultSink interface {
	RaiseFault(key, kind, detail string)
	ClearFault(key string)
}

// appFaults carries faults the app meets outside the bridge (the log file,
// the call outbox) to the Connector Monitor's Faults panel. The logger
// exists before the bridge, so faults queue here until the bridge runs.
var appFaults = &faultRelay{wake: make(chan struct{}, 1)}

// faultOps bounds the queue: faults change state rarely, and a flapping
// disk must not hold memory.
const faultOps = 64

type faultOp struct {
	key, kind, detail string
	open              bool
}

// faultRelay queues fault changes in order and hands them to the sink on
// its own goroutine: a fault can be raised from inside a log write, which
// may run under the bridge's locks.
type faultRelay struct {
	mu   sync.Mutex
	ops  []faultOp
	wake chan struct{} // cap 1
}

func (r *faultRelay) raise(key, kind, detail string) { r.push(faultOp{key, kind, detail, true}) }
func (r *faultRelay) clear(key string)               { r.push(faultOp{key: key}) }

func (r *faultRelay) push(op faultOp) {
	r.mu.Lock()
	if len(r.ops) < faultOps {
		r.ops = append(r.ops, op)
	}
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// run delivers queued changes to sink until ctx ends.
func (r *faultRelay) run(ctx context.Context, sink faultSink) {
	for {
		r.mu.Lock()
		ops := r.ops
		r.ops = nil
		r.mu.Unlock()
		for _, op := range ops {
			if op.open {
				sink.RaiseFault(op.key, op.kind, op.detail)
			} else {
				sink.ClearFault(op.key)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		}
	}
}

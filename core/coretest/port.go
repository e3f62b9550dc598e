package coretest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/agentlink/agentlink/core"
)

// Port is a fake [core.Port]. Each method calls its function field when set;
// otherwise Send accepts everything, the fetches return the zero values and
// the lists return nil. Set the fields before the port is used. Port is
// safe for concurrent use.
type Port struct {
	SendFunc          func(ctx context.Context, cmd core.Command) error
	FetchAgentFunc    func(ctx context.Context) (core.Agent, error)
	FetchDialogsFunc  func(ctx context.Context) ([]core.Dialog, error)
	ReasonCodesFunc   func(ctx context.Context, c core.ReasonCategory) ([]core.ReasonCode, error)
	WrapUpReasonsFunc func(ctx context.Context) ([]core.WrapUpReason, error)
	PhoneBookFunc     func(ctx context.Context) ([]core.Contact, error)

	mu    sync.Mutex     // guards sent, calls and wake
	sent  []core.Command // every command Send received, in order
	calls map[string]int // calls per method name
	wake  chan struct{}  // closed and replaced on every Send
}

var _ core.Port = (*Port)(nil)

// Send records cmd and calls SendFunc.
func (p *Port) Send(ctx context.Context, cmd core.Command) error {
	p.mu.Lock()
	p.sent = append(p.sent, cmd)
	p.countLocked("Send")
	if p.wake != nil {
		close(p.wake)
		p.wake = nil
	}
	p.mu.Unlock()
	if p.SendFunc == nil {
		return nil
	}
	return p.SendFunc(ctx, cmd)
}

// FetchAgent calls FetchAgentFunc.
func (p *Port) FetchAgent(ctx context.Context) (core.Agent, error) {
	p.count("FetchAgent")
	if p.FetchAgentFunc == nil {
		return core.Agent{}, nil
	}
	return p.FetchAgentFunc(ctx)
}

// FetchDialogs calls FetchDialogsFunc.
func (p *Port) FetchDialogs(ctx context.Context) ([]core.Dialog, error) {
	p.count("FetchDialogs")
	if p.FetchDialogsFunc == nil {
		return nil, nil
	}
	return p.FetchDialogsFunc(ctx)
}

// ReasonCodes calls ReasonCodesFunc.
func (p *Port) ReasonCodes(ctx context.Context, c core.ReasonCategory) ([]core.ReasonCode, error) {
	p.count("ReasonCodes")
	if p.ReasonCodesFunc == nil {
		return nil, nil
	}
	return p.ReasonCodesFunc(ctx, c)
}

// WrapUpReasons calls WrapUpReasonsFunc.
func (p *Port) WrapUpReasons(ctx context.Context) ([]core.WrapUpReason, error) {
	p.count("WrapUpReasons")
	if p.WrapUpReasonsFunc == nil {
		return nil, nil
	}
	return p.WrapUpReasonsFunc(ctx)
}

// PhoneBook calls PhoneBookFunc.
func (p *Port) PhoneBook(ctx context.Context) ([]core.Contact, error) {
	p.count("PhoneBook")
	if p.PhoneBookFunc == nil {
		return nil, nil
	}
	return p.PhoneBookFunc(ctx)
}

func (p *Port) count(method string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.countLocked(method)
}

func (p *Port) countLocked(method string) {
	if p.calls == nil {
		p.calls = make(map[string]int)
	}
	p.calls[method]++
}

// Calls returns how many times the named method ("Send", "ReasonCodes",
// ...) was called.
func (p *Port) Calls(method string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[method]
}

// Sent returns a copy of the commands sent so far, in order.
func (p *Port) Sent() []core.Command {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.sent)
}

// WaitSent waits until at least n commands were sent and returns them, or
// fails after timeout. It is for tests that send from another goroutine.
func (p *Port) WaitSent(n int, timeout time.Duration) ([]core.Command, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		if len(p.sent) >= n {
			sent := slices.Clone(p.sent)
			p.mu.Unlock()
			return sent, nil
		}
		if p.wake == nil {
			p.wake = make(chan struct{})
		}
		wake, got := p.wake, len(p.sent)
		p.mu.Unlock()
		select {
		case <-wake:
		case <-deadline.C:
			return nil, fmt.Errorf("coretest: %d of %d commands sent after %v", got, n, timeout)
		}
	}
}

package localbridge

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// Issue 15, item 4, at the bridge: a failed command says whether it
// reached Finesse, and an unconfirmed one is settled by a CommandOutcome
// event naming its requestId.

func TestNotDeliveredSaysSo(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.connect(t)
	c.mustOK("Hello", map[string]any{})
	c.mustOK("Connect", nil)
	c.login()
	h.port.SendFunc = func(context.Context, core.Command) error {
		return fmt.Errorf("%w: %w: dial tcp 10.0.0.1:8445: connection refused", core.ErrNotDelivered, core.ErrUnreachable)
	}
	f := c.call("MakeCall", map[string]any{"number": "5002"})
	if f.OK || f.Error.Code != CodeFinesseUnreachable || f.Error.Delivery != "not_delivered" || f.Error.RequestID != "" {
		t.Fatalf("MakeCall that never left: %+v, want finesse_unreachable, delivery not_delivered", f.Error)
	}
}

func TestUnconfirmedThenOutcome(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(_ *Config, s *core.Config) { s.CommandTimeout = 200 * time.Millisecond })
	c := h.connect(t)
	c.mustOK("Hello", map[string]any{})
	c.mustOK("Connect", nil)
	c.login()
	sentCh := make(chan core.Command, 1)
	h.port.SendFunc = func(_ context.Context, cmd core.Command) error { sentCh <- cmd; return nil } // 202, no notification
	f := c.call("MakeCall", map[string]any{"number": "5002"})
	sent := <-sentCh
	if f.OK || f.Error.Code != CodeTimeout || f.Error.Delivery != "unconfirmed" || f.Error.RequestID != sent.RequestID {
		t.Fatalf("MakeCall with no confirmation: %+v, want timeout, unconfirmed, requestId %s", f.Error, sent.RequestID)
	}
	// The outbound call shows up late: the CRM learns the dial happened.
	h.sess.Apply(coretest.DialogUpdate(coretest.Dialog("d7", "5001", "5002", core.PartInitiating)))
	ev := c.waitEvent("CommandOutcome")
	var o wireCommandOutcome
	if err := json.Unmarshal(ev.Data, &o); err != nil {
		t.Fatal(err)
	}
	if o.RequestID != sent.RequestID || o.Outcome != "applied" || o.Command != "MakeCall" {
		t.Errorf("CommandOutcome = %+v, want MakeCall %s applied", o, sent.RequestID)
	}
}

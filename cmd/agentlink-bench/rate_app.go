package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/localbridge"
)

// Offered rates of the app-only stage of figure 3, each held for
// appRateStep. The figure is the highest rate every client kept up with.
var appRates = []int{500, 1000, 2500, 4000, 5000, 7500, 10000, 20000}

const (
	appRateStep = 2 * time.Second
	appRateTick = time.Millisecond
)

// idlePort is a Finesse port that accepts everything and reports nothing:
// the app-only stage feeds the session itself.
type idlePort struct{}

func (idlePort) Send(context.Context, core.Command) error            { return nil }
func (idlePort) FetchAgent(context.Context) (core.Agent, error)      { return core.Agent{}, nil }
func (idlePort) FetchDialogs(context.Context) ([]core.Dialog, error) { return nil, nil }
func (idlePort) ReasonCodes(context.Context, core.ReasonCategory) ([]core.ReasonCode, error) {
	return nil, nil
}
func (idlePort) WrapUpReasons(context.Context) ([]core.WrapUpReason, error) { return nil, nil }
func (idlePort) PhoneBook(context.Context) ([]core.Contact, error)          { return nil, nil }

// runAppRate measures the app's fan-out stage alone (core.Session ->
// bridge -> rateClients WebSocket toolbars), fed with call-data updates of
// the given real dialog at each offered rate: it shows what the app passes
// on when the source is not the limit.
func runAppRate(ctx context.Context, agent core.Agent, d core.Dialog) Row {
	const name = "sustained event rate, app fan-out stage alone (session + bridge -> 10 clients)"
	best, broken := 0.0, false
	var passed, failed []string
	for _, r := range appRates {
		// Every step runs, even after a failure: a loaded machine can cut
		// a client off at a low rate and not at a higher one, and the note
		// should show that noise rather than hide it.
		got, err := appRateStep1(ctx, agent, d, r)
		if err == nil && got < 0.95*float64(r) {
			err = errors.New("the feeder could not offer 95 % of the rate")
		}
		if err != nil {
			failed = append(failed, fmt.Sprintf("%d/s (%.0f achieved): %v", r, got, err))
			broken = true
			continue
		}
		passed = append(passed, fmt.Sprintf("%d (%.0f achieved)", r, got))
		if !broken {
			best = float64(r)
		}
	}
	row := minRow(3, name, best, "events/s", 0, rateTarget)
	row.Note = fmt.Sprintf("highest offered rate held %v with every client complete, and every lower step too; kept up at %s/s",
		appRateStep, strings.Join(passed, ", "))
	if len(failed) > 0 {
		row.Note += "; clients fell behind at " + strings.Join(failed, "; ")
	}
	return row
}

// appRateStep1 runs one offered rate on a fresh session and bridge.
func appRateStep1(ctx context.Context, agent core.Agent, d core.Dialog, rate int) (achieved float64, err error) {
	sess := core.NewSession(core.Config{Port: idlePort{}, Logger: discardLogger()})
	sess.Apply(core.Update{Kind: core.UpdateResync, Agent: &agent, Dialogs: []core.Dialog{d},
		System: &core.System{Status: core.InService, Node: core.NodeA, XMPPConnected: true}})
	token, err := localbridge.GenerateToken()
	if err != nil {
		return 0, err
	}
	srv, err := localbridge.New(localbridge.Config{Addr: "127.0.0.1:0", Session: sess, Token: token, Logger: discardLogger()})
	if err != nil {
		return 0, err
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { _ = srv.Run(rctx); close(done) }()
	defer func() { cancel(); <-done }()
	<-srv.Ready()
	c := &chain{sess: sess, srv: srv, token: token}
	tbs, err := c.dial(ctx, rateClients)
	if err != nil {
		return 0, err
	}
	defer closeAll(tbs)
	for _, tb := range tbs {
		tb.light.Store(true)
	}
	achieved = feed(ctx, sess, d, rate)
	if err := waitClientsAt(ctx, tbs, c, time.Second); err != nil {
		cut := 0
		for _, tb := range tbs {
			if _, _, _, _, err := tb.Stats(); err != nil {
				cut++
			}
		}
		return achieved, fmt.Errorf("%d of %d clients cut off by the bridge as too slow, %d more not caught up after 1s", cut, len(tbs), len(tbs)-cut-countCaughtUp(tbs, c))
	}
	return achieved, checkClients(tbs)
}

// feed applies about rate updates per second for appRateStep, in batches
// every appRateTick, each changing callVariable1, and returns the rate it
// achieved. After a late tick it catches up by at most two ticks' worth:
// notifications reach the session one at a time from the link's decoder
// (>= 100 µs each, see BenchmarkDecodeNotification), so a burst of hundreds
// at once is not something the app meets, and it would only measure the
// watcher buffer.
func feed(ctx context.Context, sess *core.Session, d core.Dialog, rate int) float64 {
	tick := time.NewTicker(appRateTick)
	defer tick.Stop()
	perTick := max(1, rate*int(appRateTick)/int(time.Second))
	start := time.Now()
	sent := 0
	for time.Since(start) < appRateStep && ctx.Err() == nil {
		due := int(time.Since(start).Seconds() * float64(rate))
		for n := 0; sent < due && n < 2*perTick; n++ {
			u := d
			u.Variables = slices.Clone(d.Variables)
			u.Variables = append(u.Variables, core.CallVariable{Name: "callVariable1", Value: "v" + strconv.Itoa(sent)})
			sess.Apply(core.Update{Kind: core.UpdateDialog, Dialog: &u})
			sent++
		}
		<-tick.C
	}
	return float64(sent) / time.Since(start).Seconds()
}

var errNoDialog = errors.New("no dialog in the session to model the updates on")

// countCaughtUp counts the open toolbars that have the session's last event.
func countCaughtUp(tbs []*toolbar, c *chain) int {
	want, n := c.sess.Snapshot().Seq, 0
	for _, tb := range tbs {
		if _, _, _, last, err := tb.Stats(); err == nil && last >= want {
			n++
		}
	}
	return n
}

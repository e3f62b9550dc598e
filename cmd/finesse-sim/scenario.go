package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// scenario generates inbound traffic: calls to READY agents at a fixed rate,
// each hung up by the caller after a seeded talk time.
type scenario struct {
	rate time.Duration // interval between calls; 0 = off
	talk time.Duration // mean talk time
}

// parseScenario reads "calls=N/UNIT" (or "calls:N/UNIT"), UNIT s, min or h.
func parseScenario(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	spec, ok := strings.CutPrefix(s, "calls=")
	if !ok {
		spec, ok = strings.CutPrefix(s, "calls:")
	}
	num, unit, found := strings.Cut(spec, "/")
	n, err := strconv.ParseFloat(num, 64)
	per := map[string]time.Duration{"s": time.Second, "sec": time.Second, "min": time.Minute, "h": time.Hour}[unit]
	if !ok || !found || err != nil || n <= 0 || per == 0 {
		return 0, fmt.Errorf("--scenario %q: want calls=N/s, calls=N/min or calls=N/h", s)
	}
	return time.Duration(float64(per) / n), nil
}

func (sc scenario) run(ctx context.Context, sim *finessesim.Sim, seed int64, log *slog.Logger) {
	if sc.rate == 0 {
		return
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0xca11))
	tick := time.NewTicker(sc.rate)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		id, err := sim.InjectCall(finessesim.CallSpec{ANI: fmt.Sprintf("408555%04d", rng.IntN(10000)),
			Variables: []finessesim.Var{{Name: "callVariable1", Value: "scenario"}}})
		if errors.Is(err, finessesim.ErrNoReadyAgent) {
			log.Info("scenario call skipped: no READY agent")
			continue
		}
		if err != nil {
			log.Warn("scenario call failed", "err", err)
			continue
		}
		talk := sc.talk/2 + time.Duration(rng.Int64N(int64(sc.talk)+1))
		log.Info("scenario call", "dialog", id, "talk", talk)
		time.AfterFunc(talk, func() {
			if ctx.Err() == nil {
				sim.HangUp(id) // the call may be gone already; that is fine
			}
		})
	}
}

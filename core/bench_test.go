package core_test

import (
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// BenchmarkFanout measures Apply publishing one event to n watchers that
// drain their channels on their own goroutines. Every batch of events the
// loop waits for the watchers to catch up, so that none is cut off (with
// two cores, n goroutines cannot keep pace with an unbounded burst) and the
// cost of draining is part of the measurement.
func BenchmarkFanout(b *testing.B) {
	const batch, buffer = 512, 2048
	for _, n := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("watchers=%d", n), func(b *testing.B) {
			s := core.NewSession(core.Config{Port: &coretest.Port{},
				Logger: slog.New(slog.DiscardHandler), WatchBuffer: buffer})
			var wg sync.WaitGroup
			ws := make([]*core.Watcher, n)
			seen := make([]atomic.Uint64, n)
			for i := range ws {
				ws[i] = s.Watch(core.WatchOptions{})
				wg.Go(func() {
					for ev := range ws[i].Events() {
						seen[i].Store(ev.Seq)
					}
				})
			}
			updates := [2]core.Update{agentWithReason(1), agentWithReason(2)}
			b.ReportAllocs()
			var seq uint64
			for b.Loop() {
				s.Apply(updates[seq&1])
				seq++
				if seq%batch == 0 {
					waitSeen(seen, seq)
				}
			}
			b.StopTimer()
			cut := 0
			for _, w := range ws {
				if w.Err() != nil {
					cut++
				}
				w.Close()
			}
			wg.Wait()
			if cut > 0 {
				b.Errorf("%d of %d watchers cut off", cut, n)
			}
		})
	}
}

func waitSeen(seen []atomic.Uint64, seq uint64) {
	for i := range seen {
		for seen[i].Load() < seq {
			runtime.Gosched()
		}
	}
}

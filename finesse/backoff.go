package finesse

import (
	"math/rand/v2"
	"time"
)

// backoff is a capped exponential backoff with jitter ("equal jitter": half
// fixed, half random), so that thousands of desktops failing over together
// do not hammer a node in lockstep (reference §7.4). Not safe for concurrent
// use; each loop owns its own.
type backoff struct {
	min, max time.Duration
	n        int
}

func newBackoff(c BackoffConfig) *backoff { return &backoff{min: c.Min, max: c.Max} }

// next returns the next wait and advances.
func (b *backoff) next() time.Duration {
	d := b.min
	for i := 0; i < b.n && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	b.n++
	half := d / 2
	return half + rand.N(half+1)
}

// reset starts over after a success.
func (b *backoff) reset() { b.n = 0 }

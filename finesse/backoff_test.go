package finesse

import (
	"testing"
	"time"
)

func TestBackoffCappedAndJittered(t *testing.T) {
	t.Parallel()
	b := newBackoff(BackoffConfig{Min: 100 * time.Millisecond, Max: time.Second})
	wantMax := []time.Duration{100, 200, 400, 800, 1000, 1000, 1000}
	for i, m := range wantMax {
		m *= time.Millisecond
		got := b.next()
		if got < m/2 || got > m {
			t.Errorf("attempt %d: wait %v, want within [%v, %v]", i, got, m/2, m)
		}
	}
	b.reset()
	if got := b.next(); got > 100*time.Millisecond {
		t.Errorf("after reset: wait %v, want <= 100ms", got)
	}
}

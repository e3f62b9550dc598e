package core

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		size   int
		pushed uint64 // events 1..pushed
		since  uint64
		want   []uint64
		ok     bool
	}{
		{"empty, from zero", 4, 0, 0, nil, true},
		{"empty, ahead", 4, 0, 1, nil, false},
		{"partial", 4, 3, 1, []uint64{2, 3}, true},
		{"all of a partial ring", 4, 3, 0, []uint64{1, 2, 3}, true},
		{"full", 4, 4, 0, []uint64{1, 2, 3, 4}, true},
		{"wrapped, oldest kept", 4, 10, 6, []uint64{7, 8, 9, 10}, true},
		{"wrapped, too old", 4, 10, 5, nil, false},
		{"wrapped, none missed", 4, 10, 10, nil, true},
		{"size one", 1, 5, 4, []uint64{5}, true},
		{"size one, too old", 1, 5, 3, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRing(tt.size)
			for i := uint64(1); i <= tt.pushed; i++ {
				r.push(Event{Seq: i})
			}
			evs, ok := r.since(tt.since, tt.pushed)
			var got []uint64
			for _, ev := range evs {
				got = append(got, ev.Seq)
			}
			if ok != tt.ok {
				t.Errorf("since(%d) ok = %v, want %v", tt.since, ok, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("since(%d) mismatch (-want +got):\n%s", tt.since, diff)
			}
		})
	}
}

package localbridge

import (
	"sync"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
)

// TestFrameCacheSharesOneEncoding: concurrent clients writing the same
// event get the same bytes from one encoding, and a slot reused by a later
// event never hands out the earlier frame.
func TestFrameCacheSharesOneEncoding(t *testing.T) {
	t.Parallel()
	var fc frameCache
	ev := core.Event{Seq: 7, Kind: core.EventAgent, At: time.Unix(0, 0),
		Agent: &core.Agent{ID: "1001", State: core.StateReady}}
	frames := make([][]byte, 50)
	var wg sync.WaitGroup
	for i := range frames {
		wg.Go(func() {
			data, ok := fc.frame(ev)
			if !ok {
				t.Errorf("frame(%d) not encodable", ev.Seq)
			}
			frames[i] = data
		})
	}
	wg.Wait()
	want, _ := encodeEvent(ev)
	for i, f := range frames {
		if string(f) != string(want) {
			t.Fatalf("client %d got %s, want %s", i, f, want)
		}
		if &f[0] != &frames[0][0] {
			t.Errorf("client %d got its own encoding; want the shared one", i)
		}
	}

	later := core.Event{Seq: 7 + frameCacheSize, Kind: core.EventAgent, At: time.Unix(0, 0),
		Agent: &core.Agent{ID: "1001", State: core.StateNotReady}}
	got, _ := fc.frame(later)
	if wantLater, _ := encodeEvent(later); string(got) != string(wantLater) {
		t.Errorf("reused slot: got %s, want %s", got, wantLater)
	}
}

package localbridge

import (
	"sync"

	"github.com/agentlink/agentlink/core"
)

// frameCacheSize is how many recent event frames are kept. It only needs to
// cover the events clients are writing at the same moment; a client that
// is further behind encodes its frame again, which is merely slower.
const frameCacheSize = 512

// frameCache encodes each session event once for every client. An event
// frame is the same bytes for every toolbar, and with 100 tabs encoding per
// client was most of the bridge's CPU time per event (make bench, figure 1).
type frameCache struct {
	mu    sync.Mutex                   // guards slots
	slots [frameCacheSize]*cachedFrame // by seq modulo size
}

// cachedFrame is one event's frame; once makes concurrent first readers
// wait for a single encoding instead of each doing it.
type cachedFrame struct {
	seq  uint64
	once sync.Once
	data []byte // read-only once encoded
	ok   bool
}

// frame returns ev encoded as a v1 event frame; ok is false for an event
// the protocol does not carry. The bytes are shared: never modify them.
func (fc *frameCache) frame(ev core.Event) ([]byte, bool) {
	fc.mu.Lock()
	slot := &fc.slots[ev.Seq%frameCacheSize]
	f := *slot
	if f == nil || f.seq != ev.Seq {
		f = &cachedFrame{seq: ev.Seq}
		*slot = f
	}
	fc.mu.Unlock()
	f.once.Do(func() { f.data, f.ok = encodeEvent(ev) })
	return f.data, f.ok
}

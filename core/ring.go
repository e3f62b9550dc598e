package core

// ring keeps the last events for Since replay. It is a fixed-size circular
// buffer; the zero value is unusable, use newRing. Its owner guards it.
type ring struct {
	buf   []Event
	start int // index of the oldest event
	n     int // how many events buf holds
}

func newRing(size int) ring {
	return ring{buf: make([]Event, size)}
}

// push adds ev, dropping the oldest event when the ring is full.
func (r *ring) push(ev Event) {
	if r.n < len(r.buf) {
		r.buf[(r.start+r.n)%len(r.buf)] = ev
		r.n++
		return
	}
	r.buf[r.start] = ev
	r.start = (r.start + 1) % len(r.buf)
}

// since returns the events with a sequence number above seq, oldest first,
// and reports whether the ring still holds all of them. last is the seq of
// the newest event published (which may be older than the ring when empty).
func (r *ring) since(seq, last uint64) ([]Event, bool) {
	if seq > last {
		return nil, false
	}
	missing := last - seq
	if missing == 0 {
		return nil, true
	}
	if missing > uint64(r.n) {
		return nil, false
	}
	out := make([]Event, 0, missing)
	for i := r.n - int(missing); i < r.n; i++ {
		out = append(out, r.buf[(r.start+i)%len(r.buf)])
	}
	return out, true
}

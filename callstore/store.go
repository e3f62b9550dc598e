package callstore

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/agentlink/agentlink/core"
)

// DefaultRetention is how long records are kept when Options.Retention is
// zero: two weeks, long enough for an agent's holiday without the CRM.
const DefaultRetention = 14 * 24 * time.Hour

// purgeEvery bounds how often the retention is applied while the app runs.
const purgeEvery = time.Hour

// lockWait is how long Open waits for the file lock another process holds.
const lockWait = 2 * time.Second

var bucketName = []byte("calls")

// Options configure a [Store].
type Options struct {
	Retention time.Duration    // default DefaultRetention
	Logger    *slog.Logger     // default slog.Default()
	Now       func() time.Time // default time.Now
}

// Store is the outbox. Its methods are safe for concurrent use.
type Store struct {
	log       *slog.Logger     // read-only
	now       func() time.Time // read-only
	retention time.Duration    // read-only
	changes   chan struct{}    // capacity 1: coalesced change signals

	mu        sync.Mutex        // guards the fields below
	db        *bolt.DB          // nil in memory mode
	mem       map[string]record // memory mode: every record
	recentMem []recentEntry     // recent calls the file could not take (recent.go)
	lastPurge time.Time
}

var _ core.Outbox = (*Store)(nil)

// Open opens (creating it if needed, mode 0600) the outbox file at path and
// applies the retention. A file that cannot be opened (locked by another
// process, unreadable, corrupt) is an error: the caller may fall back to
// [Memory].
func Open(path string, opts Options) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockWait})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("call outbox %s: another process holds it (is AgentLink already running?)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("call outbox %s: %w", path, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketName)
		return err
	}); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("call outbox %s: %w", path, err)
	}
	s := newStore(opts)
	s.db = db
	s.mu.Lock()
	s.purgeLocked()
	s.mu.Unlock()
	return s, nil
}

// Memory returns a store that keeps its records in memory only (marked
// volatile): what the app uses when the file cannot be opened.
func Memory(opts Options) *Store {
	s := newStore(opts)
	s.mem = map[string]record{}
	return s
}

func newStore(opts Options) *Store {
	s := &Store{log: cmp.Or(opts.Logger, slog.Default()), now: opts.Now, retention: cmp.Or(opts.Retention, DefaultRetention),
		changes: make(chan struct{}, 1)}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Close closes the file. Records in memory are lost.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	if s.mem == nil {
		s.mem = map[string]record{}
	}
	return err
}

// Changes signals (coalesced) that the records offered or listed changed.
func (s *Store) Changes() <-chan struct{} { return s.changes }

func (s *Store) changed() {
	select {
	case s.changes <- struct{}{}:
	default:
	}
}

// update runs fn on the records in one transaction. When the file cannot
// be written, the store turns to memory mode (every record loaded, marked
// volatile), runs fn there, and returns the write error for the log.
func (s *Store) updateLocked(fn func(b bucket) error) error {
	if s.db == nil {
		if err := fn(memBucket(s.mem)); !errors.Is(err, errStop) {
			return err
		}
		return nil
	}
	err := s.db.Update(func(tx *bolt.Tx) error { return fn(boltBucket{tx.Bucket(bucketName)}) })
	if err == nil || errors.Is(err, errStop) {
		return nil
	}
	s.log.Error("call outbox: cannot write; keeping calls in memory until AgentLink restarts", "err", err)
	s.toMemoryLocked()
	if err2 := fn(memBucket(s.mem)); err2 != nil && !errors.Is(err2, errStop) {
		return err2
	}
	return err
}

// errStop ends an update that has nothing (more) to write; a refusal
// (core.ErrNoSuchCall) is reported beside it, not as a write failure.
var errStop = errors.New("nothing to write")

// toMemoryLocked switches to memory mode, keeping what the file holds.
func (s *Store) toMemoryLocked() {
	mem := map[string]record{}
	_ = s.viewLocked(func(r record) error { mem[r.ID] = r; return nil })
	for id, r := range mem {
		r.volatile = true
		mem[id] = r
	}
	_ = s.db.Close()
	s.db, s.mem = nil, mem
}

// viewLocked calls fn for every record.
func (s *Store) viewLocked(fn func(r record) error) error {
	if s.db == nil {
		return memBucket(s.mem).each(fn)
	}
	return s.db.View(func(tx *bolt.Tx) error { return boltBucket{tx.Bucket(bucketName)}.each(fn) })
}

// Unlogged lists the ended calls no CRM has acknowledged yet, oldest
// first (pending ones included, marked).
func (s *Store) Unlogged() []core.CallRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []core.CallRecord
	err := s.viewLocked(func(r record) error {
		if r.State == statePending || r.State == stateReady {
			out = append(out, r.callRecord())
		}
		return nil
	})
	if err != nil {
		s.log.Error("call outbox: cannot read", "err", err)
	}
	slices.SortFunc(out, func(a, b core.CallRecord) int {
		return cmp.Or(a.Summary.Ended.Compare(b.Summary.Ended), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// Ack marks the call id logged by the CRM as crmRef. It is idempotent:
// acknowledging again reports already and keeps the first crmRef. An
// unknown id wraps [core.ErrNoSuchCall]. A call acknowledged before it was
// offered (a client that logged from DialogEnded) is acknowledged too.
func (s *Store) Ack(id, crmRef string) (already bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var refused error
	err = s.updateLocked(func(b bucket) error {
		r, ok, err := b.get(id)
		switch {
		case err != nil:
			return err
		case !ok:
			refused = fmt.Errorf("%w: %q", core.ErrNoSuchCall, id)
			return errStop
		case r.State == stateAcked, r.State == stateLeg: // a leg: nothing to log
			already = true
			return errStop
		}
		r.State, r.CRMRef, r.AckedAt, r.Updated = stateAcked, crmRef, s.now(), s.now()
		return b.put(r)
	})
	if refused != nil {
		return false, refused
	}
	if err == nil && !already {
		s.changed()
	}
	return already, err
}

// Purge drops the records older than the retention and returns how many.
func (s *Store) Purge() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.purgeLocked()
}

func (s *Store) purgeLocked() int {
	now := s.now()
	s.lastPurge = now
	s.purgeRecentLocked(now)
	n := 0
	err := s.updateLocked(func(b bucket) error {
		var old []record
		if err := b.each(func(r record) error {
			if r.age(now) > s.retention {
				old = append(old, r)
			}
			return nil
		}); err != nil {
			return err
		}
		if len(old) == 0 {
			return errStop
		}
		for _, r := range old {
			if r.State != stateAcked {
				s.log.Warn("call outbox: dropping a call no CRM logged within the retention", "call", r.ID,
					"ended", r.Ended, "retention", s.retention)
			}
			if err := b.del(r.ID); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		s.log.Error("call outbox: retention", "err", err)
	}
	if n > 0 {
		s.changed()
	}
	return n
}

// bucket is one transaction's view of the records: the bbolt bucket, or
// the memory map.
type bucket interface {
	get(id string) (record, bool, error)
	put(r record) error
	del(id string) error
	each(fn func(r record) error) error
}

type boltBucket struct{ b *bolt.Bucket }

func (b boltBucket) get(id string) (record, bool, error) {
	v := b.b.Get([]byte(id))
	if v == nil {
		return record{}, false, nil
	}
	r, err := decode(v)
	return r, err == nil, err
}

func (b boltBucket) put(r record) error {
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return b.b.Put([]byte(r.ID), v)
}

func (b boltBucket) del(id string) error { return b.b.Delete([]byte(id)) }

func (b boltBucket) each(fn func(r record) error) error {
	return b.b.ForEach(func(k, v []byte) error {
		r, err := decode(v)
		if err != nil {
			return fmt.Errorf("record %q: %w", k, err)
		}
		return fn(r)
	})
}

type memBucket map[string]record

func (m memBucket) get(id string) (record, bool, error) { r, ok := m[id]; return r, ok, nil }
func (m memBucket) put(r record) error                  { r.volatile = true; m[r.ID] = r; return nil }
func (m memBucket) del(id string) error                 { delete(m, id); return nil }

func (m memBucket) each(fn func(r record) error) error {
	for _, r := range m {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

package callstore

import (
	"encoding/json"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/agentlink/agentlink/core"
)

// The store also keeps the softphone's list of the day's calls
// (core.CallLog), so Recent calls survive a restart: one entry per ended
// call in its own bucket, keyed by end time, dropped with the retention.

var recentBucket = []byte("recent")

// recentEntry is a core.RecentCall as stored (JSON at the edge).
type recentEntry struct {
	DialogID  string     `json:"dialogId"`
	Direction string     `json:"direction"`
	Number    string     `json:"number,omitempty"`
	CallType  string     `json:"callType,omitempty"`
	Started   time.Time  `json:"started"`
	Answered  time.Time  `json:"answered"`
	Ended     time.Time  `json:"ended"`
	Variables []variable `json:"variables,omitempty"`
}

var _ core.CallLog = (*Store)(nil)

func recentKey(c core.RecentCall) []byte {
	return []byte(c.Ended.UTC().Format(time.RFC3339Nano) + "/" + c.DialogID)
}

// Record implements core.CallLog. A failed write keeps the call in memory
// (logged once by the outbox's own switch to memory).
func (s *Store) Record(c core.RecentCall) {
	e := recentEntry{DialogID: c.DialogID, Direction: string(c.Direction), Number: c.Number, CallType: c.CallType,
		Started: c.Started, Answered: c.Answered, Ended: c.Ended}
	for _, v := range c.Variables {
		e.Variables = append(e.Variables, variable{Name: v.Name, Value: v.Value})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db != nil {
		b, err := json.Marshal(e)
		if err == nil {
			err = s.db.Update(func(tx *bolt.Tx) error {
				bk, err := tx.CreateBucketIfNotExists(recentBucket)
				if err != nil {
					return err
				}
				return bk.Put(recentKey(c), b)
			})
		}
		if err == nil {
			return
		}
		s.log.Error("recent calls: cannot write; this call is kept in memory only", "err", err)
	}
	s.recentMem = append(s.recentMem, e)
}

// Recent implements core.CallLog: the calls that ended since, newest first.
func (s *Store) Recent(since time.Time) []core.RecentCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	var es []recentEntry
	if s.db != nil {
		_ = s.db.View(func(tx *bolt.Tx) error {
			bk := tx.Bucket(recentBucket)
			if bk == nil {
				return nil
			}
			c := bk.Cursor()
			for k, v := c.Seek([]byte(since.UTC().Format(time.RFC3339Nano))); k != nil; k, v = c.Next() {
				var e recentEntry
				if json.Unmarshal(v, &e) == nil {
					es = append(es, e)
				}
			}
			return nil
		})
	}
	for _, e := range s.recentMem {
		if !e.Ended.Before(since) {
			es = append(es, e)
		}
	}
	slices.SortFunc(es, func(a, b recentEntry) int { return b.Ended.Compare(a.Ended) })
	out := make([]core.RecentCall, len(es))
	for i, e := range es {
		out[i] = e.call()
	}
	return out
}

func (e recentEntry) call() core.RecentCall {
	c := core.RecentCall{DialogID: e.DialogID, Direction: core.Direction(e.Direction), Number: e.Number, CallType: e.CallType,
		Started: e.Started, Answered: e.Answered, Ended: e.Ended}
	for _, v := range e.Variables {
		c.Variables = append(c.Variables, core.CallVariable{Name: v.Name, Value: v.Value})
	}
	return c
}

// purgeRecentLocked drops the recent calls older than the retention.
func (s *Store) purgeRecentLocked(now time.Time) {
	cut := now.Add(-s.retention)
	s.recentMem = slices.DeleteFunc(s.recentMem, func(e recentEntry) bool { return e.Ended.Before(cut) })
	if s.db == nil {
		return
	}
	_ = s.db.Update(func(tx *bolt.Tx) error {
		bk := tx.Bucket(recentBucket)
		if bk == nil {
			return nil
		}
		c := bk.Cursor()
		end := []byte(cut.UTC().Format(time.RFC3339Nano))
		for k, _ := c.First(); k != nil && string(k) < string(end); k, _ = c.Next() {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
}

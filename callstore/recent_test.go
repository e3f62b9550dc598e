package callstore_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
)

// TestRecentCallsSurviveRestart: the softphone's Recent calls come back
// after the app restarts, newest first, and go with the retention.
func TestRecentCallsSurviveRestart(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	path := filepath.Join(t.TempDir(), "calls.db")
	s := open(t, path, c, 48*time.Hour)
	morning := c.now()
	calls := []core.RecentCall{
		{DialogID: "1", Direction: core.CallIn, Number: "5550101", Started: morning, Answered: morning.Add(5 * time.Second), Ended: morning.Add(time.Minute),
			Variables: []core.CallVariable{{Name: "user.customer.name", Value: "Ada"}}},
		{DialogID: "2", Direction: core.CallMissed, Number: "5550102", Started: morning.Add(time.Hour), Ended: morning.Add(time.Hour + 20*time.Second)},
		{DialogID: "3", Direction: core.CallOut, Number: "5550103", Started: morning.Add(2 * time.Hour), Ended: morning.Add(2*time.Hour + time.Minute)},
	}
	for _, rc := range calls {
		s.Record(rc)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, path, c, 48*time.Hour)
	got := s.Recent(morning.Add(30 * time.Minute))
	if len(got) != 2 || got[0].DialogID != "3" || got[1].DialogID != "2" || got[1].Direction != core.CallMissed {
		t.Fatalf("Recent after a restart = %+v, want calls 3 then 2 (missed)", got)
	}
	if all := s.Recent(time.Time{}); len(all) != 3 || all[2].Variables[0].Value != "Ada" {
		t.Fatalf("Recent(all) = %+v, want 3 calls with call 1's data", all)
	}
	c.add(51 * time.Hour) // the last call ended at 11:01 on the first day
	s.Purge()
	if left := s.Recent(time.Time{}); len(left) != 0 {
		t.Errorf("after the retention: %d recent calls left, want 0", len(left))
	}
	_ = s.Close()
}

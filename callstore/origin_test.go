package callstore_test

import (
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/agentlink/agentlink/core"
)

// TestStoreOriginalCall: a call transferred in keeps the original call's id
// and its own leg's across closing the file (an app restart), and comes
// back in Unlogged with them; a consult leg is never offered, neither at
// its end nor after a reopen, and a wrap-up reason or acknowledgement does
// not make it one; a call first committed as a customer call and then as
// a leg (the session learnt it from the call transferred in) is withdrawn.
func TestStoreOriginalCall(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	path := filepath.Join(t.TempDir(), "calls.db")
	s := open(t, path, c, 0)
	t0 := c.now()
	in := sum("orig", t0, "Sale")
	in.OriginalID, in.SecondaryID = "orig", "c1"
	leg := sum("c1", t0, "")
	leg.CallType, leg.Consult = "CONSULT", true
	must(t, s.Live(leg))
	must(t, s.Ended(leg, true))
	must(t, s.Ended(in, false))
	late := sum("c2", t0.Add(time.Second), "")
	late.CallType = "AGENT_INSIDE"
	must(t, s.Ended(late, true))
	late.Consult = true
	must(t, s.Ended(late, false))
	must(t, s.WrapUp("c1", "Sale"))
	must(t, s.Settle())
	if _, err := s.Ack("c1", ""); err != nil {
		t.Errorf("Ack of a leg: %v, want answered (nothing to log)", err)
	}
	must(t, s.Close())

	s = open(t, path, c, 0)
	defer s.Close()
	got := s.Unlogged()
	if len(got) != 1 || got[0].ID != "orig" {
		t.Fatalf("Unlogged after reopen = %v, want only the call transferred in", ids(got))
	}
	if g := got[0].Summary; g.OriginalID != "orig" || g.SecondaryID != "c1" || g.Consult {
		t.Errorf("call transferred in reloaded as OriginalID %q SecondaryID %q Consult %v", g.OriginalID, g.SecondaryID, g.Consult)
	}
	if live, pending := s.Recovered(); len(live)+len(pending) != 0 {
		t.Errorf("Recovered = %v %v, want nothing: legs are neither live nor pending", live, pending)
	}
}

// TestStoreLoadsOldRecords: a record written before the original-call
// fields existed (bytes as the earlier version wrote them) loads, is
// offered as a customer call without an original, and can be acknowledged.
func TestStoreLoadsOldRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "calls.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	old := `{"id":"77","dialogId":"77","state":"ready","callType":"ACD_IN","from":"5550123","to":"5001",` +
		`"started":"2026-12-01T08:59:00Z","answered":"2026-12-01T08:59:05Z","ended":"2026-12-01T09:00:00Z",` +
		`"wrapUpReason":"Sale","variables":[{"name":"callVariable1","value":"acct-7"}],` +
		`"ackedAt":"0001-01-01T00:00:00Z","updated":"2026-12-01T09:00:00Z"}`
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("calls"))
		if err != nil {
			return err
		}
		return b.Put([]byte("77"), []byte(old))
	})
	if err != nil {
		t.Fatal(err)
	}
	must(t, db.Close())

	c := &clock{t: time.Date(2026, 12, 1, 9, 1, 0, 0, time.UTC)}
	s := open(t, path, c, 0)
	defer s.Close()
	got := s.Unlogged()
	want := core.CallSummary{DialogID: "77", CallType: "ACD_IN", WrapUpReason: "Sale"}
	if len(got) != 1 || got[0].Summary.DialogID != want.DialogID || got[0].Summary.WrapUpReason != want.WrapUpReason ||
		got[0].Summary.OriginalID != "" || got[0].Summary.Consult || got[0].Summary.Variables[0].Value != "acct-7" {
		t.Fatalf("old record loaded as %+v", got)
	}
	if already, err := s.Ack("77", "crm-1"); err != nil || already {
		t.Errorf("Ack = %v, %v", already, err)
	}
	if got := s.Unlogged(); len(got) != 0 {
		t.Errorf("acknowledged old record still offered: %v", ids(got))
	}
}

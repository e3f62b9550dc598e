package finessesim

import (
	"slices"
	"strings"
	"testing"
)

// setupConsult brings 1002 (A) into an answered call and an ACTIVE consult
// with 1003 (B). It returns the original and consult dialog ids.
func setupConsult(t *testing.T, s *Sim, a, b *agentConn) (orig, consult string) {
	t.Helper()
	orig = inject(t, s, "1002")
	a.x.expect("user PUT RESERVED", "dialogs POST ALERTING[5002:ALERTING,4085550100:INITIATED]")
	a.act(orig, "ANSWER", "", "")
	a.x.expect("dialog PUT ACTIVE[5002:ACTIVE,4085550100:ACTIVE]", "user PUT TALKING")
	a.act(orig, "CONSULT_CALL", "<toAddress>5003</toAddress>", "r-consult")
	got := a.x.expect("dialog PUT ACTIVE[5002:HELD,4085550100:ACTIVE]",
		"dialogs POST INITIATING[5002:INITIATING]",
		"dialog PUT INITIATED[5002:INITIATED]",
		"dialog PUT ALERTING[5002:INITIATED,5003:ALERTING]")
	consult = got[1].Data.text("Dialog", "id")
	if assoc := got[1].Data.text("Dialog", "associatedDialogUri"); assoc != "/finesse/api/Dialog/"+orig {
		t.Errorf("consult associatedDialogUri: got %q, want the original", assoc)
	}
	for _, u := range got {
		if u.RequestID != "r-consult" {
			t.Errorf("%s: requestId %q, want r-consult", u.kind(), u.RequestID)
		}
	}
	// Every notification the request causes echoes its requestId, also B's.
	if u := b.x.expect("dialogs POST ALERTING[5002:INITIATED,5003:ALERTING]")[0]; u.RequestID != "r-consult" {
		t.Errorf("consulted agent's POST: requestId %q, want r-consult", u.RequestID)
	}
	b.act(consult, "ANSWER", "", "")
	b.x.expect("dialog PUT ACTIVE[5002:ACTIVE,5003:ACTIVE]", "user PUT TALKING")
	got = a.x.expect("dialog PUT ACTIVE[5002:ACTIVE,5003:ACTIVE]", "dialog PUT ACTIVE[5002:HELD,4085550100:ACTIVE]")
	requireTransferOffered(t, got[1].Data, "5002")
	return orig, consult
}

// requireTransferOffered checks that the held original, re-published once
// the consult went ACTIVE, now offers TRANSFER and CONFERENCE to the agent
// (reference §3.2): without that PUT no client could ever enable them.
func requireTransferOffered(t *testing.T, dialog *xnode, agentAddr string) {
	t.Helper()
	for _, p := range dialog.child("participants").children("Participant") {
		if p.text("mediaAddress") != agentAddr {
			continue
		}
		var acts []string
		for _, a := range p.child("actions").children("action") {
			acts = append(acts, strings.TrimSpace(a.Text))
		}
		if !slices.Contains(acts, "TRANSFER") || !slices.Contains(acts, "CONFERENCE") {
			t.Errorf("held original after consult answered: actions %v, want TRANSFER and CONFERENCE", acts)
		}
		return
	}
	t.Errorf("held original has no participant %s", agentAddr)
}

func TestConsultTransfer(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	a := signIn(t, s, NodeA, "1002", true)
	b := signIn(t, s, NodeB, "1003", false)
	orig, consult := setupConsult(t, s, a, b)

	a.act(orig, "TRANSFER", "", "r-xfer")
	a.x.expect("dialogs DELETE DROPPED[5002:DROPPED,5003:DROPPED]",
		"dialogs DELETE ACTIVE[5002:DROPPED,4085550100:ACTIVE,5003:ACTIVE]", "user PUT READY")
	got := b.x.expect("dialogs DELETE DROPPED[5002:DROPPED,5003:DROPPED]",
		"dialogs POST ACTIVE[5002:DROPPED,4085550100:ACTIVE,5003:ACTIVE]")
	if sec := got[1].Data.text("Dialog", "secondaryId"); sec != consult {
		t.Errorf("surviving dialog secondaryId: got %q, want %q", sec, consult)
	}
	if id := got[1].Data.text("Dialog", "id"); id != orig {
		t.Errorf("surviving dialog id: got %q, want the original %q", id, orig)
	}
	a.r.must(404, "GET", "/finesse/api/Dialog/"+consult, "", "")
	a.r.must(401, "GET", "/finesse/api/Dialog/"+orig, "", "")
	b.r.must(200, "GET", "/finesse/api/Dialog/"+orig, "", "")

	if err := s.HangUp(orig); err != nil {
		t.Fatal(err)
	}
	b.x.expect("dialog PUT ACTIVE[5002:DROPPED,4085550100:DROPPED,5003:ACTIVE]",
		"dialog PUT DROPPED[5002:DROPPED,4085550100:DROPPED,5003:DROPPED]",
		"dialogs DELETE DROPPED[5002:DROPPED,4085550100:DROPPED,5003:DROPPED]", "user PUT NOT_READY")
}

func TestConsultConference(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	a := signIn(t, s, NodeA, "1002", true)
	b := signIn(t, s, NodeA, "1003", false)
	orig, _ := setupConsult(t, s, a, b)

	a.act(orig, "CONFERENCE", "", "")
	a.x.expect("dialogs DELETE DROPPED[5002:DROPPED,5003:DROPPED]",
		"dialog PUT ACTIVE[5002:ACTIVE,4085550100:ACTIVE,5003:ACTIVE]")
	b.x.expect("dialogs DELETE DROPPED[5002:DROPPED,5003:DROPPED]",
		"dialogs POST ACTIVE[5002:ACTIVE,4085550100:ACTIVE,5003:ACTIVE]")

	a.act(orig, "DROP", "", "")
	a.x.expect("dialog PUT ACTIVE[5002:DROPPED,4085550100:ACTIVE,5003:ACTIVE]",
		"dialogs DELETE ACTIVE[5002:DROPPED,4085550100:ACTIVE,5003:ACTIVE]", "user PUT READY")
	b.x.expect("dialog PUT ACTIVE[5002:DROPPED,4085550100:ACTIVE,5003:ACTIVE]")
}

// TestTransferWithoutConsult: TRANSFER is not offered on a plain held call,
// so it fails asynchronously with Generic Error carrying the requestId.
func TestTransferWithoutConsult(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	a := signIn(t, s, NodeA, "1002", true)
	id := inject(t, s, "1002")
	a.x.expect("user PUT RESERVED", "dialogs POST ALERTING[5002:ALERTING,4085550100:INITIATED]")
	a.act(id, "ANSWER", "", "")
	a.x.expect("dialog PUT ACTIVE[5002:ACTIVE,4085550100:ACTIVE]", "user PUT TALKING")
	a.act(id, "HOLD", "", "")
	a.x.expect("dialog PUT ACTIVE[5002:HELD,4085550100:ACTIVE]", "user PUT HOLD")
	a.act(id, "TRANSFER", "", "r-bad")
	u := a.x.expect("apiErrors PUT Generic Error")[0]
	if u.RequestID != "r-bad" || u.Source != "/finesse/api/Dialog/"+id || u.Node != "/finesse/api/User/1002/Dialogs" {
		t.Errorf("async error: got rid %q source %q node %q", u.RequestID, u.Source, u.Node)
	}
}

// TestConsultExternal: an external consult target answers by itself.
func TestConsultExternal(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	a := signIn(t, s, NodeA, "1002", true)
	id := inject(t, s, "1002")
	a.x.expect("user PUT RESERVED", "dialogs POST ALERTING[5002:ALERTING,4085550100:INITIATED]")
	a.act(id, "ANSWER", "", "")
	a.x.expect("dialog PUT ACTIVE[5002:ACTIVE,4085550100:ACTIVE]", "user PUT TALKING")
	a.act(id, "CONSULT_CALL", "<toAddress>4085550111</toAddress>", "")
	a.x.expect("dialog PUT ACTIVE[5002:HELD,4085550100:ACTIVE]", "dialogs POST INITIATING[5002:INITIATING]",
		"dialog PUT INITIATED[5002:INITIATED]", "dialog PUT ALERTING[5002:INITIATED,4085550111:ALERTING]",
		"dialog PUT ACTIVE[5002:ACTIVE,4085550111:ACTIVE]", "dialog PUT ACTIVE[5002:HELD,4085550100:ACTIVE]")
	a.act(id, "TRANSFER", "", "")
	a.x.expect("dialogs DELETE DROPPED[5002:DROPPED,4085550111:DROPPED]",
		"dialogs DELETE ACTIVE[5002:DROPPED,4085550100:ACTIVE,4085550111:ACTIVE]", "user PUT READY")
	if ds := s.Dialogs(); len(ds) != 0 {
		t.Errorf("dialogs left after external transfer: %+v", ds)
	}
}

// TestSingleStepTransfer moves the call to another agent who must answer.
func TestSingleStepTransfer(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	a := signIn(t, s, NodeA, "1002", true)
	b := signIn(t, s, NodeB, "1003", false)
	id := inject(t, s, "1002")
	a.x.expect("user PUT RESERVED", "dialogs POST ALERTING[5002:ALERTING,4085550100:INITIATED]")
	a.act(id, "ANSWER", "", "")
	a.x.expect("dialog PUT ACTIVE[5002:ACTIVE,4085550100:ACTIVE]", "user PUT TALKING")
	a.act(id, "TRANSFER_SST", "<toAddress>5003</toAddress>", "")
	a.x.expect("dialog PUT ALERTING[5002:DROPPED,4085550100:ACTIVE,5003:ALERTING]",
		"dialogs DELETE ALERTING[5002:DROPPED,4085550100:ACTIVE,5003:ALERTING]", "user PUT READY")
	b.x.expect("dialogs POST ALERTING[5002:DROPPED,4085550100:ACTIVE,5003:ALERTING]")
	b.act(id, "ANSWER", "", "")
	b.x.expect("dialog PUT ACTIVE[5002:DROPPED,4085550100:ACTIVE,5003:ACTIVE]", "user PUT TALKING")
}

// TestConsultTransferConfigured: what Finesse does not document is
// configurable. The consult dialog carries ConsultCallType (here one that
// looks like a routed call), and with WrapUpAfterTransferIn the agent the
// routed call was transferred to goes into wrap-up when it ends.
func TestConsultTransferConfigured(t *testing.T) {
	t.Parallel()
	agents := DefaultAgents()
	agents[2].WrapUpOnIncoming = "OPTIONAL" // 1003 may wrap up
	s := startSim(t, Config{ConsultCallType: "PREROUTE_ACD_IN", WrapUpAfterTransferIn: true, Agents: agents})
	a := signIn(t, s, NodeA, "1002", true)
	b := signIn(t, s, NodeB, "1003", false)
	orig, consult := setupConsult(t, s, a, b)
	i := slices.IndexFunc(s.Dialogs(), func(d DialogInfo) bool { return d.ID == consult })
	if i < 0 || s.Dialogs()[i].CallType != "PREROUTE_ACD_IN" {
		t.Errorf("consult dialog %+v, want callType PREROUTE_ACD_IN", s.Dialogs())
	}
	a.act(orig, "TRANSFER", "", "")
	a.x.expect("dialogs DELETE DROPPED[5002:DROPPED,5003:DROPPED]",
		"dialogs DELETE ACTIVE[5002:DROPPED,4085550100:ACTIVE,5003:ACTIVE]", "user PUT READY")
	b.x.expect("dialogs DELETE DROPPED[5002:DROPPED,5003:DROPPED]",
		"dialogs POST ACTIVE[5002:DROPPED,4085550100:ACTIVE,5003:ACTIVE]")
	if err := s.HangUp(orig); err != nil {
		t.Fatal(err)
	}
	b.x.expect("dialog PUT ACTIVE[5002:DROPPED,4085550100:DROPPED,5003:ACTIVE]",
		"dialog PUT DROPPED[5002:DROPPED,4085550100:DROPPED,5003:DROPPED]",
		"dialogs DELETE DROPPED[5002:DROPPED,4085550100:DROPPED,5003:DROPPED]", "user PUT WORK_READY")
}

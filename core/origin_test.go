package core_test

import (
	"slices"
	"testing"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// endedByID is the last summary the outbox got for id.
func (o *fakeOutbox) endedByID(t *testing.T, id string) core.CallSummary {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := len(o.ended) - 1; i >= 0; i-- {
		if o.ended[i].DialogID == id {
			return o.ended[i]
		}
	}
	t.Fatalf("no ended record for %s in %q", id, o.calls)
	return core.CallSummary{}
}

// consultLeg is the consult dialog c1 ringing for the agent (agent B),
// started by a colleague from the customer call orig.
func consultLeg(callType string, assoc string) core.Dialog {
	d := coretest.Dialog("c1", ext, "5001", core.PartActive, core.ActionHold, core.ActionDrop)
	d.CallType, d.AssociatedID = callType, assoc
	return d
}

// transferredIn is the original dialog orig POSTed to the agent after the
// transfer, its secondaryId naming the consult leg c1 (finesse-protocol.md §3.6).
func transferredIn() core.Dialog {
	d := coretest.Dialog("orig", ext, caller, core.PartActive, core.ActionHold, core.ActionDrop)
	d.CallType, d.SecondaryID = "ACD_IN", "c1"
	return d
}

// TestOriginTransferredIn: agent B answers a consult leg, the colleague
// transfers: B's leg ends (DELETE) and the original call comes (POST,
// secondaryId = the leg). The leg is recorded as a consult leg, the
// transferred call names the original call and B's leg; the published
// Dialog carries the same, so a CRM logs live and re-offered calls alike.
// Whatever the leg's callType (Finesse's is not verified): CONSULT, or a
// call type that says nothing but carries associatedDialogUri, or neither.
func TestOriginTransferredIn(t *testing.T) {
	for _, leg := range []core.Dialog{consultLeg("CONSULT", "orig"), consultLeg("AGENT_INSIDE", "orig"), consultLeg("AGENT_INSIDE", "")} {
		t.Run(leg.CallType+"/"+leg.AssociatedID, func(t *testing.T) {
			ob := &fakeOutbox{}
			f := newFixture(t, func(c *core.Config) { c.Outbox = ob })
			f.login()
			w := f.s.Watch(core.WatchOptions{})
			defer w.Close()
			f.s.Apply(agentNow(core.StateTalking))
			f.s.Apply(coretest.DialogUpdate(leg))
			f.s.Apply(coretest.Removed("c1"))
			f.s.Apply(coretest.DialogUpdate(transferredIn()))
			f.s.Apply(coretest.Removed("orig"))

			if got := ob.endedByID(t, "c1"); !got.Consult || got.OriginalID != "" {
				t.Errorf("consult leg recorded as %+v, want Consult and no original", got)
			}
			got := ob.endedByID(t, "orig")
			if got.Consult || got.OriginalID != "orig" || got.SecondaryID != "c1" {
				t.Errorf("transferred call recorded as Consult=%v OriginalID=%q SecondaryID=%q, want false orig c1",
					got.Consult, got.OriginalID, got.SecondaryID)
			}
			var live *core.Dialog
			for _, ev := range drain(w) {
				if ev.Kind == core.EventDialog && ev.Dialog.ID == "orig" {
					live = ev.Dialog
				}
			}
			if live == nil || live.OriginalID != "orig" || live.Consult {
				t.Errorf("published transferred dialog = %+v, want OriginalID orig, not Consult", live)
			}
		})
	}
}

// TestOriginPostBeforeDelete: the original call comes before the leg's
// DELETE (the order of events is not specified): the leg still ends as a
// consult leg.
func TestOriginPostBeforeDelete(t *testing.T) {
	ob := &fakeOutbox{}
	f := newFixture(t, func(c *core.Config) { c.Outbox = ob })
	f.login()
	f.s.Apply(coretest.DialogUpdate(consultLeg("AGENT_INSIDE", "")))
	f.s.Apply(coretest.DialogUpdate(transferredIn()))
	f.s.Apply(coretest.Removed("c1"))
	if got := ob.endedByID(t, "c1"); !got.Consult {
		t.Errorf("consult leg recorded as %+v, want Consult", got)
	}
}

// TestOriginOwnCallConferenced: the agent's own customer call stays a
// customer call when it turns into a CONFERENCE and gains a secondaryId;
// its consult leg (callType CONSULT) is a leg. A colleague's call
// conferenced in (callType CONFERENCE) is a leg for the colleague.
func TestOriginOwnCallConferenced(t *testing.T) {
	ob := &fakeOutbox{}
	f := newFixture(t, func(c *core.Config) { c.Outbox = ob })
	f.login()
	own := coretest.Dialog("own", ext, caller, core.PartActive, core.ActionHold)
	own.CallType = "ACD_IN"
	f.s.Apply(coretest.DialogUpdate(own))
	own.AssociatedID = "c9"
	f.s.Apply(coretest.DialogUpdate(own))
	consult := coretest.Dialog("c9", ext, "5002", core.PartActive, core.ActionDrop)
	consult.CallType, consult.AssociatedID = "CONSULT", "own"
	f.s.Apply(coretest.DialogUpdate(consult))
	f.s.Apply(coretest.Removed("c9"))
	own.CallType, own.AssociatedID, own.SecondaryID = "CONFERENCE", "", "c9"
	f.s.Apply(coretest.DialogUpdate(own))
	f.s.Apply(coretest.Removed("own"))
	if got := ob.endedByID(t, "own"); got.Consult || got.OriginalID != "" {
		t.Errorf("own conferenced call = Consult %v OriginalID %q, want a customer call of its own", got.Consult, got.OriginalID)
	}
	if got := ob.endedByID(t, "c9"); !got.Consult {
		t.Errorf("own consult leg not marked Consult")
	}
	conf := transferredIn()
	conf.ID, conf.CallType = "conf", "CONFERENCE"
	f.s.Apply(coretest.DialogUpdate(conf))
	f.s.Apply(coretest.Removed("conf"))
	if got := ob.endedByID(t, "conf"); !got.Consult {
		t.Errorf("colleague's conference = %+v, want a leg", got)
	}
}

// TestOriginConsultSurvives: the agent's own consult leg survives the
// transfer and the original call is dropped into it (secondaryId names the
// original): it becomes a customer call referring to the original.
func TestOriginConsultSurvives(t *testing.T) {
	ob := &fakeOutbox{}
	f := newFixture(t, func(c *core.Config) { c.Outbox = ob })
	f.login()
	leg := consultLeg("CONSULT", "orig")
	f.s.Apply(coretest.DialogUpdate(leg))
	leg.AssociatedID, leg.SecondaryID = "", "orig"
	f.s.Apply(coretest.DialogUpdate(leg))
	f.s.Apply(coretest.Removed("c1"))
	got := ob.endedByID(t, "c1")
	if got.Consult || got.OriginalID != "orig" {
		t.Errorf("surviving consult = Consult %v OriginalID %q, want a customer call with original orig", got.Consult, got.OriginalID)
	}
}

// TestOriginCarriedOverRestart: a call transferred in that was live when
// the app stopped keeps its origin when Finesse lists it again, and one
// that ended meanwhile is reported with it.
func TestOriginCarriedOverRestart(t *testing.T) {
	sum := core.CallSummary{DialogID: "orig", CallType: "ACD_IN", OriginalID: "orig", SecondaryID: "c1"}
	leg := core.CallSummary{DialogID: "c7", CallType: "AGENT_INSIDE", Consult: true}
	ob := &fakeOutbox{live: []core.CallSummary{sum, leg}}
	f := newFixture(t, func(c *core.Config) { c.Outbox = ob })
	// Finesse lists the leg again, the call transferred in is gone.
	again := consultLeg("AGENT_INSIDE", "")
	again.ID = "c7"
	a := coretest.Agent(agentID, ext, core.StateTalking)
	f.s.Apply(core.Update{Kind: core.UpdateResync, Agent: &a, Dialogs: []core.Dialog{again}})
	f.s.Apply(coretest.Removed("c7"))
	if got := ob.endedByID(t, "orig"); got.OriginalID != "orig" || got.SecondaryID != "c1" || !got.Away {
		t.Errorf("away call = %+v, want its origin kept", got)
	}
	if got := ob.endedByID(t, "c7"); !got.Consult {
		t.Errorf("carried leg = %+v, want Consult kept", got)
	}
	if !slices.Contains(ob.seen(), "ended c7 pending") {
		t.Errorf("outbox calls %q", ob.seen())
	}
}

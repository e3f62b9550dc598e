package localbridge

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

func TestWireTime(t *testing.T) {
	t.Parallel()
	paris := time.FixedZone("CET", 3600)
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Time{}, ""},
		{time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "2026-01-02T03:04:05.000Z"},
		{time.Date(2026, 1, 2, 4, 4, 5, 123456789, paris), "2026-01-02T03:04:05.123Z"},
	}
	for _, tt := range tests {
		if got := wireTime(tt.in); got != tt.want {
			t.Errorf("wireTime(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestEventJSON pins the JSON of each event kind: toolbars depend on it.
func TestEventJSON(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	agent := coretest.Agent("1001", "5001", core.StateNotReady)
	agent.ReasonCodeID, agent.ReasonLabel = "-1", ""
	dlg := coretest.Dialog("d1", "5001", "555", core.PartHeld, core.ActionRetrieve)
	dlg.Actions, dlg.AgentState = []core.Action{core.ActionRetrieve}, core.PartHeld
	tests := []struct {
		ev   core.Event
		want string
	}{
		{core.Event{Seq: 1, Kind: core.EventAgent, Agent: &agent},
			`{"event":"AgentState","seq":1,"data":{"agentId":"1001","firstName":"Test","lastName":"Agent","state":"NOT_READY","extension":"5001","since":"2026-01-02T03:04:05.000Z","loggedIn":true}}`},
		{core.Event{Seq: 2, Kind: core.EventDialog, Dialog: &dlg},
			`{"event":"Dialog","seq":2,"data":{"id":"d1","state":"ACTIVE","callType":"ACD_IN","from":"555","to":"5001","agentState":"HELD","variables":{},` +
				`"participants":[{"address":"5001","addressType":"AGENT_DEVICE","state":"HELD","actions":["RETRIEVE"]},{"address":"555","state":"ACTIVE","actions":[]}],"actions":["RETRIEVE"],"consult":false}}`},
		{core.Event{Seq: 3, Kind: core.EventDialogEnded, Ended: &core.CallSummary{DialogID: "d1", From: "555", To: "5001", Started: at, Ended: at.Add(time.Minute),
			OriginalID: "d1", SecondaryID: "c1"}},
			`{"event":"DialogEnded","seq":3,"data":{"id":"d1","from":"555","to":"5001","startedAt":"2026-01-02T03:04:05.000Z","endedAt":"2026-01-02T03:05:05.000Z","variables":{},` +
				`"originalId":"d1","secondaryId":"c1","consult":false}}`},
		{core.Event{Seq: 4, Kind: core.EventWrapUp, Ended: &core.CallSummary{DialogID: "d1", From: "555", To: "5001", Started: at, Ended: at.Add(time.Minute), WrapUpReason: "Sale"}},
			`{"event":"WrapUp","seq":4,"data":{"id":"d1","from":"555","to":"5001","startedAt":"2026-01-02T03:04:05.000Z","endedAt":"2026-01-02T03:05:05.000Z","wrapUpReason":"Sale","variables":{},"consult":false}}`},
		{core.Event{Seq: 4, Kind: core.EventSystem, System: &core.System{}},
			`{"event":"System","seq":4,"data":{"status":"OUT_OF_SERVICE","xmppConnected":false}}`},
	}
	for _, tt := range tests {
		got, ok := encodeEvent(tt.ev)
		if !ok || !json.Valid(got) || string(got) != tt.want {
			t.Errorf("encodeEvent(%s):\n got %s\nwant %s", tt.ev.Kind, got, tt.want)
		}
	}
	if _, ok := encodeEvent(core.Event{Seq: 5, Kind: core.EventAgent}); ok {
		t.Errorf("an event without its payload was encoded")
	}
}

func TestSummarizeWrapUp(t *testing.T) {
	ev := core.Event{Seq: 7, Kind: core.EventWrapUp, Ended: &core.CallSummary{DialogID: "d1", WrapUpReason: "Sale"}}
	_, kind, msg := summarize(ev)
	if kind != "WrapUp" || msg != `#7 call d1 wrap-up reason "Sale" (kept with the ended call)` {
		t.Errorf("summarize(WrapUp) = %q %q", kind, msg)
	}
}

// TestMediaStateJSON pins the MediaState event (blended agents' MRDs).
func TestMediaStateJSON(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ev := core.Event{Seq: 7, Kind: core.EventMedia, Media: []core.Media{
		{ID: "5000", Name: "Cisco_Chat_MRD", Description: "Chat", State: core.StateReady, Routable: true, Since: at, Tasks: 1},
		{ID: "5001", Name: "Cisco_Email_MRD", State: core.StateLogout},
	}}
	want := `{"event":"MediaState","seq":7,"data":{"media":[` +
		`{"mrdId":"5000","name":"Cisco_Chat_MRD","label":"Chat","state":"READY","routable":true,"since":"2026-01-02T03:04:05.000Z","tasks":1},` +
		`{"mrdId":"5001","name":"Cisco_Email_MRD","label":"Cisco_Email_MRD","state":"LOGOUT","routable":false,"tasks":0}]}}`
	got, ok := encodeEvent(ev)
	if !ok || string(got) != want {
		t.Fatalf("encodeEvent(MediaState):\n got %s\nwant %s", got, want)
	}
	empty, ok := encodeEvent(core.Event{Seq: 8, Kind: core.EventMedia})
	if !ok || string(empty) != `{"event":"MediaState","seq":8,"data":{"media":[]}}` {
		t.Fatalf("empty MediaState = %s", empty)
	}
}

// TestAgentPhoneJSON: a mobile agent on a chosen device.
func TestAgentPhoneJSON(t *testing.T) {
	t.Parallel()
	a := coretest.Agent("1001", "5001", core.StateNotReady)
	a.MobileMode, a.MobileDialNumber, a.ActiveDeviceID = core.MobileCallByCall, "4085551234", "CSFJP5550016"
	got, ok := encodeEvent(core.Event{Seq: 1, Kind: core.EventAgent, Agent: &a})
	want := `"mobileAgentMode":"CALL_BY_CALL","mobileDialNumber":"4085551234","activeDeviceId":"CSFJP5550016"}}`
	if !ok || !strings.HasSuffix(string(got), want) {
		t.Fatalf("AgentState = %s, want it to end %s", got, want)
	}
}

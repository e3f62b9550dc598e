package localbridge

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/agentlink/agentlink/core"
)

func decode[T any](t *testing.T, raw json.RawMessage) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return v
}

func TestClassicFlow(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.connect(t)

	hello := c.mustOK("Hello", nil)
	hr := decode[helloResult](t, hello.Result)
	if hr.Protocol != 1 || len(hr.Capabilities) == 0 {
		t.Errorf("Hello result = %+v, want protocol 1 and capabilities", hr)
	}
	sys := c.nextEvent()
	if got := decode[wireSystem](t, sys.Data).Status; sys.Event != "System" || got != "OUT_OF_SERVICE" {
		t.Errorf("after Hello got %s %s, want System OUT_OF_SERVICE (no link yet)", sys.Event, got)
	}
	r := decode[connectReply](t, c.mustOK("Connect", map[string]any{"agentId": "1001"}).Result)
	if r.Resumed || r.Snapshot == nil || r.Snapshot.Agent.LoggedIn {
		t.Fatalf("Connect = %+v, want a logged-out snapshot", r)
	}

	c.login()
	if a := decode[wireAgent](t, c.waitEvent("AgentState").Data); a.State != "NOT_READY" || a.Extension != "5001" {
		t.Errorf("after Login agent = %+v, want NOT_READY on 5001", a)
	}
	c.mustOK("SetState", map[string]any{"state": "READY"})
	if a := decode[wireAgent](t, c.waitEvent("AgentState").Data); a.State != "READY" {
		t.Errorf("after SetState agent state = %s, want READY", a.State)
	}

	h.ring("d1", "5550123", "ANSWER")
	d := decode[wireDialog](t, c.waitEvent("Dialog").Data)
	if d.ID != "d1" || d.State != "ALERTING" || !cmp.Equal(d.Actions, []string{"ANSWER"}) {
		t.Errorf("ringing dialog = %+v, want d1 ALERTING [ANSWER]", d)
	}
	steps := []struct{ cmd, wantAgentState string }{
		{"Answer", "ACTIVE"}, {"Hold", "HELD"}, {"Retrieve", "ACTIVE"},
	}
	for _, s := range steps {
		c.mustOK(s.cmd, nil) // dialogId omitted: the session picks the obvious one
		if d := decode[wireDialog](t, c.waitEvent("Dialog").Data); d.AgentState != s.wantAgentState {
			t.Errorf("after %s agentState = %s, want %s", s.cmd, d.AgentState, s.wantAgentState)
		}
	}
	c.mustOK("Release", map[string]any{"dialogId": "d1"})
	ended := decode[wireSummary](t, c.waitEvent("DialogEnded").Data)
	if ended.ID != "d1" || ended.From != "5550123" || ended.EndedAt == "" || ended.AnsweredAt == "" {
		t.Errorf("DialogEnded = %+v, want d1 from 5550123 answered and ended", ended)
	}

	// A second tab connecting now gets the lists with its snapshot.
	c2 := h.connect(t)
	r2 := c2.handshake(map[string]any{"agentId": "1001"})
	if r2.Snapshot == nil || len(r2.Snapshot.ReasonCodes["NOT_READY"]) != 1 || len(r2.Snapshot.ReasonCodes["LOGOUT"]) != 1 ||
		len(r2.Snapshot.WrapUpReasons) != 2 || r2.Snapshot.Seq == 0 {
		t.Errorf("logged-in snapshot = %+v, want both reason code lists, wrap-up reasons and a seq", r2.Snapshot)
	}
	if got := h.srv.Clients(); len(got) != 2 || got[0].Agent != "1001" || got[0].Origin != crmOrigin {
		t.Errorf("Clients() = %+v, want 2 from %s for agent 1001", got, crmOrigin)
	}
}

// TestConnectOtherAgentRefused: a toolbar set up for another agent than the
// one signed in must not see (or drive) this agent's calls; the connection
// stays usable for a Connect as the right agent.
func TestConnectOtherAgentRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.connect(t)
	c.handshake(map[string]any{"agentId": "1001"})
	c.login()
	c.waitEvent("AgentState")

	other := h.connect(t)
	other.mustOK("Hello", nil)
	f := other.call("Connect", map[string]any{"agentId": "2002"})
	if f.OK || f.Error == nil || f.Error.Code != CodeAgentMismatch {
		t.Fatalf("Connect as 2002 while 1001 is signed in = %+v, want error %s", f, CodeAgentMismatch)
	}
	if f := other.call("GetState", nil); f.OK || f.Error.Code != CodeNotConnected {
		t.Errorf("GetState after a refused Connect = %+v, want %s", f, CodeNotConnected)
	}
	if r := other.handshake(map[string]any{"agentId": "1001"}); r.Snapshot == nil || r.Snapshot.Agent.AgentID != "1001" {
		t.Errorf("Connect as the signed-in agent = %+v, want a snapshot of 1001", r)
	}
}

// TestCommandsMapToCore checks every command reaches the session as the
// right core.Command.
func TestCommandsMapToCore(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.connect(t)
	c.handshake(nil)
	c.login()
	h.ring("d1", "5550123", allActions)
	c.waitEvent("Dialog")

	tests := []struct {
		cmd  string
		args map[string]any
		want core.Command
	}{
		{"SetState", map[string]any{"state": "NOT_READY", "reasonCodeId": "11"}, core.Command{Kind: core.CmdNotReady, ReasonCodeID: "11"}},
		{"SetState", map[string]any{"state": "READY"}, core.Command{Kind: core.CmdReady}},
		{"Answer", map[string]any{"dialogId": "d1"}, core.Command{Kind: core.CmdAnswer, DialogID: "d1"}},
		{"Hold", map[string]any{"dialogId": "d1"}, core.Command{Kind: core.CmdHold, DialogID: "d1"}},
		{"Retrieve", map[string]any{"dialogId": "d1"}, core.Command{Kind: core.CmdRetrieve, DialogID: "d1"}},
		{"Consult", map[string]any{"dialogId": "d1", "number": "5002"}, core.Command{Kind: core.CmdConsult, DialogID: "d1", Number: "5002"}},
		{"Transfer", map[string]any{"dialogId": "d1"}, core.Command{Kind: core.CmdTransfer, DialogID: "d1"}},
		{"Conference", map[string]any{"dialogId": "d1"}, core.Command{Kind: core.CmdConference, DialogID: "d1"}},
		{"SingleStepTransfer", map[string]any{"dialogId": "d1", "number": "5003"}, core.Command{Kind: core.CmdSingleStepTransfer, DialogID: "d1", Number: "5003"}},
		{"SendDTMF", map[string]any{"dialogId": "d1", "digits": "12#"}, core.Command{Kind: core.CmdSendDTMF, DialogID: "d1", Digits: "12#"}},
		{"UpdateCallData", map[string]any{"dialogId": "d1", "variables": map[string]string{"b": "2", "a": "1"}},
			core.Command{Kind: core.CmdUpdateCallData, DialogID: "d1", Variables: []core.CallVariable{{Name: "a", Value: "1"}, {Name: "b", Value: "2"}}}},
		{"SetWrapUp", map[string]any{"dialogId": "d1", "reason": "Sale"}, core.Command{Kind: core.CmdWrapUp, DialogID: "d1", WrapUpReason: "Sale"}},
		{"MakeCall", map[string]any{"number": "5550199"}, core.Command{Kind: core.CmdMakeCall, Number: "5550199"}},
		{"Release", map[string]any{"dialogId": "d1"}, core.Command{Kind: core.CmdRelease, DialogID: "d1"}},
		{"Logout", map[string]any{"reasonCodeId": "22"}, core.Command{Kind: core.CmdLogout, ReasonCodeID: "22"}},
	}
	for _, tt := range tests {
		n := len(h.port.Sent())
		c.mustOK(tt.cmd, tt.args)
		sent := h.port.Sent()
		if len(sent) != n+1 {
			t.Fatalf("%s: port got %d commands, want 1", tt.cmd, len(sent)-n)
		}
		if diff := cmp.Diff(tt.want, sent[n], cmpopts.IgnoreFields(core.Command{}, "RequestID", "Extension")); diff != "" {
			t.Errorf("%s: core command mismatch (-want +got):\n%s", tt.cmd, diff)
		}
	}
	if got := h.port.Sent()[0]; got.Kind != core.CmdLogin || got.AgentID != "1001" || got.Password != "secret1" || got.Extension != "5001" {
		t.Errorf("Login sent %+v, want agent 1001 ext 5001 with its password", got)
	}
}

func TestListCommands(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.connect(t)
	c.handshake(nil)
	c.login()
	tests := []struct {
		cmd, args, want string
	}{
		{"GetReasonCodes", `{"category":"NOT_READY"}`, `{"category":"NOT_READY","reasonCodes":[{"id":"11","category":"NOT_READY","code":"1","label":"Break NOT_READY"}]}`},
		{"GetWrapUpReasons", `{}`, `{"wrapUpReasons":[{"id":"1","label":"Sale"},{"id":"2","label":"No sale"}]}`},
		{"GetPhoneBook", `{}`, `{"contacts":[{"phoneBook":"Global","firstName":"Ada","number":"5550100"}]}`},
	}
	for _, tt := range tests {
		f := c.mustOK(tt.cmd, json.RawMessage(tt.args))
		if string(f.Result) != tt.want {
			t.Errorf("%s result:\n got %s\nwant %s", tt.cmd, f.Result, tt.want)
		}
	}
	st := decode[wireSnapshot](t, c.mustOK("GetState", nil).Result)
	if st.Agent.State != "NOT_READY" || st.Seq == 0 {
		t.Errorf("GetState = %+v, want NOT_READY with a seq", st)
	}
	if f := c.mustOK("Ping", nil); !json.Valid(f.Result) {
		t.Errorf("Ping result %s", f.Result)
	}
}

func TestSystemAndErrorEvents(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.connect(t)
	c.handshake(nil)
	h.sess.Apply(core.Update{Kind: core.UpdateSystem, System: &core.System{
		Status: core.InService, Node: core.NodeB, Host: "finesse-b.example.com", XMPPConnected: true}})
	h.sess.Apply(core.Update{Kind: core.UpdateError, Err: &core.FinesseError{
		Type: "Generic Error", Message: "CF_INVALID_OBJECT_STATE", RequestID: "rq-9", DialogID: "d3"}})

	sys := c.waitEvent("System")
	if diff := cmp.Diff(wireSystem{Status: "IN_SERVICE", Node: "B", Host: "finesse-b.example.com", XMPPConnected: true},
		decode[wireSystem](t, sys.Data)); diff != "" {
		t.Errorf("System event (-want +got):\n%s", diff)
	}
	ev := c.nextEvent()
	if ev.Event != "Error" || ev.Seq != sys.Seq+1 {
		t.Fatalf("got %s #%d, want Error #%d", ev.Event, ev.Seq, sys.Seq+1)
	}
	if diff := cmp.Diff(wireFinesseError{Type: "Generic Error", Message: "CF_INVALID_OBJECT_STATE", RequestID: "rq-9", DialogID: "d3"},
		decode[wireFinesseError](t, ev.Data)); diff != "" {
		t.Errorf("Error event (-want +got):\n%s", diff)
	}
}

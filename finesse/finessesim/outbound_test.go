package finessesim

import (
	"testing"
	"time"
)

func makeCallBody(from, to string) string {
	return "<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>" + from +
		"</fromAddress><toAddress>" + to + "</toAddress></Dialog>"
}

func TestMakeCall(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, to string
		ready    bool
		want     []string
	}{
		{"external from NOT_READY", "912125550123", false, []string{
			"dialogs POST INITIATING[5001:INITIATING]", "user PUT TALKING",
			"dialog PUT INITIATED[5001:INITIATED]", "dialog PUT ALERTING[5001:INITIATED,912125550123:ALERTING]",
			"dialog PUT ACTIVE[5001:ACTIVE,912125550123:ACTIVE]"}},
		{"external from READY (UCCE 12.5, auto NOT_READY 50006)", "912125550123", true, []string{
			"user PUT NOT_READY", "dialogs POST INITIATING[5001:INITIATING]", "user PUT TALKING",
			"dialog PUT INITIATED[5001:INITIATED]", "dialog PUT ALERTING[5001:INITIATED,912125550123:ALERTING]",
			"dialog PUT ACTIVE[5001:ACTIVE,912125550123:ACTIVE]"}},
		{"busy", "555-BUSY", false, []string{
			"dialogs POST INITIATING[5001:INITIATING]", "user PUT TALKING",
			"dialog PUT INITIATED[5001:INITIATED]", "dialog PUT FAILED[5001:FAILED]"}},
		{"bad destination", "00001234", false, []string{
			"dialogs POST INITIATING[5001:INITIATING]", "user PUT TALKING",
			"dialog PUT INITIATED[5001:INITIATED]", "dialog PUT FAILED[5001:FAILED]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := startSim(t, Config{})
			a := signIn(t, s, NodeA, "1001", tc.ready)
			a.r.must(202, "POST", "/finesse/api/User/1001/Dialogs", makeCallBody("5001", tc.to), "r-mc")
			got := a.x.expect(tc.want...)
			if tc.ready {
				if rc := got[0].Data.text("reasonCodeId"); rc != "50006" {
					t.Errorf("auto NOT_READY reasonCodeId: got %q, want 50006", rc)
				}
			}
			last := got[len(got)-1]
			if want := map[string]string{"555-BUSY": "BUSY", "00001234": "BAD_DESTINATION"}[tc.to]; want != "" {
				p := last.Data.child("participants").child("Participant")
				if p.text("stateCause") != want || p.text("actions", "action") != "DROP" {
					t.Errorf("failed participant: cause %q actions %q, want %s and DROP", p.text("stateCause"), p.text("actions", "action"), want)
				}
			}
			id := last.Data.text("id")
			a.act(id, "DROP", "", "")
			end := a.x.next()
			for end.kind() != "user PUT NOT_READY" {
				end = a.x.next()
			}
		})
	}
}

// TestMakeCallToAgent rings the other agent, who answers.
func TestMakeCallToAgent(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	a := signIn(t, s, NodeA, "1001", false)
	b := signIn(t, s, NodeB, "1002", true)
	a.r.must(202, "POST", "/finesse/api/User/1001/Dialogs", makeCallBody("5001", "5002"), "")
	got := a.x.expect("dialogs POST INITIATING[5001:INITIATING]", "user PUT TALKING",
		"dialog PUT INITIATED[5001:INITIATED]", "dialog PUT ALERTING[5001:INITIATED,5002:ALERTING]")
	id := got[0].Data.text("Dialog", "id")
	if ct := got[0].Data.text("Dialog", "mediaProperties", "callType"); ct != "AGENT_INSIDE" {
		t.Errorf("callType: got %q, want AGENT_INSIDE", ct)
	}
	b.x.expect("dialogs POST ALERTING[5001:INITIATED,5002:ALERTING]")
	b.act(id, "ANSWER", "", "")
	b.x.expect("dialog PUT ACTIVE[5001:ACTIVE,5002:ACTIVE]", "user PUT TALKING")
	a.x.expect("dialog PUT ACTIVE[5001:ACTIVE,5002:ACTIVE]")
	b.act(id, "DROP", "", "")
	a.x.expect("dialog PUT ACTIVE[5001:ACTIVE,5002:DROPPED]", "dialog PUT DROPPED[5001:DROPPED,5002:DROPPED]",
		"dialogs DELETE DROPPED[5001:DROPPED,5002:DROPPED]", "user PUT NOT_READY")
	b.x.expect("dialog PUT ACTIVE[5001:ACTIVE,5002:DROPPED]", "dialog PUT DROPPED[5001:DROPPED,5002:DROPPED]",
		"dialogs DELETE DROPPED[5001:DROPPED,5002:DROPPED]", "user PUT READY")
}

// TestMakeCallErrors covers the synchronous validation of MAKE_CALL.
func TestMakeCallErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		deployment string
		ready      bool
		body       string
		status     int
		errType    string
	}{
		{"from equals to", UCCE, false, makeCallBody("5001", "5001"), 400, "Invalid Destination"},
		{"missing toAddress", UCCE, false, makeCallBody("5001", ""), 400, "Parameter Missing"},
		{"foreign fromAddress", UCCE, false, makeCallBody("5009", "123"), 400, "Invalid Input"},
		{"wrong action", UCCE, false, "<Dialog><requestedAction>ANSWER</requestedAction></Dialog>", 400, "Invalid Input"},
		{"malformed XML", UCCE, false, "<Dialog><requestedAction>", 400, "Bad Request"},
		{"UCCX from READY", UCCX, true, makeCallBody("5001", "123"), 400, "Invalid State"},
		{"UCCX mediaProperties", UCCX, false, "<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>5001</fromAddress><toAddress>123</toAddress><mediaProperties/></Dialog>", 400, "Invalid Input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := startSim(t, Config{Deployment: tc.deployment})
			a := signIn(t, s, NodeA, "1001", tc.ready)
			status, body := a.r.do("POST", "/finesse/api/User/1001/Dialogs", tc.body, "")
			if status != tc.status || mustTree(t, body).text("ApiError", "ErrorType") != tc.errType {
				t.Errorf("got %d %s, want %d %s", status, body, tc.status, tc.errType)
			}
			a.x.quiet(50 * time.Millisecond)
		})
	}
}

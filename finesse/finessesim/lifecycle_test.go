package finessesim

import (
	"testing"
	"time"
)

// answered brings agent a into an answered routed call and returns its id.
func answered(t *testing.T, s *Sim, a *agentConn) string {
	t.Helper()
	id := inject(t, s, a.id)
	a.x.expect("user PUT RESERVED", "dialogs POST ALERTING["+a.ext+":ALERTING,4085550100:INITIATED]")
	a.act(id, "ANSWER", "", "")
	a.x.expect("dialog PUT ACTIVE["+a.ext+":ACTIVE,4085550100:ACTIVE]", "user PUT TALKING")
	return id
}

func hangUp(t *testing.T, s *Sim, a *agentConn, id string) {
	t.Helper()
	if err := s.HangUp(id); err != nil {
		t.Fatalf("HangUp: %v", err)
	}
	a.x.expect("dialog PUT ACTIVE["+a.ext+":ACTIVE,4085550100:DROPPED]",
		"dialog PUT DROPPED["+a.ext+":DROPPED,4085550100:DROPPED]",
		"dialogs DELETE DROPPED["+a.ext+":DROPPED,4085550100:DROPPED]")
}

// TestWrapUp covers §8.7/§8.8: WORK_READY after a call with wrap-up,
// WORK when NOT_READY was requested during the call, the timer, and
// leaving wrap-up by request.
func TestWrapUp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		timer    time.Duration
		pending  string // state PUT during the call
		wantWrap string
		leave    string // state PUT during wrap-up ("" = wait for the timer)
		want     string
	}{
		{"timer to READY", 50 * time.Millisecond, "", "WORK_READY", "", "READY"},
		{"pending NOT_READY then timer", 50 * time.Millisecond, "NOT_READY", "WORK", "", "NOT_READY"},
		{"leave early READY", 0, "", "WORK_READY", "READY", "READY"},
		{"leave early NOT_READY", 0, "NOT_READY", "WORK", "NOT_READY", "NOT_READY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := startSim(t, Config{WrapUpTimer: tc.timer})
			a := signIn(t, s, NodeA, "1001", true)
			id := answered(t, s, a)
			if tc.pending != "" {
				a.r.setState(tc.pending, "<reasonCodeId>18</reasonCodeId>", "")
				a.x.expect("user PUT TALKING/pending=" + tc.pending)
			}
			hangUp(t, s, a, id)
			a.x.expect("user PUT " + tc.wantWrap)
			if tc.leave != "" {
				a.r.setState(tc.leave, "<reasonCodeId>18</reasonCodeId>", "")
			}
			u := a.x.expect("user PUT " + tc.want)[0]
			if tc.want == "NOT_READY" && u.Data.text("reasonCodeId") != "18" {
				t.Errorf("reasonCodeId: got %q, want 18", u.Data.text("reasonCodeId"))
			}
		})
	}
}

// TestKeepDialogInWrapUp: the dialog stays with the agent WRAP_UP and
// UPDATE_CALL_DATA allowed until wrap-up ends, then it is DELETEd.
func TestKeepDialogInWrapUp(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{KeepDialogInWrapUp: true})
	a := signIn(t, s, NodeA, "1001", true)
	id := answered(t, s, a)
	if err := s.HangUp(id); err != nil {
		t.Fatal(err)
	}
	a.x.expect("dialog PUT ACTIVE[5001:ACTIVE,4085550100:DROPPED]",
		"dialog PUT DROPPED[5001:DROPPED,4085550100:DROPPED]",
		"dialog PUT DROPPED[5001:WRAP_UP,4085550100:DROPPED]", "user PUT WORK_READY")
	a.r.action(id, "UPDATE_CALL_DATA", "<mediaProperties><wrapUpReason>Billing question</wrapUpReason></mediaProperties>", "")
	u := a.x.expect("dialog PUT DROPPED[5001:WRAP_UP,4085550100:DROPPED]")[0]
	if got := u.Data.text("mediaProperties", "wrapUpReason"); got != "Billing question" {
		t.Errorf("wrapUpReason: got %q", got)
	}
	a.r.setState("READY", "", "")
	// A User request is a step whose reference order is User first.
	a.x.expect("user PUT READY", "dialogs DELETE DROPPED[5001:DROPPED,4085550100:DROPPED]")
	a.r.must(404, "GET", "/finesse/api/Dialog/"+id, "", "")
}

// TestPendingLogout: LOGOUT during a call is pending and applied at the end.
func TestPendingLogout(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	a := signIn(t, s, NodeA, "1002", true)
	id := answered(t, s, a)
	a.r.setState("LOGOUT", "<reasonCodeId>23</reasonCodeId>", "")
	a.x.expect("user PUT TALKING/pending=LOGOUT")
	hangUp(t, s, a, id)
	u := a.x.expect("user PUT LOGOUT")[0]
	if u.Data.text("extension") != "" || u.Data.text("reasonCodeId") != "23" {
		t.Errorf("after logout: extension %q reasonCodeId %q, want empty and 23", u.Data.text("extension"), u.Data.text("reasonCodeId"))
	}
}

func TestCallerAbandonsWhileRinging(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	a := signIn(t, s, NodeA, "1001", true)
	id := inject(t, s, "1001")
	a.x.expect("user PUT RESERVED", "dialogs POST ALERTING[5001:ALERTING,4085550100:INITIATED]")
	if err := s.HangUp(id); err != nil {
		t.Fatal(err)
	}
	// Unanswered: no wrap-up even though 1001 has wrap-up enabled.
	a.x.expect("dialog PUT ALERTING[5001:ALERTING,4085550100:DROPPED]",
		"dialog PUT DROPPED[5001:DROPPED,4085550100:DROPPED]",
		"dialogs DELETE DROPPED[5001:DROPPED,4085550100:DROPPED]", "user PUT READY")
}

func TestRingNoAnswer(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{RingNoAnswer: 50 * time.Millisecond})
	a := signIn(t, s, NodeA, "1001", true)
	inject(t, s, "1001")
	a.x.expect("user PUT RESERVED", "dialogs POST ALERTING[5001:ALERTING,4085550100:INITIATED]")
	got := a.x.expect("dialogs DELETE DROPPED[5001:DROPPED,4085550100:DROPPED]", "user PUT NOT_READY")
	if rc := got[1].Data.text("reasonCodeId"); rc != "32767" || got[1].RequestID != "" {
		t.Errorf("RONA: reasonCodeId %q rid %q, want 32767 and empty", rc, got[1].RequestID)
	}
}

// TestForcedLogout: presence gone while signed in -> LOGOUT reason 255.
func TestForcedLogout(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{ForcedLogoutGrace: 100 * time.Millisecond})
	a := signIn(t, s, NodeA, "1001", true)
	// A second session keeps receiving events after both go unavailable.
	watcher := dialXMPP(t, s, NodeB, "1001", "secret1", true)
	for _, c := range []*xclient{a.x, watcher} {
		if _, err := c.c.SendOrg("<presence type='unavailable'/>"); err != nil {
			t.Fatal(err)
		}
	}
	u := watcher.expect("user PUT LOGOUT")[0]
	if rc := u.Data.text("reasonCodeId"); rc != "255" {
		t.Errorf("reasonCodeId: got %q, want 255", rc)
	}
}

// TestPresenceKeepsAgent: a presence that comes back in time prevents the
// forced logout.
func TestPresenceKeepsAgent(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{ForcedLogoutGrace: 300 * time.Millisecond})
	a := signIn(t, s, NodeA, "1001", true)
	for _, p := range []string{"<presence/>", "<presence type='unavailable'/>", "<presence/>"} {
		if _, err := a.x.c.SendOrg(p); err != nil {
			t.Fatal(err)
		}
	}
	a.x.quiet(800 * time.Millisecond) // well past the grace
	if info, _ := s.Agent("1001"); info.State != "READY" || !info.Present {
		t.Errorf("agent: got %+v, want READY and present", info)
	}
}

func TestUpdateCallDataAndDTMF(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, deployment, body string
		wantErr                string // async errorType; "" = success
	}{
		{"vars", UCCE, "<mediaProperties><callvariables><CallVariable><name>callVariable3</name><value>X</value></CallVariable><CallVariable><name>user.account</name><value>7</value></CallVariable></callvariables></mediaProperties>", ""},
		{"too long", UCCE, "<mediaProperties><callvariables><CallVariable><name>callVariable1</name><value>01234567890123456789012345678901234567890</value></CallVariable></callvariables></mediaProperties>", "Invalid Input"},
		{"bad name", UCCE, "<mediaProperties><callvariables><CallVariable><name>callVariable11</name><value>x</value></CallVariable></callvariables></mediaProperties>", "Invalid Input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := startSim(t, Config{Deployment: tc.deployment})
			a := signIn(t, s, NodeA, "1002", true)
			id := answered(t, s, a)
			a.r.action(id, "UPDATE_CALL_DATA", tc.body, "r-ucd")
			u := a.x.next()
			if tc.wantErr != "" {
				if u.kind() != "apiErrors PUT "+tc.wantErr || u.RequestID != "r-ucd" {
					t.Errorf("got %v, want async %s with r-ucd", u, tc.wantErr)
				}
				return
			}
			vars := map[string]string{}
			for _, v := range u.Data.child("mediaProperties").child("callvariables").children("CallVariable") {
				vars[v.text("name")] = v.text("value")
			}
			if vars["callVariable3"] != "X" || vars["user.account"] != "7" {
				t.Errorf("call variables after update: %v", vars)
			}
		})
	}
	t.Run("dtmf", func(t *testing.T) {
		t.Parallel()
		for _, dep := range []string{UCCE, UCCX} {
			s := startSim(t, Config{Deployment: dep})
			a := signIn(t, s, NodeA, "1002", true)
			id := answered(t, s, a)
			a.act(id, "SEND_DTMF", "<actionParams><ActionParam><name>dtmfString</name><value>12#</value></ActionParam></actionParams>", "")
			a.act(id, "SEND_DTMF", "<actionParams><ActionParam><name>dtmfString</name><value>A</value></ActionParam></actionParams>", "r-dtmf")
			if dep == UCCX {
				a.x.expect("apiErrors PUT Generic Error")
			}
			a.x.quiet(50 * time.Millisecond)
			want := map[string]string{UCCE: "12#A", UCCX: "12#"}[dep]
			if got := s.Dialogs()[0].DTMF; got != want {
				t.Errorf("%s DTMF: got %q, want %q", dep, got, want)
			}
		}
	})
}

// TestDialogActionValidation covers synchronous Dialog PUT errors.
func TestDialogActionValidation(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	a := signIn(t, s, NodeA, "1002", true)
	id := answered(t, s, a)
	for _, tc := range []struct {
		body    string
		status  int
		errType string
	}{
		{"<Dialog><requestedAction>HOLD</requestedAction></Dialog>", 400, "Parameter Missing"},
		{"<Dialog><requestedAction>HOLD</requestedAction><targetMediaAddress>5009</targetMediaAddress></Dialog>", 400, "Invalid Input"},
		{"<Dialog><requestedAction>FLY</requestedAction><targetMediaAddress>5002</targetMediaAddress></Dialog>", 400, "Invalid Input"},
		{"<Dialog><requestedAction>CONSULT_CALL</requestedAction><targetMediaAddress>5002</targetMediaAddress></Dialog>", 400, "Parameter Missing"},
		{"<Dialog><requestedAction>START_RECORDING</requestedAction><targetMediaAddress>5002</targetMediaAddress></Dialog>", 501, "Not Implemented"},
	} {
		status, body := a.r.do("PUT", "/finesse/api/Dialog/"+id, tc.body, "")
		if status != tc.status || mustTree(t, body).text("ApiError", "ErrorType") != tc.errType {
			t.Errorf("PUT %s: got %d %s, want %d %s", tc.body, status, body, tc.status, tc.errType)
		}
	}
	other := newREST(t, s, NodeA, "1003", "secret3")
	if status, _ := other.do("PUT", "/finesse/api/Dialog/"+id, "<Dialog><requestedAction>DROP</requestedAction><targetMediaAddress>5003</targetMediaAddress></Dialog>", ""); status != 401 {
		t.Errorf("foreign dialog PUT: got %d, want 401", status)
	}
}

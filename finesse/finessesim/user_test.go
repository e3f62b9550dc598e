package finessesim

import (
	"net/http"
	"testing"
	"time"
)

// TestUserRequests covers the synchronous rules of User PUT (§2.2, §8.5).
func TestUserRequests(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		cfg       Config
		before    []string // states to PUT first (each must be accepted)
		body      string
		status    int
		errType   string
		wantState string // after a 202
	}{
		{"login unknown extension", Config{}, nil, "<User><state>LOGIN</state><extension>5999</extension></User>", 400, "Invalid Input", ""},
		{"login without extension", Config{}, nil, "<User><state>LOGIN</state></User>", 400, "Parameter Missing", ""},
		{"ready while logged out", Config{}, nil, "<User><state>READY</state></User>", 400, "Invalid State", ""},
		{"missing state", Config{}, nil, "<User></User>", 400, "Parameter Missing", ""},
		{"system-only state", Config{}, []string{"LOGIN"}, "<User><state>WORK_READY</state></User>", 400, "Invalid Input", ""},
		{"malformed body", Config{}, nil, "<User>", 400, "Bad Request", ""},
		{"UCCE logout from READY", Config{}, []string{"LOGIN", "READY"}, "<User><state>LOGOUT</state></User>", 400, "Invalid State", ""},
		{"UCCX logout from READY", Config{Deployment: UCCX}, []string{"LOGIN", "READY"}, "<User><state>LOGOUT</state></User>", 202, "", "LOGOUT"},
		{"logout from NOT_READY with code", Config{}, []string{"LOGIN"}, "<User><state>LOGOUT</state><reasonCodeId>23</reasonCodeId></User>", 202, "", "LOGOUT"},
		{"reason required", Config{RequireReasonCode: true}, []string{"LOGIN", "READY"}, "<User><state>NOT_READY</state></User>", 400, "Parameter Missing", ""},
		{"reason not required", Config{}, []string{"LOGIN", "READY"}, "<User><state>NOT_READY</state></User>", 202, "", "NOT_READY"},
		{"unknown reason", Config{}, []string{"LOGIN"}, "<User><state>NOT_READY</state><reasonCodeId>99</reasonCodeId></User>", 400, "Invalid Input", ""},
		{"logout code for not ready", Config{}, []string{"LOGIN"}, "<User><state>NOT_READY</state><reasonCodeId>23</reasonCodeId></User>", 400, "Invalid Input", ""},
		{"not ready to not ready", Config{}, []string{"LOGIN"}, "<User><state>NOT_READY</state><reasonCodeId>18</reasonCodeId></User>", 202, "", "NOT_READY"},
		{"repeated login keeps state", Config{}, []string{"LOGIN", "READY"}, "<User><state>LOGIN</state><extension>5001</extension></User>", 202, "", "READY"},
		{"mobile agent", Config{}, nil, "<User><state>LOGIN</state><extension>5001</extension><mobileAgent><mode>CALL_BY_CALL</mode></mobileAgent></User>", 400, "Mode Not Allowed", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := startSim(t, tc.cfg)
			r := newREST(t, s, NodeA, "1001", "secret1")
			for _, st := range tc.before {
				extra := ""
				if st == "LOGIN" {
					extra = "<extension>5001</extension>"
				}
				r.setState(st, extra, "")
			}
			status, body := r.do("PUT", "/finesse/api/User/1001", tc.body, "")
			if status != tc.status {
				t.Fatalf("status: got %d (%s), want %d", status, body, tc.status)
			}
			if tc.errType != "" {
				if got := mustTree(t, body).text("ApiError", "ErrorType"); got != tc.errType {
					t.Errorf("ErrorType: got %q, want %q", got, tc.errType)
				}
				return
			}
			if body != "" {
				t.Errorf("202 body: got %q, want empty", body)
			}
			if got := mustTree(t, r.must(200, "GET", "/finesse/api/User/1001", "", "")).text("state"); got != tc.wantState {
				t.Errorf("state: got %q, want %q", got, tc.wantState)
			}
		})
	}
}

// TestAuth covers Basic auth, foreign users and the lock-out.
func TestAuth(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{LockoutAfter: 3, LockoutFor: time.Hour})
	errOf := func(status int, body string) string {
		return http.StatusText(status) + "/" + mustTree(t, body).text("ApiError", "ErrorType") + "/" +
			mustTree(t, body).text("ApiError", "ErrorMessage")
	}
	good := newREST(t, s, NodeA, "1001", "secret1")
	if id := mustTree(t, good.must(200, "GET", "/finesse/api/User/agent1001", "", "")).text("loginId"); id != "1001" {
		t.Errorf("GET User/{loginName}: loginId %q, want 1001", id)
	}
	if got := errOf(good.do("GET", "/finesse/api/User/1002", "", "")); got != "Unauthorized/Invalid Authorization User Specified/Invalid Authorization User Specified" {
		t.Errorf("foreign user: got %s", got)
	}
	if got := errOf(good.do("PUT", "/finesse/api/User/1002", "<User><state>READY</state></User>", "")); got != "Unauthorized/Invalid Authorization User Specified/Invalid Authorization User Specified" {
		t.Errorf("foreign user PUT: got %s", got)
	}
	bad := newREST(t, s, NodeA, "1001", "nope")
	for i := range 3 {
		if got := errOf(bad.do("GET", "/finesse/api/User/1001", "", "")); got != "Unauthorized/Authorization Failure/UNAUTHORIZED" {
			t.Errorf("wrong password %d: got %s", i, got)
		}
	}
	if got := errOf(good.do("GET", "/finesse/api/User/1001", "", "")); got != "Unauthorized/Authorization Failure/ACCOUNT_LOCKED" {
		t.Errorf("right password while locked: got %s", got)
	}
	if _, err := newGoXMPP(s, NodeA, "1001", "secret1", false); err == nil {
		t.Errorf("XMPP login while locked: got nil error")
	}
	other := newREST(t, s, NodeB, "1002", "secret2")
	other.must(200, "GET", "/finesse/api/User/1002", "", "")
	anon := newREST(t, s, NodeA, "", "")
	anon.user = ""
	req, _ := http.NewRequest("GET", anon.base+"/finesse/api/SystemInfo", nil)
	resp, err := anon.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("no credentials: got %d %q, want 401 with WWW-Authenticate", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
}

// TestConfigResources covers the configuration GETs and their errors.
func TestConfigResources(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	r := newREST(t, s, NodeB, "1001", "secret1")
	for _, tc := range []struct {
		path   string
		status int
		root   string
	}{
		{"/finesse/api/User/1001/ReasonCodes", 400, "ApiErrors"},
		{"/finesse/api/User/1001/ReasonCodes?category=BOGUS", 400, "ApiErrors"},
		{"/finesse/api/TeamResource/10/ReasonCodes?category=ALL", 200, "ReasonCodes"},
		{"/finesse/api/TeamResource/11/ReasonCodes?category=ALL", 401, "ApiErrors"},
		{"/finesse/api/User/1001/ReasonCode/17", 200, "ReasonCode"},
		{"/finesse/api/TeamResource/10/PhoneBooks", 200, "PhoneBooks"},
		{"/finesse/api/PhoneBook/9/Contacts", 404, "ApiErrors"},
		{"/finesse/api/User/1001/Queues", 200, "Queues"},
		{"/finesse/api/Queue/7002", 200, "Queue"},
		{"/finesse/api/Queue/1", 404, "ApiErrors"},
		{"/finesse/api/Nope", 404, "ApiErrors"},
		{"/finesse/api/Dialog/123", 404, "ApiErrors"},
	} {
		status, body := r.do("GET", tc.path, "", "")
		if status != tc.status || mustTree(t, body).Name != tc.root {
			t.Errorf("GET %s: got %d %s, want %d <%s>", tc.path, status, body, tc.status, tc.root)
		}
	}
}

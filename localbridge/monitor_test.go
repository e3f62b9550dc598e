package localbridge

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

func TestMonitorCookieFlags(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u, err := h.srv.MonitorURL()
	if err != nil {
		t.Fatal(err)
	}
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	sc := resp.Header.Get("Set-Cookie")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/monitor/" {
		t.Errorf("ticket exchange: %d to %q, want 303 to /monitor/", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/monitor/"} {
		if !strings.Contains(sc, want) {
			t.Errorf("Set-Cookie %q lacks %s", sc, want)
		}
	}
}

func TestMonitorExpiredTicket(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := make(chan time.Time, 1)
	clock <- now
	h := newHarness(t, func(c *Config, _ *core.Config) {
		c.Now = func() time.Time { t := <-clock; clock <- t; return t }
	})
	u, err := h.srv.MonitorURL()
	if err != nil {
		t.Fatal(err)
	}
	<-clock
	clock <- now.Add(61 * time.Second)
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("ticket after 61 s: %d, want 403", resp.StatusCode)
	}
}

// TestMonitorLive reads the SSE stream and sees a session event arrive.
func TestMonitorLive(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", h.base+"/monitor/api/events", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	next := func() monitorState {
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var st monitorState
				if err := json.Unmarshal([]byte(data), &st); err != nil {
					t.Fatal(err)
				}
				return st
			}
		}
		t.Fatalf("stream ended: %v", sc.Err())
		return monitorState{}
	}
	next()
	h.sess.Apply(coretest.AgentUpdate(coretest.Agent("1001", "5001", core.StateReady)))
	for {
		st := next()
		if st.Snapshot.Agent.State == "READY" && len(st.Log) > 0 && strings.Contains(st.Log[0].Message, "READY") {
			return
		}
	}
}

func TestStatusAndHealth(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.connect(t).mustOK("Ping", nil) // a round trip: the client is registered
	resp := h.do(t, "GET", "/v1/status", "", "", "Bearer "+testToken, nil)
	var st statusResult
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	if st.App != "agentlink" || st.Protocol != 1 || st.System.Status != "OUT_OF_SERVICE" || st.Clients != 1 {
		t.Errorf("status = %+v, want agentlink v1, OUT_OF_SERVICE, 1 client", st)
	}
	hz := h.do(t, "GET", "/healthz", "", "", "", nil)
	var m map[string]any
	if err := json.NewDecoder(hz.Body).Decode(&m); err != nil || m["ok"] != true || len(m) != 2 {
		t.Errorf("healthz = %v, %v; want only ok and app", m, err)
	}
}

func TestMonitorDecidesOrigins(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const newcomer = "https://other-crm.example.org"
	h.do(t, "GET", "/v1/status", "", newcomer, "", nil) // refused, offered to the agent
	post := func(body string, hdr http.Header) int {
		req, _ := http.NewRequest("POST", h.base+"/monitor/api/origins", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+testToken)
		for k, v := range hdr {
			req.Header[k] = v
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	tests := []struct {
		name, body string
		hdr        http.Header
		want       int
	}{
		{"cross-site browser post", `{"origin":"` + newcomer + `","allow":true}`, http.Header{"Sec-Fetch-Site": {"cross-site"}}, http.StatusForbidden},
		{"bad json", `{"origin":`, nil, http.StatusBadRequest},
		{"bad origin", `{"origin":"not an origin","allow":true}`, nil, http.StatusBadRequest},
		{"allow", `{"origin":"` + newcomer + `","allow":true,"scopes":["state","calls","dial"]}`, nil, http.StatusOK},
	}
	for _, tt := range tests {
		if got := post(tt.body, tt.hdr); got != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, got, tt.want)
		}
	}
	if resp := h.do(t, "GET", "/v1/status", "", newcomer, "", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("origin allowed from the monitor: %d, want 200", resp.StatusCode)
	}
}

// TestMonitorStateListsAreNeverNull: with no allowed origins (the demo, a
// machine with none configured yet) the page's render stopped at
// `allowedOrigins.join` on null, so the audit trail and the recent events
// never showed. Every list in the state is [] when empty.
func TestMonitorStateListsAreNeverNull(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config, _ *core.Config) { c.AllowedOrigins = nil })
	req, _ := http.NewRequest("GET", h.base+"/monitor/api/state", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st map[string]json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	for k, v := range st {
		if string(v) == "null" {
			t.Errorf("monitor state %q is null, want a list ([] when empty)", k)
		}
	}
}

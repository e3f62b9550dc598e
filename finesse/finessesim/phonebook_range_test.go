package finessesim

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// getRange GETs path as user 1001 with a Range header ("" = none).
func getRange(t *testing.T, c *restClient, path, rng string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	req.SetBasicAuth(c.user, c.pw)
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestPhoneBookRange: the team resource pages the contacts of every book
// (global first) by Range, answers 206 with Content-Range and 416 for bad
// ranges; the Contacts resource pages the same way.
func TestPhoneBookRange(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{PhoneBooks: PhoneBookConfig{LargeTeamBook: 2500, RangeRequired: true}})
	c := newREST(t, s, NodeA, "1001", "secret1")
	const team = "/finesse/api/TeamResource/10/PhoneBooks"
	for _, tc := range []struct {
		rng      string
		status   int
		contacts int
		cr       string
	}{
		{"", 400, 0, ""}, // RangeRequired: as before 12.6(2)
		{"objects=1-1000", 206, 1000, "objects 1-1000/2503"},
		{"objects=2001-3000", 206, 503, "objects 2001-2503/2503"},
		{"objects=1-6000", 200, 2503, ""},
		{"objects=2504-3000", 416, 0, ""},
		{"objects=1-6001", 416, 0, ""},
		{"objects=0-10", 416, 0, ""},
		{"bytes=1-10", 416, 0, ""},
	} {
		status, h, body := getRange(t, c, team, tc.rng)
		if status != tc.status || strings.Count(body, "<Contact>") != tc.contacts || h.Get("Content-Range") != tc.cr {
			t.Errorf("Range %q: status %d, %d contacts, Content-Range %q; want %d, %d, %q",
				tc.rng, status, strings.Count(body, "<Contact>"), h.Get("Content-Range"), tc.status, tc.contacts, tc.cr)
		}
	}
	_, _, body := getRange(t, c, team, "objects=1-3")
	if !strings.Contains(body, "<type>GLOBAL</type>") || !strings.Contains(body, "Sim Team Book") || strings.Contains(body, "Large Team Book") {
		t.Errorf("first 3 objects: %s; want the global book and the small team book only", body)
	}
	status, h, body := getRange(t, c, "/finesse/api/PhoneBook/3/Contacts", "objects=11-20")
	if status != 206 || strings.Count(body, "<Contact>") != 10 || h.Get("Content-Range") != "objects 11-20/2500" ||
		!strings.Contains(body, "7000011") {
		t.Errorf("Contacts page: %d %q %s", status, h.Get("Content-Range"), body[:min(len(body), 200)])
	}
	if books := c.must(200, "GET", "/finesse/api/User/1001/PhoneBooks", "", ""); !strings.Contains(books, "Large Team Book") {
		t.Errorf("User PhoneBooks lacks the large book: %s", books)
	}
}

// TestQueueAndTeamMessageControl: the control API sets a queue's waiting
// calls (seen by GET Queue) and posts and withdraws team messages (seen by
// GET Team/{id}/TeamMessages).
func TestQueueAndTeamMessageControl(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex // guards now
	now := time.Now()
	s := startSim(t, Config{Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	c := newREST(t, s, NodeA, "1001", "secret1")
	for _, tc := range []struct {
		method, path, body string
		status             int
	}{
		{"POST", "/queues/7001", `{"callsInQueue":3,"longestWaitSec":95}`, 204},
		{"POST", "/queues/9999", `{"callsInQueue":1}`, 404},
		{"POST", "/queues/7001", `{}`, 400},
		{"POST", "/teams/10/messages", `{"from":"Sam Super","content":"Storm","durationSec":300}`, 201},
		{"POST", "/teams/10/messages", `{"content":"  "}`, 400},
		{"DELETE", "/teams/10/messages/nope", ``, 404},
	} {
		if got := ctl(t, s, tc.method, tc.path, tc.body); got != tc.status {
			t.Errorf("%s %s %s: status %d, want %d", tc.method, tc.path, tc.body, got, tc.status)
		}
	}
	q := c.must(200, "GET", "/finesse/api/Queue/7001", "", "")
	if !strings.Contains(q, "<callsInQueue>3</callsInQueue>") || !strings.Contains(q, "<startTimeOfLongestCallInQueue>20") {
		t.Errorf("Queue 7001 = %s; want 3 waiting with a start time", q)
	}
	msgs := c.must(200, "GET", "/finesse/api/Team/10/TeamMessages", "", "")
	if !strings.Contains(msgs, "<content>Storm</content>") || !strings.Contains(msgs, "<firstName>Sam</firstName>") ||
		!strings.Contains(msgs, "<duration>300</duration>") {
		t.Errorf("TeamMessages = %s", msgs)
	}
	if got := ctl(t, s, "DELETE", "/teams/10/messages/tm-1", ""); got != 204 {
		t.Errorf("DELETE tm-1: %d", got)
	}
	if msgs := c.must(200, "GET", "/finesse/api/Team/10/TeamMessages", "", ""); strings.Contains(msgs, "Storm") {
		t.Errorf("withdrawn message still listed: %s", msgs)
	}
	if _, err := s.PostTeamMessage("10", "Sam", "short", time.Minute); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(2 * time.Minute) // past its duration
	mu.Unlock()
	if msgs := c.must(200, "GET", "/finesse/api/Team/10/TeamMessages", "", ""); strings.Contains(msgs, "short") {
		t.Errorf("expired message still listed: %s", msgs)
	}
	c.must(401, "GET", "/finesse/api/Team/11/TeamMessages", "", "")
}

func ctl(t *testing.T, s *Sim, method, path, body string) int {
	t.Helper()
	req, _ := http.NewRequest(method, s.ControlURL()+path, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

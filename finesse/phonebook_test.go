package finesse

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestSimPhoneBookPaging reads a 2500-contact team book through the team
// resource in Range pages, with and without Content-Range, and through the
// per-user fallback when the team is unknown.
func TestSimPhoneBookPaging(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cfg  finessesim.PhoneBookConfig
	}{
		{"content-range", finessesim.PhoneBookConfig{LargeTeamBook: 2500, RangeRequired: true}},
		{"no content-range", finessesim.PhoneBookConfig{LargeTeamBook: 2500, NoContentRange: true}},
		{"server caps at 1000", finessesim.PhoneBookConfig{LargeTeamBook: 2500, MaxObjects: 1000}},
		{"exact pages", finessesim.PhoneBookConfig{LargeTeamBook: 2997, NoContentRange: true}}, // 3 + 2997: last page full, then 416
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, finessesim.Config{Seed: 71, PhoneBooks: tc.cfg}, DirectTLS)
			e.login(t)
			got, err := e.link.PhoneBook(context.Background())
			if err != nil {
				t.Fatalf("PhoneBook() = %v", err)
			}
			checkBooks(t, got, 3+tc.cfg.LargeTeamBook)
			// Without a team id the link falls back to User/{id}/PhoneBooks.
			e.link.noteTeam("")
			got, err = e.link.PhoneBook(context.Background())
			if err != nil {
				t.Fatalf("PhoneBook() per user = %v", err)
			}
			checkBooks(t, got, 3+tc.cfg.LargeTeamBook)
		})
	}
}

func checkBooks(t *testing.T, got []core.Contact, want int) {
	t.Helper()
	if len(got) != want {
		t.Fatalf("PhoneBook() = %d contacts, want %d", len(got), want)
	}
	seen := map[string]bool{}
	types := map[string]int{}
	for _, c := range got {
		if seen[c.Number] {
			t.Fatalf("contact %s twice: pages overlap", c.Number)
		}
		seen[c.Number] = true
		types[c.BookType]++
	}
	if got[0].BookType != "GLOBAL" || types["TEAM"] != want-2 {
		t.Errorf("book types = %v (first %q), want 2 GLOBAL first and %d TEAM", types, got[0].BookType, want-2)
	}
	if last := got[len(got)-1]; want > 3 && last.PhoneBook != "Large Team Book" {
		t.Errorf("last contact %+v, want one of the large team book", last)
	}
}

// TestPhoneBookPagingStops: a server that keeps answering full 206 pages
// without Content-Range is stopped, with an error, not looped on forever.
func TestPhoneBookPagingStops(t *testing.T) {
	t.Parallel()
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if !strings.HasPrefix(r.Header.Get("Range"), "objects=") {
			t.Errorf("Range = %q, want objects=a-b", r.Header.Get("Range"))
		}
		var b strings.Builder
		b.WriteString("<Contacts>")
		for i := range phoneBookPage {
			fmt.Fprintf(&b, "<Contact><phoneNumber>%d</phoneNumber></Contact>", i)
		}
		b.WriteString("</Contacts>")
		w.WriteHeader(http.StatusPartialContent)
		w.Write([]byte(b.String()))
	}))
	defer srv.Close()
	r := newREST(Config{PlainHTTP: true, RESTTimeout: 5e9, Logger: testLogger(t)}, nil)
	ep := Endpoint{Host: "127.0.0.1", RESTPort: srv.Listener.Addr().(*net.TCPAddr).Port}
	n, err := r.paged(context.Background(), ep, creds{user: "u", pass: "p"}, "/finesse/api/PhoneBook/1/Contacts",
		func(b []byte) (int, error) { return strings.Count(string(b), "<Contact>"), nil })
	if err == nil || calls != maxPages || n != maxPages*phoneBookPage {
		t.Errorf("paged() = %d, %v after %d calls; want an error after %d pages", n, err, calls, maxPages)
	}
}

func TestContentRange(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in         string
		end, total int
		ok         bool
	}{
		{"objects 1-1000/2503", 1000, 2503, true},
		{"items 1001-2000/2000", 2000, 2000, true},
		{"1-5/5", 5, 5, true},
		{"objects 1-1000/*", 0, 0, false},
		{"", 0, 0, false},
	} {
		end, total, ok := contentRange(tc.in)
		if end != tc.end || total != tc.total || ok != tc.ok {
			t.Errorf("contentRange(%q) = %d, %d, %v; want %d, %d, %v", tc.in, end, total, ok, tc.end, tc.total, tc.ok)
		}
	}
}

package core_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

var dirContacts = []core.Contact{
	{PhoneBook: "Team Book", BookType: "TEAM", FirstName: "Team", LastName: "Lead", Number: "5099"},
	{PhoneBook: "Global", BookType: "GLOBAL", FirstName: "Carol", LastName: "Customer", Number: "+1 (408) 555-0100", Description: "Key account"},
	{PhoneBook: "Global", BookType: "GLOBAL", FirstName: "ada", LastName: "Lovelace", Number: "4085550111"},
	{PhoneBook: "Global", BookType: "GLOBAL", Number: "4085550199"},
}

func TestBuildDirectoryOrder(t *testing.T) {
	t.Parallel()
	got := core.BuildDirectory(dirContacts, []string{"5099", "777"})
	var names []string
	for _, e := range got {
		names = append(names, e.Book+"/"+e.Name)
	}
	want := []string{"Recent/Team Lead", "Recent/777", "Global/4085550199", "Global/ada Lovelace",
		"Global/Carol Customer", "Team Book/Team Lead"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("BuildDirectory order (-want +got):\n%s", diff)
	}
	if got[0].Kind != core.EntryRecent || got[2].Kind != core.EntryContact {
		t.Errorf("kinds = %v, %v; want recent, contact", got[0].Kind, got[2].Kind)
	}
}

func TestSearchDirectory(t *testing.T) {
	t.Parallel()
	entries := core.BuildDirectory(dirContacts, nil)
	for _, tc := range []struct {
		query string
		limit int
		want  []string
	}{
		{"", 0, []string{"4085550199", "ada Lovelace", "Carol Customer", "Team Lead"}},
		{"", 2, []string{"4085550199", "ada Lovelace"}},
		{"ADA", 0, []string{"ada Lovelace"}},
		{"carol 5550100", 0, []string{"Carol Customer"}}, // digits match a formatted number
		{"key", 0, []string{"Carol Customer"}},           // description
		{"team", 0, []string{"Team Lead"}},               // name and book
		{"555", 0, []string{"4085550199", "ada Lovelace", "Carol Customer"}},
		{"zed", 0, nil},
		{"ada zed", 0, nil}, // every word must match
	} {
		t.Run(tc.query, func(t *testing.T) {
			var got []string
			for _, e := range core.SearchDirectory(entries, tc.query, tc.limit) {
				got = append(got, e.Name)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("SearchDirectory(%q) (-want +got):\n%s", tc.query, diff)
			}
		})
	}
}

// TestRecentNumbers: accepted dial, consult and direct transfer numbers are
// remembered newest first without duplicates; a refused one is not.
func TestRecentNumbers(t *testing.T) {
	t.Parallel()
	fin := coretest.NewFinesse("1001")
	port := fin.Port()
	port.PhoneBookFunc = func(context.Context) ([]core.Contact, error) { return dirContacts, nil }
	s := core.NewSession(core.Config{Port: port, Logger: slog.New(slog.DiscardHandler)})
	fin.Attach(s)
	ctx := t.Context()
	if err := s.Login(ctx, core.LoginRequest{AgentID: "1001", Password: "pw", Extension: "5001"}); err != nil {
		t.Fatalf("Login() = %v", err)
	}
	if err := s.MakeCall(ctx, "4085550111"); err != nil {
		t.Fatalf("MakeCall() = %v", err)
	}
	if err := s.Consult(ctx, "", "5099"); err != nil {
		t.Fatalf("Consult() = %v", err)
	}
	if got, want := s.RecentNumbers(), []string{"5099", "4085550111"}; !cmp.Equal(got, want) {
		t.Errorf("RecentNumbers() = %v, want %v", got, want)
	}
	dir, err := s.Directory(ctx)
	if err != nil {
		t.Fatalf("Directory() = %v", err)
	}
	if dir[0].Name != "Team Lead" || dir[1].Name != "ada Lovelace" || dir[1].Kind != core.EntryRecent {
		t.Errorf("Directory()[:2] = %+v, want the recent numbers with contact names", dir[:2])
	}
	// The phone book failing still gives the recent numbers.
	port.PhoneBookFunc = func(context.Context) ([]core.Contact, error) { return nil, errors.New("boom") }
	dir, err = s.Directory(ctx)
	if err == nil || len(dir) != 2 {
		t.Errorf("Directory() with a failing phone book = %d entries, %v; want 2 and an error", len(dir), err)
	}
}

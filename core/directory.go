package core

import (
	"context"
	"slices"
	"strings"
	"unicode"
)

// The directory is what the agent picks a number from when dialling,
// consulting or transferring: the phone books Finesse gives (global and
// team, see finesse/phonebook.go) and the numbers the agent dialled.

// EntryKind says where a [DirectoryEntry] comes from.
type EntryKind int

// Entry kinds.
const (
	EntryContact EntryKind = iota + 1 // a phone-book contact
	EntryRecent                       // a number the agent dialled this session
)

// DirectoryEntry is one line of the directory.
type DirectoryEntry struct {
	Kind        EntryKind
	Name        string // "First Last", or the number for a recent entry
	Number      string
	Book        string // the phone book's name; "Recent" for recent numbers
	BookType    string // GLOBAL, TEAM or ""
	Description string
}

// maxRecent bounds the recent numbers kept.
const maxRecent = 20

// noteDialled remembers the number of an accepted MakeCall, Consult or
// SingleStepTransfer, newest first, without duplicates.
func (s *Session) noteDialled(cmd Command) {
	switch cmd.Kind {
	case CmdMakeCall, CmdConsult, CmdSingleStepTransfer:
	default:
		return
	}
	n := strings.TrimSpace(cmd.Number)
	if n == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recent = slices.DeleteFunc(s.recent, func(o string) bool { return o == n })
	s.recent = slices.Insert(s.recent, 0, n)
	if len(s.recent) > maxRecent {
		s.recent = s.recent[:maxRecent]
	}
}

// RecentNumbers returns the numbers the agent dialled, consulted or
// transferred to in this session, newest first.
func (s *Session) RecentNumbers() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.recent)
}

// Directory returns the agent's directory: recent numbers, then every
// phone-book contact (see [BuildDirectory]). When the phone books cannot be
// read the recent numbers still come back, with the error.
func (s *Session) Directory(ctx context.Context) ([]DirectoryEntry, error) {
	contacts, err := s.PhoneBook(ctx)
	return BuildDirectory(contacts, s.RecentNumbers()), err
}

// BuildDirectory lists recent numbers first (the ones an agent reaches for
// again), then contacts: global books before team books, each sorted by
// name. A recent number that is a contact's number carries the contact's
// name.
func BuildDirectory(contacts []Contact, recent []string) []DirectoryEntry {
	byNumber := make(map[string]Contact, len(contacts))
	for _, c := range contacts {
		if _, ok := byNumber[c.Number]; !ok {
			byNumber[c.Number] = c
		}
	}
	out := make([]DirectoryEntry, 0, len(recent)+len(contacts))
	for _, n := range recent {
		e := DirectoryEntry{Kind: EntryRecent, Name: n, Number: n, Book: "Recent"}
		if c, ok := byNumber[n]; ok {
			e.Name, e.Description = contactName(c), c.Description
		}
		out = append(out, e)
	}
	books := make([]DirectoryEntry, 0, len(contacts))
	for _, c := range contacts {
		books = append(books, DirectoryEntry{Kind: EntryContact, Name: contactName(c), Number: c.Number,
			Book: c.PhoneBook, BookType: c.BookType, Description: c.Description})
	}
	slices.SortStableFunc(books, func(a, b DirectoryEntry) int {
		if ra, rb := bookRank(a.BookType), bookRank(b.BookType); ra != rb {
			return ra - rb
		}
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return append(out, books...)
}

func bookRank(t string) int {
	switch strings.ToUpper(t) {
	case "GLOBAL":
		return 0
	case "TEAM":
		return 1
	}
	return 2
}

func contactName(c Contact) string {
	n := strings.TrimSpace(strings.TrimSpace(c.FirstName) + " " + strings.TrimSpace(c.LastName))
	if n == "" {
		return c.Number
	}
	return n
}

// SearchDirectory returns the entries matching query, at most limit (0 =
// no limit), in directory order. Every word of the query must appear in
// the name, book or description (case-insensitive), or as digits in the
// number: "ada 555" finds Ada Lovelace at +1 (555) 0100. An empty query
// matches everything.
func SearchDirectory(entries []DirectoryEntry, query string, limit int) []DirectoryEntry {
	words := strings.Fields(strings.ToLower(query))
	var out []DirectoryEntry
	for _, e := range entries {
		if matchesAll(e, words) {
			out = append(out, e)
			if limit > 0 && len(out) == limit {
				break
			}
		}
	}
	return out
}

func matchesAll(e DirectoryEntry, words []string) bool {
	text := strings.ToLower(e.Name + " " + e.Book + " " + e.Description)
	digits := onlyDigits(e.Number)
	for _, w := range words {
		if strings.Contains(text, w) || strings.Contains(strings.ToLower(e.Number), w) {
			continue
		}
		if d := onlyDigits(w); d != "" && d == strings.TrimLeft(w, "+") && strings.Contains(digits, d) {
			continue
		}
		return false
	}
	return true
}

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

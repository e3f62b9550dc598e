package finesse

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/agentlink/agentlink/core"
)

// Phone books (reference §2.7), global and team, read in pages.
//
// Finesse 12.5 prefers GET /finesse/api/TeamResource/{teamId}/PhoneBooks,
// which returns the books with their contacts embedded (global books first,
// then the team's), limited by the request header "Range: objects=a-b"
// (1-based, at most 6000 objects; required before 12.6(2)). It answers 200
// with everything, 206 Partial Content with part, or 416 for a range it
// refuses (developer.cisco.com/docs/finesse/teamresource—get-phone-books).
// The Content-Range answer header is not documented: when it is there
// ("objects a-b/total") paging stops at total, otherwise at the first
// short page or a 416. The deprecated User/{id}/PhoneBooks (book summaries)
// plus PhoneBook/{id}/Contacts is the fallback: when the team is unknown,
// when the team resource is missing (older releases), and when the team
// resource stopped at its 6000-contact ceiling. Its contacts are asked for
// with the same Range header, which a server that ignores it answers with
// 200 and everything.

// phoneBookPage is how many contacts one request asks for.
const phoneBookPage = 1000

// maxTeamObjects is the team resource's documented ceiling.
const maxTeamObjects = 6000

// PhoneBook GETs the agent's global and team phone books and their
// contacts (core.Port).
func (l *Link) PhoneBook(ctx context.Context) ([]core.Contact, error) {
	ep, c, err := l.target()
	if err != nil {
		return nil, err
	}
	if team := l.teamID(); team != "" {
		out, complete, err := l.teamPhoneBooks(ctx, ep, c, team)
		switch {
		case err == nil && complete:
			return out, nil
		case err != nil && !teamResourceMissing(err):
			return nil, err
		}
	}
	return l.userPhoneBooks(ctx, ep, c)
}

func (l *Link) noteTeam(team string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.team = strings.TrimSpace(team)
}

func (l *Link) teamID() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.team
}

// teamResourceMissing reports whether err says the server has no team
// resource for us (an older Finesse, or a team it does not know), so the
// per-user endpoints are worth a try.
func teamResourceMissing(err error) bool {
	var fe *core.FinesseError
	if !errors.As(err, &fe) {
		return false
	}
	switch fe.Status {
	case http.StatusBadRequest, http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusNotImplemented:
		return true
	}
	return false
}

type wireTeamPhoneBooks struct {
	Books []wireTeamPhoneBook `xml:"phonebook"`
}

type wireTeamPhoneBook struct {
	URI      string        `xml:"uri"`
	Name     string        `xml:"name"`
	Type     string        `xml:"type"`
	Contacts []wireContact `xml:"contacts>contact"`
}

// teamPhoneBooks pages through the team resource. complete is false when
// it stopped at the 6000-contact ceiling (more may exist).
func (l *Link) teamPhoneBooks(ctx context.Context, ep Endpoint, c creds, team string) ([]core.Contact, bool, error) {
	path := "/finesse/api/TeamResource/" + url.PathEscape(team) + "/PhoneBooks"
	var out []core.Contact
	n, err := l.rest.paged(ctx, ep, c, path, func(body []byte) (int, error) {
		var w wireTeamPhoneBooks
		if err := decodeXML(body, "PhoneBooks", &w); err != nil {
			return 0, err
		}
		got := 0
		for _, b := range w.Books {
			out = append(out, contactsFromWire(b.Name, &wireContacts{Contacts: b.Contacts})...)
			tagBookType(out[len(out)-len(b.Contacts):], b.Type)
			got += len(b.Contacts)
		}
		return got, nil
	})
	if err != nil {
		return nil, false, err
	}
	return out, n < maxTeamObjects, nil
}

// userPhoneBooks lists the books, then pages through each book's contacts.
func (l *Link) userPhoneBooks(ctx context.Context, ep Endpoint, c creds) ([]core.Contact, error) {
	books, err := l.rest.phoneBooks(ctx, ep, c)
	if err != nil {
		return nil, err
	}
	var out []core.Contact
	for _, b := range books.Books {
		_, err := l.rest.paged(ctx, ep, c, contactsPath(b), func(body []byte) (int, error) {
			var w wireContacts
			if err := decodeXML(body, "Contacts", &w); err != nil {
				return 0, err
			}
			out = append(out, contactsFromWire(b.Name, &w)...)
			tagBookType(out[len(out)-len(w.Contacts):], b.Type)
			return len(w.Contacts), nil
		})
		if err != nil {
			return nil, fmt.Errorf("phone book %q: %w", b.Name, err)
		}
	}
	return out, nil
}

func tagBookType(cs []core.Contact, t string) {
	t = strings.ToUpper(strings.TrimSpace(t))
	for i := range cs {
		cs[i].BookType = t
	}
}

// maxPages stops a server that keeps answering 206 with full pages
// forever: 60 pages is ten times the largest book Finesse allows.
const maxPages = 60

// paged GETs path in Range pages of phoneBookPage objects and hands each
// body to page, which returns how many objects it held. It returns the
// number of objects read.
func (r *restClient) paged(ctx context.Context, ep Endpoint, c creds, path string, page func([]byte) (int, error)) (int, error) {
	total := 0
	for i, from := 0, 1; i < maxPages; i, from = i+1, from+phoneBookPage {
		to := from + phoneBookPage - 1
		x := &exchange{header: map[string]string{"Range": fmt.Sprintf("objects=%d-%d", from, to)}}
		body, err := r.call(ctx, ep, c, http.MethodGet, path, nil, "", x)
		if err != nil {
			if from > 1 && x.status == http.StatusRequestedRangeNotSatisfiable {
				return total, nil // the last page was exactly full
			}
			return total, err
		}
		n, err := page(body)
		if err != nil {
			return total, fmt.Errorf("finesse: GET %s: %w", path, err)
		}
		total += n
		if x.status != http.StatusPartialContent || n == 0 {
			return total, nil // 200: the server sent everything
		}
		if end, size, ok := contentRange(x.got.Get("Content-Range")); ok {
			if end >= size {
				return total, nil
			}
			continue
		}
		if n < phoneBookPage {
			return total, nil
		}
	}
	return total, fmt.Errorf("finesse: GET %s: more than %d pages", path, maxPages)
}

// contentRange parses "objects a-b/total" (also "items", or a missing
// unit) and returns b and total.
func contentRange(h string) (end, total int, ok bool) {
	h = strings.TrimSpace(h)
	if i := strings.IndexByte(h, ' '); i >= 0 {
		h = h[i+1:]
	}
	span, size, found := strings.Cut(h, "/")
	_, last, found2 := strings.Cut(span, "-")
	if !found || !found2 {
		return 0, 0, false
	}
	end, err1 := strconv.Atoi(strings.TrimSpace(last))
	total, err2 := strconv.Atoi(strings.TrimSpace(size))
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return end, total, true
}

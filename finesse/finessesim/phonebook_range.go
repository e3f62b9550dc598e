package finessesim

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// Phone books (reference §2.7) and the Range paging of
// TeamResource/{teamId}/PhoneBooks. Cisco documents the request header
// "Range: objects=1-6000", the answers 200, 206 Partial Content and 416
// (range must be 1–6000 objects), and that the range was required before
// 12.6(2). It does not document the Content-Range answer header nor Range
// on PhoneBook/{id}/Contacts; the simulator answers both, and
// PhoneBookConfig switches what is unverified.

// PhoneBookConfig configures the simulated phone books.
type PhoneBookConfig struct {
	// LargeTeamBook adds a TEAM book "Large Team Book" (id 3) with this many
	// generated contacts to exercise paging. 0 = none.
	LargeTeamBook int
	// RangeRequired answers TeamResource PhoneBooks without a Range header
	// with 400, as releases before 12.6(2) are said to (unverified how).
	RangeRequired bool
	// NoContentRange leaves the Content-Range header off partial answers
	// (whether Finesse sends it is not documented); clients must then page
	// until a short page.
	NoContentRange bool
	// MaxObjects is the largest range accepted (416 beyond); default 6000.
	MaxObjects int
}

func (c PhoneBookConfig) maxObjects() int {
	if c.MaxObjects <= 0 {
		return 6000
	}
	return c.MaxObjects
}

const largeBookID = "3"

// booksFor returns the global books and the team books of team, in
// Finesse's order (global first).
func (s *Sim) booksFor(team string) []wirePhoneBook {
	var out []wirePhoneBook
	for _, b := range phoneBooks {
		if b.Type == "GLOBAL" || team == "10" { // the built-in team book belongs to team 10
			out = append(out, b)
		}
	}
	if s.cfg.PhoneBooks.LargeTeamBook > 0 {
		out = append(out, wirePhoneBook{URI: "/finesse/api/PhoneBook/" + largeBookID, Name: "Large Team Book",
			Type: "TEAM", Contacts: "/finesse/api/PhoneBook/" + largeBookID + "/Contacts"})
	}
	return out
}

// bookContacts returns a book's contacts; the large book's are generated.
func (s *Sim) bookContacts(id string) ([]wireContact, bool) {
	if id == largeBookID && s.cfg.PhoneBooks.LargeTeamBook > 0 {
		out := make([]wireContact, s.cfg.PhoneBooks.LargeTeamBook)
		for i := range out {
			out[i] = wireContact{FirstName: fmt.Sprintf("Contact%05d", i+1), LastName: "Large",
				PhoneNumber: fmt.Sprintf("7%06d", i+1), Description: "generated",
				URI: fmt.Sprintf("/finesse/api/PhoneBook/%s/Contact/%d", id, 1000+i)}
		}
		return out, true
	}
	list, ok := contacts[id]
	return list, ok
}

func (s *Sim) agentTeam(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.agents[id]; a != nil {
		return a.cfg.TeamID
	}
	return ""
}

// getUserPhoneBooks serves the deprecated User/{id}/PhoneBooks: the book
// summaries, contacts by uri.
func (n *Node) getUserPhoneBooks(w http.ResponseWriter, r *http.Request) {
	if id, ok := ownUser(w, r); ok {
		writeXML(w, wirePhoneBooks{Books: n.sim.booksFor(n.sim.agentTeam(id))}, "PhoneBooks")
	}
}

// pagedBook is a PhoneBook with its contacts embedded, as
// TeamResource/{teamId}/PhoneBooks returns it.
type pagedBook struct {
	URI      string        `xml:"uri"`
	Name     string        `xml:"name"`
	Type     string        `xml:"type"`
	Contacts []wireContact `xml:"Contacts>Contact"`
}

// getTeamPhoneBooks serves TeamResource/{teamId}/PhoneBooks: books with
// their contacts embedded, the contacts of all books counted together for
// Range (global books first).
func (n *Node) getTeamPhoneBooks(w http.ResponseWriter, r *http.Request) {
	if !n.teamMember(w, r) {
		return
	}
	cfg := n.sim.cfg.PhoneBooks
	if cfg.RangeRequired && r.Header.Get("Range") == "" {
		writeAPIError(w, http.StatusBadRequest, "Bad Request", "Range header required (objects=1-6000)", "")
		return
	}
	var all []pagedBook
	total := 0
	for _, b := range n.sim.booksFor(r.PathValue("tid")) {
		cs, _ := n.sim.bookContacts(lastPart(b.URI))
		all = append(all, pagedBook{URI: b.URI, Name: b.Name, Type: b.Type, Contacts: cs})
		total += len(cs)
	}
	from, to, ok := n.rangeOf(w, r, total)
	if !ok {
		return
	}
	var page []pagedBook
	seen := 0
	for _, b := range all {
		lo, hi := max(from-1-seen, 0), min(to-seen, len(b.Contacts))
		seen += len(b.Contacts)
		if lo < hi {
			b.Contacts = b.Contacts[lo:hi]
			page = append(page, b)
		}
	}
	writePage(w, cfg, struct {
		Books []pagedBook `xml:"PhoneBook"`
	}{page}, "PhoneBooks", from, to, total)
}

// getContacts serves PhoneBook/{id}/Contacts, honouring Range like the
// team resource does (Cisco does not document Range here).
func (n *Node) getContacts(w http.ResponseWriter, r *http.Request) {
	list, ok := n.sim.bookContacts(r.PathValue("pid"))
	if !ok {
		writeAPIError(w, http.StatusNotFound, "Not Found", "Phone book not found", r.PathValue("pid"))
		return
	}
	from, to, ok := n.rangeOf(w, r, len(list))
	if !ok {
		return
	}
	writePage(w, n.sim.cfg.PhoneBooks, wireContacts{Contacts: list[from-1 : to]}, "Contacts", from, to, len(list))
}

var rangeRE = regexp.MustCompile(`^objects=(\d+)-(\d+)$`)

// rangeOf reads "Range: objects=a-b" (1-based, inclusive) and clips it to
// total. No header means everything up to MaxObjects. A malformed or
// oversized range, or one starting past the end, is answered 416.
func (n *Node) rangeOf(w http.ResponseWriter, r *http.Request, total int) (from, to int, ok bool) {
	limit := n.sim.cfg.PhoneBooks.maxObjects()
	h := strings.TrimSpace(r.Header.Get("Range"))
	if h == "" {
		return 1, min(total, limit), true
	}
	m := rangeRE.FindStringSubmatch(strings.ReplaceAll(h, " ", ""))
	if m != nil {
		from, _ = strconv.Atoi(m[1])
		to, _ = strconv.Atoi(m[2])
	}
	if m == nil || from < 1 || to < from || to-from+1 > limit || (from > total && total > 0) {
		writeAPIError(w, http.StatusRequestedRangeNotSatisfiable, "Invalid Range Specified",
			fmt.Sprintf("Range must be 1-%d objects", limit), h)
		return 0, 0, false
	}
	return from, min(to, total), true
}

// writePage answers 200 with everything, or 206 with a Content-Range of
// the objects sent when there are more.
func writePage(w http.ResponseWriter, cfg PhoneBookConfig, v any, root string, from, to, total int) {
	body := encodeRoot(v, root)
	w.Header().Set("Content-Type", "application/xml")
	status := http.StatusOK
	if from > 1 || to < total {
		status = http.StatusPartialContent
		if !cfg.NoContentRange {
			w.Header().Set("Content-Range", fmt.Sprintf("objects %d-%d/%d", from, to, total))
		}
	}
	w.WriteHeader(status)
	w.Write(body)
}

func lastPart(uri string) string { return uri[strings.LastIndex(uri, "/")+1:] }

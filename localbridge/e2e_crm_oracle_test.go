package localbridge_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"github.com/agentlink/agentlink/assets"
	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
	"github.com/agentlink/agentlink/localbridge"
)

// TestOracleAdapter runs the Browser UI extensions (init.html, pane.html
// and dial.html from the zip the bridge serves for upload, the adapter
// module from the bridge) inside a
// stand-in for the Oracle B2C Service Agent Browser UI
// (testdata/crm/oracle-host.html, a stand-in extension_loader.js) and a
// stand-in for the site's Connect REST API, in two tabs of real Chromium,
// against the simulator. ROQL finds one contact (its workspace opens), an
// incident by a call variable, two contacts (a pick list) or none (a new
// contact with the number; saved by the agent, the call is logged on it);
// a consult leg makes no call at all; the transferred call's note names the
// original; a workspace's Dial button (through the Workspace extension
// dial.html) and a global action dial the normalised number; each call becomes exactly one note with its
// disposition, from the tab with the lease only.
func TestOracleAdapter(t *testing.T) {
	ctx := browser(t)
	site := startOSvCSite(t)
	c := startChain(t, nil, withDialPlan, func(c *chain, cfg *localbridge.Config) {
		cfg.AllowedOrigins = append(cfg.AllowedOrigins, site.origin())
		site.bridge = func() string { return c.srv.Addr() } // c.srv exists once the page asks
	})
	tab := site.open(t, ctx, c)
	tab.until("the init file adds the left side pane", `crmCalls.some(c => c.method === "renderSidePane" && c.frame === "ext" &&
		c.args[0].side === "left" && c.args[0].id === "agentlink" && c.args[0].contentUrl.endsWith("/ext/agentlink/pane.html"))`)
	tab.until("the pane's adapter is ready", `crmCalls.some(c => c.method === "registerAction" && c.frame === "pane")`)
	c.waitClients(t, 2)
	ctx2, cancel := chromedp.NewContext(ctx)
	defer cancel()
	tab2 := site.open(t, ctx2, c)
	tab2.until("tab 2's adapter is ready", `crmCalls.some(c => c.method === "registerAction" && c.frame === "pane")`)
	c.waitClients(t, 4)
	tab.phone("sign in and Ready", `await al.login({agentId: "1001", extension: "5001"}); await al.setState("READY")`)

	one := inject(t, c, "1001", "(415) 555-0001")
	site.until(t, "ROQL by phone", func(cs []osvcCall) bool {
		return anyCall(cs, "GET", "queryResults", "FROM contacts WHERE Phones.PhoneList.RawNumber IN ('14155550001', '4155550001')")
	})
	tab.until("one match opens the contact", `crmCalls.some(c => c.method === "editWorkspaceRecord" && c.args[0] === "Contact" && c.args[1] === 12)`)
	tab.until("the pane opens and the caller shows", `crmCalls.some(c => c.method === "expandSidePane" && c.frame === "pane") &&
		crmCalls.some(c => c.method === "showNotification" && c.args[0].message === "Incoming call from +14155550001")`)
	tab.phone("answer", `await al.answer("`+one+`")`)
	tab.wrapUp(one, "Sale")
	site.until(t, "a note with the disposition on the contact", func(cs []osvcCall) bool {
		return anyCall(cs, "PATCH", "contacts/12", "Inbound call +14155550001", "Disposition: Sale", "Finesse call "+one)
	})

	ref := inject(t, c, "1001", "(415) 555-0001", finessesim.Var{Name: "user.incident.ref", Value: "240101-000001"})
	tab.until("the call variable opens the incident", `crmCalls.some(c => c.method === "editWorkspaceRecord" && c.args[0] === "Incident" && c.args[1] === 88)`)
	hangUp(t, c, ref)
	site.until(t, "a Note thread on the incident", func(cs []osvcCall) bool {
		return anyCall(cs, "PATCH", "incidents/88", `"entryType":{"lookupName":"Note"}`, "Finesse call "+ref)
	})
	tab.phone("Ready", `await al.setState("READY")`)

	oracleBadReference(t, c, tab, site)

	many := inject(t, c, "1001", "415.555.0002")
	pn := pane(t, ctx)
	pn.wait("two matches: a pick list", `#choices button[data-id="21"]`)
	pn.click("pick Ben", `#choices button[data-id="22"]`)
	tab.until("the picked contact opens", `crmCalls.some(c => c.method === "editWorkspaceRecord" && c.args[1] === 22)`)
	hangUp(t, c, many)
	site.until(t, "the missed call's note on Ben", func(cs []osvcCall) bool { return anyCall(cs, "PATCH", "contacts/22", many) })
	tab.phone("Ready", `await al.setState("READY")`)

	none := oracleNewContact(t, c, tab, site)

	oracleConsultAndTransfer(t, c, tab, site)
	oracleClickToDial(t, c, tab, site)
	tab.until("the stand-in lists the notes", `document.querySelectorAll("#notes tr").length === 8`)
	crmScreenshot(t, ctx, "crm-oracle.png")

	for _, id := range []string{one, ref, many, none} {
		if n := site.count(id); n != 1 {
			t.Errorf("call %s logged %d times, want once", id, n)
		}
	}
	if n := site.count("Finesse call "); n != 8 {
		t.Errorf("%d notes, want 8 (one per customer call)", n)
	}
	var others int
	tab2.eval("tab 2 calls", `crmCalls.filter(c => ["editWorkspaceRecord", "createWorkspaceRecord", "updateField", "showNotification", "expandSidePane"].includes(c.method) && c.frame === "pane").length`, &others)
	if others != 0 {
		t.Errorf("the tab without the lease made %d workspace calls, want 0", others)
	}
}

// hangUp ends a call from the caller's side.
func hangUp(t *testing.T, c *chain, id string) {
	t.Helper()
	if err := c.sim.HangUp(id); err != nil {
		t.Fatal(err)
	}
}

// oracleNewContact: a caller with no record gets a new contact form with
// the number; the agent saves it during the call, and the call's note goes
// on that contact.
func oracleNewContact(t *testing.T, c *chain, tab *crmTab, site *osvcSite) string {
	t.Helper()
	none := inject(t, c, "1001", "415 555 9999")
	tab.until("no match: a new contact with the number", `crmCalls.some(c => c.method === "createWorkspaceRecord" && c.args[0] === "Contact") &&
		crmCalls.some(c => c.method === "updateField" && c.args[1] === "Contact.PhOffice" && c.args[2] === "+14155559999")`)
	var saved int
	tab.eval("the agent saves the new contact", `saveDraft()`, &saved)
	tab.until("the adapter knows the saved contact", fmt.Sprintf(
		`document.getElementById("pane").contentWindow.agentlinkAdapter.calls.get(%q)?.record?.id === %d`, none, saved))
	hangUp(t, c, none)
	site.until(t, "the note on the contact the agent saved", func(cs []osvcCall) bool {
		return anyCall(cs, "PATCH", fmt.Sprintf("contacts/%d", saved), none)
	})
	tab.phone("Ready", `await al.setState("READY")`)
	return none
}

// oracleBadReference: an incident reference with quotes (ROQL has no bind
// parameters) is not searched; the pane says why, and the caller's contact
// opens and gets the note all the same.
func oracleBadReference(t *testing.T, c *chain, tab *crmTab, site *osvcSite) {
	t.Helper()
	before := 0
	tab.eval("Browser UI calls so far", `crmCalls.length`, &before)
	bad := inject(t, c, "1001", "(415) 555-0001", finessesim.Var{Name: "user.incident.ref", Value: "1' OR '1'='1"})
	tab.until("the contact opens", `crmCalls.slice(`+itoa(before)+`).some(c => c.method === "editWorkspaceRecord" && c.args[1] === 12)`)
	tab.until("the pane says why", `document.getElementById("pane").contentWindow.document.querySelector("#activity .error")?.textContent.includes("has a quote: not searched")`)
	hangUp(t, c, bad)
	site.until(t, "its note on the contact", func(cs []osvcCall) bool { return anyCall(cs, "PATCH", "contacts/12", "Finesse call "+bad) })
	tab.phone("Ready", `await al.setState("READY")`)
	for _, q := range site.snapshot() {
		if strings.Contains(q.Query, "OR '1'") {
			t.Errorf("a quoted value reached ROQL: %s", q.Query)
		}
	}
}

// pane is the AgentLink side pane in the Browser UI stand-in.
func pane(t *testing.T, ctx context.Context) *toolbar {
	t.Helper()
	var frames []*cdp.Node
	if err := chromedp.Run(ctx, chromedp.Nodes("iframe#pane", &frames, chromedp.ByQuery)); err != nil {
		t.Fatalf("find the side pane: %v", err)
	}
	return &toolbar{t: t, ctx: ctx, frame: frames[0]}
}

// oracleConsultAndTransfer: agent 1002 consults agent 1001 (no call to the
// Browser UI or REST for the consult leg) and transfers the call; 1001's
// note names the original call.
func oracleConsultAndTransfer(t *testing.T, c *chain, tab *crmTab, site *osvcSite) {
	t.Helper()
	bob := agentSession(t, c, "1002", "secret2", "5002")
	orig := inject(t, c, "1002", "4155550001")
	run(t, bob, core.Command{Kind: core.CmdAnswer, DialogID: orig})
	before, restBefore := 0, site.len()
	tab.eval("Browser UI calls so far", `crmCalls.length`, &before)
	run(t, bob, core.Command{Kind: core.CmdConsult, DialogID: orig, Number: "5001"})
	tab.until("the consult rings at 1001", `(window.consultId = al.lastDialogs.find(d => d.callType === "CONSULT")?.id)`)
	tab.phone("answer the consult", `await al.answer(window.consultId)`)
	var during int
	tab.eval("Browser UI calls during the consult", `crmCalls.length`, &during)
	if during != before || site.len() != restBefore {
		t.Errorf("the consult leg made %d Browser UI and %d REST calls, want 0", during-before, site.len()-restBefore)
	}
	run(t, bob, core.Command{Kind: core.CmdTransfer, DialogID: orig})
	tab.until("the transferred call opens the contact", `crmCalls.slice(`+itoa(before)+`).some(c => c.method === "editWorkspaceRecord" && c.args[1] === 12)`)
	tab.phone("hang up", `await al.release("`+orig+`"); await al.setState("READY")`)
	site.until(t, "its note names the original", func(cs []osvcCall) bool {
		return anyCall(cs, "PATCH", "contacts/12", "Transferred call; original call "+orig)
	})
}

// oracleClickToDial: the workspace's Dial button (a named event) dials the
// contact's formatted office phone, normalised, and the call is logged on
// that contact; a global action dials a number no contact has, and the
// call's note goes on a new contact.
func oracleClickToDial(t *testing.T, c *chain, tab *crmTab, site *osvcSite) {
	t.Helper()
	tab.eval("click Dial on the workspace", `document.getElementById("dial").click(); true`, nil)
	tab.until("the Workspace extension asks the pane to dial", `crmCalls.some(c => c.method === "invokeAction" && c.frame === "ws" &&
		c.args[0] === "AgentLink.dial" && c.args[1].number === "+1 (212) 555-0199" && c.args[1].recordType === "Contact" && c.args[1].recordId === 31)`)
	tab.until("Finesse dials the normalised number", `al.lastDialogs.some(d => d.to === "+12125550199")`)
	tab.phone("hang up", `await al.release(al.lastDialogs.find(d => d.to === "+12125550199").id)`)
	site.until(t, "an outbound note on the contact dialled", func(cs []osvcCall) bool {
		return anyCall(cs, "PATCH", "contacts/31", "Outbound call +12125550199")
	})
	tab.phone("Ready", `await al.setState("READY")`)
	tab.eval("another extension invokes the dial action", `invokeAction("AgentLink.dial", {number: "(646) 555-0142"}); true`, nil)
	tab.until("Finesse dials it", `al.lastDialogs.some(d => d.to === "+16465550142")`)
	tab.phone("hang up", `await al.release(al.lastDialogs.find(d => d.to === "+16465550142").id)`)
	site.until(t, "the dialled number is looked up", func(cs []osvcCall) bool {
		return anyCall(cs, "GET", "queryResults", "IN ('16465550142', '6465550142')")
	})
	site.until(t, "a new contact with the note", func(cs []osvcCall) bool {
		return anyCall(cs, "POST", "contacts", `"number":"+16465550142"`, "Outbound call +16465550142")
	})
	tab.phone("Ready", `await al.setState("READY")`)
}

// osvcSite is a stand-in for an Oracle B2C Service site: the Browser UI
// page, the extension files as the Add-In Manager serves them, and the
// Connect REST API (ROQL from fixtures; notes and threads recorded).
type osvcSite struct {
	srv    *httptest.Server
	bridge func() string
	mu     sync.Mutex
	calls  []osvcCall
	nextID int
	lose   bool // the next note is saved but its answer never sent
}

// osvcCall is one REST request the site got: when, and the id of the
// contact a POST made.
type osvcCall struct {
	Method, Path, Query, Body string
	At                        time.Time
	ID                        int
}

type osvcRecord struct {
	id          int
	name, match string // match: RawNumber or ReferenceNumber
}

var osvcContacts = []osvcRecord{
	{12, "Ada Lovelace", "14155550001"}, {21, "Bea Brown", "4155550002"},
	{22, "Ben Brown", "14155550002"}, {31, "Globex front desk", "12125550199"},
}
var osvcIncidents = []osvcRecord{{88, "Broken widget", "240101-000001"}}

func startOSvCSite(t *testing.T) *osvcSite {
	t.Helper()
	s := &osvcSite{nextID: 900}
	sdk, _ := fs.Sub(assets.Web, "sdk")
	mux := http.NewServeMux()
	mux.HandleFunc("/bui.html", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, "testdata/crm/oracle-host.html") })
	mux.HandleFunc("/AgentWeb/module/extensibility/js/client/core/extension_loader.js", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, "testdata/crm/oracle/extension_loader.js")
	})
	mux.HandleFunc("/ext/agentlink/config.json", func(w http.ResponseWriter, _ *http.Request) {
		writeTestJSON(w, http.StatusOK, map[string]any{"bridge": s.bridge(), "incidentVar": "user.incident.ref"})
	})
	mux.HandleFunc("/ext/agentlink/", s.serveUploaded) // the zip from the bridge, as the Add-In Manager serves it
	mux.Handle("/sdk/", http.StripPrefix("/sdk/", http.FileServerFS(sdk)))
	mux.HandleFunc("/services/rest/connect/v1.4/", s.serveREST)
	mux.HandleFunc("/fake/notes", s.serveNotes)
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *osvcSite) origin() string { return s.srv.URL }

// serveUploaded serves the files of the extension zip the bridge offers
// for upload (GET /crm/oracle/addin.zip), fetched on each request.
func (s *osvcSite) serveUploaded(w http.ResponseWriter, r *http.Request) {
	resp, err := http.Get("http://" + s.bridge() + "/crm/oracle/addin.zip")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		http.Error(w, "the bridge's extension zip: "+err.Error(), http.StatusBadGateway)
		return
	}
	f, err := zr.Open(strings.TrimPrefix(r.URL.Path, "/ext/agentlink/"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = io.Copy(w, f)
}

func (s *osvcSite) open(t *testing.T, ctx context.Context, c *chain) *crmTab {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Navigate(s.srv.URL+"/bui.html?bridge="+c.srv.Addr())); err != nil {
		t.Fatalf("open the Browser UI stand-in: %v", err)
	}
	return &crmTab{t: t, ctx: ctx}
}

var roqlQuery = regexp.MustCompile(`^SELECT .+ FROM (\w+) WHERE (\S+) IN \((.*)\)$`)
var roqlValue = regexp.MustCompile(`'([^']*)'`)

func (s *osvcSite) serveREST(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/services/rest/connect/v1.4/")
	body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if r.Header.Get("Authorization") != "Session sess-42" || r.Header.Get("OSvC-CREST-Application-Context") == "" {
		writeTestJSON(w, http.StatusUnauthorized, map[string]string{"title": "not signed in"})
		return
	}
	s.mu.Lock()
	s.nextID++
	id := s.nextID
	s.calls = append(s.calls, osvcCall{Method: r.Method, Path: strings.TrimSuffix(path, "/"), Query: r.URL.Query().Get("query"),
		Body: string(body), At: time.Now(), ID: id})
	lose := s.lose && r.Method != http.MethodGet
	if lose {
		s.lose = false
	}
	s.mu.Unlock()
	if lose { // saved; the answer is lost with the page that waits for it
		select {
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
		return
	}
	switch {
	case r.Method == http.MethodGet && strings.HasPrefix(path, "queryResults"):
		s.answerROQL(w, r.URL.Query().Get("query"))
	case r.Method == http.MethodPatch && (strings.HasPrefix(path, "contacts/") || strings.HasPrefix(path, "incidents/")):
		w.WriteHeader(http.StatusOK)
	case r.Method == http.MethodPost && path == "contacts":
		writeTestJSON(w, http.StatusCreated, map[string]any{"id": id, "lookupName": "Caller"})
	default:
		writeTestJSON(w, http.StatusNotFound, map[string]string{"title": "no such resource " + path})
	}
}

// roqlFind is the adapter's findLog query: notes or Note threads holding
// a call's reference line, created since a time.
// The stand-in's agent is account 7 (extension_loader.js getAccountId).
var roqlFind = regexp.MustCompile(`^SELECT ID FROM (contacts|incidents) WHERE (Notes|Threads)\.Text LIKE '%([^'%]+)%' AND (?:Notes\.CreatedByAccount|Threads\.Account)\.ID = 7 AND (?:Notes|Threads)\.CreatedTime >= '([^']+)'$`)

func (s *osvcSite) answerROQL(w http.ResponseWriter, query string) {
	if f := roqlFind.FindStringSubmatch(query); f != nil {
		s.answerFind(w, f[1], f[3], f[4])
		return
	}
	m := roqlQuery.FindStringSubmatch(query)
	if m == nil {
		writeTestJSON(w, http.StatusBadRequest, map[string]string{"title": "ROQL the stand-in does not know: " + query})
		return
	}
	want := map[string]bool{}
	for _, v := range roqlValue.FindAllStringSubmatch(m[3], -1) {
		want[v[1]] = true
	}
	table, cols, recs := m[1], []string{"id", "lookupName"}, osvcContacts
	if table == "incidents" {
		cols, recs = []string{"id", "referenceNumber", "subject"}, osvcIncidents
	}
	rows := [][]string{}
	for _, rec := range recs {
		if want[rec.match] {
			row := []string{fmt.Sprint(rec.id), rec.name}
			if table == "incidents" {
				row = []string{fmt.Sprint(rec.id), rec.match, rec.name}
			}
			rows = append(rows, row)
		}
	}
	writeTestJSON(w, http.StatusOK, map[string]any{"items": []any{map[string]any{
		"tableName": table, "count": len(rows), "columnNames": cols, "rows": rows}}})
}

// answerFind answers roqlFind from the notes the site was sent.
func (s *osvcSite) answerFind(w http.ResponseWriter, table, text, since string) {
	from, err := time.Parse(time.RFC3339, since)
	if err != nil {
		writeTestJSON(w, http.StatusBadRequest, map[string]string{"title": "bad CreatedTime " + since})
		return
	}
	rows := [][]string{}
	for _, c := range s.snapshot() {
		if c.Method == http.MethodGet || !strings.HasPrefix(c.Path, table) || c.At.Before(from) {
			continue
		}
		var b struct {
			Notes   []struct{ Text string } `json:"notes"`
			Threads []struct{ Text string } `json:"threads"`
		}
		_ = json.Unmarshal([]byte(c.Body), &b)
		for _, n := range append(b.Notes, b.Threads...) {
			if strings.Contains(n.Text, text) {
				id := strings.TrimPrefix(strings.TrimPrefix(c.Path, table), "/")
				if c.Method == http.MethodPost {
					id = fmt.Sprint(c.ID)
				}
				rows = append(rows, []string{id})
			}
		}
	}
	writeTestJSON(w, http.StatusOK, map[string]any{"items": []any{map[string]any{
		"tableName": table, "count": len(rows), "columnNames": []string{"id"}, "rows": rows}}})
}

// serveNotes lists what was logged, for the stand-in page to show.
func (s *osvcSite) serveNotes(w http.ResponseWriter, _ *http.Request) {
	type note struct {
		Record string `json:"record"`
		Text   string `json:"text"`
	}
	notes := []note{}
	for _, c := range s.snapshot() {
		if c.Method == http.MethodGet {
			continue
		}
		var b struct {
			Notes   []struct{ Text string } `json:"notes"`
			Threads []struct{ Text string } `json:"threads"`
		}
		_ = json.Unmarshal([]byte(c.Body), &b)
		for _, n := range append(b.Notes, b.Threads...) {
			notes = append(notes, note{Record: c.Method + " " + c.Path, Text: n.Text})
		}
	}
	writeTestJSON(w, http.StatusOK, notes)
}

func (s *osvcSite) snapshot() []osvcCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]osvcCall(nil), s.calls...)
}

func (s *osvcSite) len() int { return len(s.snapshot()) }

// count is how many notes (PATCH or POST) mention text.
func (s *osvcSite) count(text string) int {
	n := 0
	for _, c := range s.snapshot() {
		if c.Method != http.MethodGet {
			n += strings.Count(c.Body, text)
		}
	}
	return n
}

// until waits for a condition on the REST calls, asking every 100 ms (the
// server has no event the test could wait on) until a deadline.
func (s *osvcSite) until(t *testing.T, what string, cond func([]osvcCall) bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond(s.snapshot()) {
		if time.Now().After(deadline) {
			got, _ := json.MarshalIndent(s.snapshot(), "", " ")
			t.Fatalf("%s: not within 20s\nthe site's REST API got: %s", what, got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// anyCall: one call with this method and path whose query or body holds every text.
func anyCall(cs []osvcCall, method, path string, texts ...string) bool {
	for _, c := range cs {
		if c.Method != method || c.Path != path {
			continue
		}
		ok := true
		for _, x := range texts {
			ok = ok && (strings.Contains(c.Query, x) || strings.Contains(c.Body, x))
		}
		if ok {
			return true
		}
	}
	return false
}

func writeTestJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// TestOracleFindsLostSave: the site saved the call's note but its answer
// never reached the side pane, which reloads; offered the call again, the
// adapter finds the note by ROQL (the "Finesse call <ref>." line, created
// since the call began) and adds no second note.
func TestOracleFindsLostSave(t *testing.T) {
	ctx := browser(t)
	site := startOSvCSite(t)
	opt, store := withCallLog(t)
	c := startChain(t, nil, withDialPlan, opt, func(c *chain, cfg *localbridge.Config) {
		cfg.AllowedOrigins = append(cfg.AllowedOrigins, site.origin())
		site.bridge = func() string { return c.srv.Addr() }
	})
	tab := site.open(t, ctx, c)
	tab.until("the pane's adapter is ready", `crmCalls.some(c => c.method === "registerAction" && c.frame === "pane")`)
	c.waitClients(t, 2)
	lose := func() { site.mu.Lock(); site.lose = true; site.mu.Unlock() }
	notes := func(id string) int { return site.count("Finesse call " + id + ".") }
	asked := func(id string) bool {
		return anyCall(site.snapshot(), "GET", "queryResults", "FROM contacts WHERE Notes.Text LIKE '%Finesse call "+id+".%' AND Notes.CreatedByAccount.ID = 7 AND Notes.CreatedTime >= '")
	}
	lostSaveAnswer(t, c, tab, store, lose, notes, asked)
}

//go:build linux

package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentlink/agentlink/assets"
)

// crmTestdata holds the CRM stand-in pages of localbridge's browser tests.
const crmTestdata = "../../localbridge/testdata"

// crmHost serves one CRM's stand-in on a loopback port: the host pages
// (testdata/crm/<crm>-host.html), the adapter pages the admin hosts in the
// CRM (Salesforce, Dynamics), the vendors' stand-in scripts, and for Oracle
// the Browser UI with its extension and a Connect REST stand-in (osvcREST).
// The page origin is http://localhost:PORT; adapter pages are served as
// http://127.0.0.1:PORT, another origin, as the CRM serves them.
type crmHost struct {
	srv    *httptest.Server
	port   string
	bridge func() string // the app's bridge host:port
	osvc   *osvcREST
}

func startCRMHost(t *testing.T, bridge func() string) *crmHost {
	t.Helper()
	h := &crmHost{bridge: bridge, osvc: &osvcREST{}}
	sdk, _ := fs.Sub(assets.Web, "sdk")
	mux := http.NewServeMux()
	mux.Handle("/testdata/", http.StripPrefix("/testdata/", http.FileServer(http.Dir(crmTestdata))))
	mux.Handle("/sdk/", http.StripPrefix("/sdk/", http.FileServerFS(sdk)))
	mux.Handle("/support/", http.FileServer(http.Dir(crmTestdata+"/crm")))      // Salesforce's opencti_min.js
	mux.Handle("/webresources/", http.FileServer(http.Dir(crmTestdata+"/crm"))) // Dynamics' msdyn_ciLibrary.js
	mux.HandleFunc("/testdata/crm/salesforce-adapter.html", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, assets.Web, "crm/salesforce/adapter.html")
	})
	mux.HandleFunc("/testdata/crm/dynamics-adapter.html", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, assets.Web, "crm/dynamics/adapter.html")
	})
	// Oracle B2C Service: the Browser UI, its extension loader, the
	// extension zip from the bridge as the Add-In Manager serves it.
	mux.HandleFunc("/bui.html", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, crmTestdata+"/crm/oracle-host.html")
	})
	mux.HandleFunc("/AgentWeb/module/extensibility/js/client/core/extension_loader.js", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, crmTestdata+"/crm/oracle/extension_loader.js")
	})
	mux.HandleFunc("/ext/agentlink/config.json", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"bridge": h.bridge()})
	})
	mux.HandleFunc("/ext/agentlink/", h.serveAddin)
	mux.Handle("/services/rest/connect/v1.4/", http.StripPrefix("/services/rest/connect/v1.4/", h.osvc))
	mux.Handle("/fake/", h.osvc)
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	h.port = h.srv.URL[strings.LastIndex(h.srv.URL, ":")+1:]
	return h
}

// origins are the two origins the stand-in's pages run on.
func (h *crmHost) origins() []string {
	return []string{"http://localhost:" + h.port, "http://127.0.0.1:" + h.port}
}

// serveAddin serves a file of the bridge's Oracle extension zip.
func (h *crmHost) serveAddin(w http.ResponseWriter, r *http.Request) {
	resp, err := http.Get("http://" + h.bridge() + "/crm/oracle/addin.zip")
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

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// osvcREST is the part of Oracle's Connect REST API the adapter logs calls
// with: ROQL (no record matches a caller; findLog's note search answers
// from the notes kept), notes PATCHed on a record or POSTed with a new
// contact. It backs oracle-host.html's test hook window.__crm under
// /fake/: saves, next?do=fail|hold, held, release.
type osvcREST struct {
	mu      sync.Mutex
	notes   []osvcNote
	next    string        // "fail" or "hold": what the next note save does
	refused int           // saves refused (next "fail")
	release chan struct{} // non-nil while a save is held
}

type osvcNote struct {
	CRMID       string `json:"crmId"`
	Ref         string `json:"ref"`
	Disposition string `json:"disposition"`
	Duration    int    `json:"duration"`
	at          time.Time
}

var (
	noteRef      = regexp.MustCompile(`(?m)^Finesse call ([A-Za-z0-9]+)\.$`)
	noteDisp     = regexp.MustCompile(`(?m)^Disposition: (.*)$`)
	noteDuration = regexp.MustCompile(`\((\d+) min (\d+) s\)`)
	roqlFindNote = regexp.MustCompile(`LIKE '%Finesse call ([A-Za-z0-9]+)\.%'.* CreatedTime >= '([^']+)'`)
)

func (o *osvcREST) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch p := strings.TrimPrefix(r.URL.Path, "/fake/"); {
	case r.URL.Path == "/fake/saves":
		o.mu.Lock()
		defer o.mu.Unlock()
		writeJSON(w, http.StatusOK, append([]osvcNote{}, o.notes...))
	case r.URL.Path == "/fake/next":
		o.mu.Lock()
		o.next = r.URL.Query().Get("do")
		o.mu.Unlock()
		writeJSON(w, http.StatusOK, true)
	case r.URL.Path == "/fake/refused":
		o.mu.Lock()
		defer o.mu.Unlock()
		writeJSON(w, http.StatusOK, o.refused)
	case r.URL.Path == "/fake/held":
		o.mu.Lock()
		defer o.mu.Unlock()
		writeJSON(w, http.StatusOK, o.release != nil)
	case r.URL.Path == "/fake/release":
		o.mu.Lock()
		rel := o.release
		o.release = nil
		o.mu.Unlock()
		if rel != nil {
			close(rel)
		}
		writeJSON(w, http.StatusOK, rel != nil)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "queryResults"):
		o.roql(w, r.URL.Query().Get("query"))
	case r.Method == http.MethodPatch || r.Method == http.MethodPost:
		o.save(w, r, p)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"title": "no such resource " + p})
	}
}

// roql answers findLog's search from the notes kept; every other query
// (the callers' lookups) finds nothing, so the call goes on a new contact.
func (o *osvcREST) roql(w http.ResponseWriter, query string) {
	rows := [][]string{}
	if m := roqlFindNote.FindStringSubmatch(query); m != nil {
		since, _ := time.Parse(time.RFC3339, m[2])
		o.mu.Lock()
		for _, n := range o.notes {
			if n.Ref == m[1] && !n.at.Before(since) && strings.Contains(query, "FROM contacts") {
				rows = append(rows, []string{strings.TrimPrefix(n.CRMID, "Contact/")})
			}
		}
		o.mu.Unlock()
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": []any{map[string]any{
		"tableName": "contacts", "count": len(rows), "columnNames": []string{"id", "lookupName"}, "rows": rows}}})
}

func (o *osvcREST) save(w http.ResponseWriter, r *http.Request, path string) {
	var body struct {
		Notes   []struct{ Text string } `json:"notes"`
		Threads []struct{ Text string } `json:"threads"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"title": err.Error()})
		return
	}
	o.mu.Lock()
	next := o.next
	o.next = ""
	var rel chan struct{}
	if next == "hold" {
		rel = make(chan struct{})
		o.release = rel
	}
	o.mu.Unlock()
	if next == "fail" {
		o.mu.Lock()
		o.refused++
		o.mu.Unlock()
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"title": "the site is unavailable (test: failNextSave)"})
		return
	}
	if rel != nil {
		select {
		case <-rel:
		case <-r.Context().Done(): // the page went: the site never completed the save
			o.mu.Lock()
			if o.release == rel {
				o.release = nil
			}
			o.mu.Unlock()
			return
		}
	}
	o.mu.Lock()
	id := 900 + len(o.notes)
	crmID := "Contact/" + strconv.Itoa(id)
	if r.Method == http.MethodPatch {
		crmID = strings.TrimSuffix(path, "/")
	}
	for _, n := range append(body.Notes, body.Threads...) {
		note := osvcNote{CRMID: crmID, at: time.Now()}
		if m := noteRef.FindStringSubmatch(n.Text); m != nil {
			note.Ref = m[1]
		}
		if m := noteDisp.FindStringSubmatch(n.Text); m != nil {
			note.Disposition = m[1]
		}
		if m := noteDuration.FindStringSubmatch(n.Text); m != nil {
			mins, _ := strconv.Atoi(m[1])
			secs, _ := strconv.Atoi(m[2])
			note.Duration = mins*60 + secs
		}
		o.notes = append(o.notes, note)
	}
	o.mu.Unlock()
	if r.Method == http.MethodPost {
		writeJSON(w, http.StatusCreated, map[string]any{"id": id, "lookupName": "Caller"})
		return
	}
	w.WriteHeader(http.StatusOK)
}

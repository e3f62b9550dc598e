package localbridge

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// maxRefused bounds the list of refused origins kept for the agent to decide.
const maxRefused = 32

// maxOriginLen bounds what we record of an Origin header.
const maxOriginLen = 256

// ErrBadOrigin is wrapped when an origin is not scheme://host[:port].
var ErrBadOrigin = errors.New("bad origin")

// OriginRequest is an unknown origin that tried to use the bridge.
type OriginRequest struct {
	Origin    string
	FirstSeen time.Time
	LastSeen  time.Time
	Attempts  int
}

// normalizeOrigin checks that o is exactly scheme://host[:port] with an http
// or https scheme, and lowercases scheme and host (browsers send them
// lowercased; a configured origin may not be). Default ports are dropped the
// way browsers serialise origins.
func normalizeOrigin(o string) (string, error) {
	u, err := url.Parse(o)
	if err != nil {
		return "", fmt.Errorf("%w: %q: %w", ErrBadOrigin, o, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("%w: %q: scheme must be http or https", ErrBadOrigin, o)
	}
	if u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%w: %q: want scheme://host[:port] and nothing else", ErrBadOrigin, o)
	}
	host, port := u.Hostname(), u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	h := strings.ToLower(host)
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	if port != "" {
		h = net.JoinHostPort(strings.Trim(h, "[]"), port)
	}
	return u.Scheme + "://" + h, nil
}

// allowable refuses a plain http:// origin for any host but a loopback one.
// Whoever is on the network path to such a page (a café Wi-Fi, a proxy) can
// rewrite its scripts, and with them drive the agent's phone through the
// bridge; https:// pages and pages served from this machine cannot be. n is
// a normalised origin.
func allowable(n string) error {
	u, err := url.Parse(n)
	if err != nil || u.Scheme != "http" {
		return nil
	}
	h := u.Hostname()
	if ip := net.ParseIP(h); h == "localhost" || (ip != nil && ip.IsLoopback()) {
		return nil
	}
	return fmt.Errorf("%w: %q: plain http:// is accepted only for this machine (localhost, 127.0.0.1, [::1]); "+
		"use the CRM's https:// address", ErrBadOrigin, n)
}

// consentFile is the persisted form of the agent's choices.
type consentFile struct {
	Allowed []string `json:"allowed"`
	Denied  []string `json:"denied"`
	// Scopes are what the agent let each allowed origin do besides events;
	// an allowed origin without an entry (approved before scopes could be
	// chosen) keeps every scope.
	Scopes map[string][]Scope `json:"scopes,omitempty"`
}

// origins holds which browser origins may use the bridge.
type origins struct {
	path       string             // consent file; "" = memory only; read-only after newOrigins
	configured map[string]bool    // from Config.AllowedOrigins; read-only after newOrigins
	mu         sync.Mutex         // guards the fields below
	approved   map[string]bool    // agent-approved
	grants     map[string][]Scope // the scopes the agent chose for approved origins
	denied     map[string]bool    // agent-denied
	refused    map[string]*OriginRequest
}

func newOrigins(configured []string, path string) (*origins, error) {
	o := &origins{
		path: path, configured: map[string]bool{},
		approved: map[string]bool{}, grants: map[string][]Scope{}, denied: map[string]bool{}, refused: map[string]*OriginRequest{},
	}
	for _, c := range configured {
		n, err := normalizeOrigin(c)
		if err == nil {
			err = allowable(n)
		}
		if err != nil {
			return nil, err
		}
		o.configured[n] = true
	}
	if path == "" {
		return o, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return o, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read consent file: %w", err)
	}
	var f consentFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("consent file %s: %w", path, err)
	}
	for _, a := range f.Allowed {
		if n, err := normalizeOrigin(a); err == nil && allowable(n) == nil {
			o.approved[n] = true
			if scs, ok := f.Scopes[a]; ok {
				o.grants[n] = validScopes(scs)
			}
		}
	}
	for _, d := range f.Denied {
		if n, err := normalizeOrigin(d); err == nil {
			o.denied[n] = true
		}
	}
	return o, nil
}

// allowed reports whether a browser origin (as sent, exact) may connect.
// Browsers serialise origins canonically, so an exact string match against
// normalised entries is what we want: no prefix, suffix or glob matching.
func (o *origins) allowed(origin string) bool {
	if o.configured[origin] {
		return true
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.approved[origin] && !o.denied[origin]
}

// list returns every allowed origin, sorted.
func (o *origins) list() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for k := range o.configured {
		out = append(out, k)
	}
	for k := range o.approved {
		if !o.configured[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// refuse records a refused attempt; it reports whether the list changed in a
// way the agent should see (a new origin).
func (o *origins) refuse(origin string, now time.Time) bool {
	if len(origin) > maxOriginLen {
		return false
	}
	n, err := normalizeOrigin(origin)
	if err != nil || n != origin {
		return false // not a real browser origin ("null", garbage): nothing to offer
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.denied[origin] {
		return false
	}
	if r, ok := o.refused[origin]; ok {
		r.LastSeen, r.Attempts = now, r.Attempts+1
		return false
	}
	if len(o.refused) >= maxRefused {
		o.evictOldestLocked()
	}
	o.refused[origin] = &OriginRequest{Origin: origin, FirstSeen: now, LastSeen: now, Attempts: 1}
	return true
}

func (o *origins) evictOldestLocked() {
	var oldest *OriginRequest
	for _, r := range o.refused {
		if oldest == nil || r.LastSeen.Before(oldest.LastSeen) {
			oldest = r
		}
	}
	if oldest != nil {
		delete(o.refused, oldest.Origin)
	}
}

func (o *origins) refusedList() []OriginRequest {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]OriginRequest, 0, len(o.refused))
	for _, r := range o.refused {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FirstSeen.Before(out[j].FirstSeen) })
	return out
}

// validScopes drops unknown scope names (a hand-edited file).
func validScopes(in []Scope) []Scope {
	out := []Scope{}
	for _, sc := range in {
		if p, err := ParseScope(string(sc)); err == nil && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// grantsFor returns the scopes the agent chose for an approved origin.
func (o *origins) grantsFor(origin string) ([]Scope, bool) {
	if o == nil { // a Server built without origins, in tests
		return nil, false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	g, ok := o.grants[origin]
	return g, ok && o.approved[origin]
}

// decide records the agent's choice for origin and persists it. scopes
// are what an allowed origin may do besides events; nil means every scope.
func (o *origins) decide(origin string, allow bool, scopes []Scope) (string, error) {
	n, err := normalizeOrigin(origin)
	if err == nil && allow {
		err = allowable(n)
	}
	if err != nil {
		return "", err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	approved, denied, grants := maps.Clone(o.approved), maps.Clone(o.denied), maps.Clone(o.grants)
	delete(grants, n)
	if allow {
		approved[n] = true
		delete(denied, n)
		if scopes != nil {
			grants[n] = validScopes(scopes)
		}
	} else {
		denied[n] = true
		delete(approved, n)
	}
	// Saved first, applied after: an approval that cannot be saved is not
	// applied (it would silently vanish at the next start), while a denial
	// is applied anyway, since refusing is the safe side, and says so.
	if err := o.save(approved, denied, grants); err != nil {
		if allow {
			return n, fmt.Errorf("%w: %s stays not allowed: %w", ErrConsentNotSaved, n, err)
		}
		o.approved, o.denied, o.grants = approved, denied, grants
		delete(o.refused, n)
		return n, fmt.Errorf("%w: %s is refused until AgentLink restarts: %w", ErrConsentNotSaved, n, err)
	}
	o.approved, o.denied, o.grants = approved, denied, grants
	delete(o.refused, n)
	return n, nil
}

// ErrConsentNotSaved says the agent's choice about an origin could not be
// written to the consent file (a read-only or full disk).
var ErrConsentNotSaved = errors.New("the choice could not be saved")

// save writes the consent file atomically (temp file + rename) so a
// crash never leaves half a file.
func (o *origins) save(approved, denied map[string]bool, grants map[string][]Scope) error {
	if o.path == "" {
		return nil
	}
	f := consentFile{Allowed: sortedKeys(approved), Denied: sortedKeys(denied), Scopes: grants}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("encode consent file: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(o.path), 0o700); err != nil {
		return fmt.Errorf("write consent file: %w", err)
	}
	tmp := o.path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		_ = os.Remove(tmp) // a full disk leaves a partial file behind
		return fmt.Errorf("write consent file: %w", err)
	}
	if err := os.Rename(tmp, o.path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write consent file: %w", err)
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

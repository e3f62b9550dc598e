package localbridge

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

func TestNormalizeOrigin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"https://crm.example.com", "https://crm.example.com", false},
		{"HTTPS://CRM.Example.com", "https://crm.example.com", false},
		{"https://crm.example.com:443", "https://crm.example.com", false},
		{"http://localhost:8080", "http://localhost:8080", false},
		{"https://crm.example.com/", "https://crm.example.com", false},
		{"http://[::1]:9000", "http://[::1]:9000", false},
		{"https://crm.example.com/path", "", true},
		{"crm.example.com", "", true},
		{"ftp://crm.example.com", "", true},
		{"https://user@crm.example.com", "", true},
		{"https://crm.example.com?x=1", "", true},
		{"null", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		got, err := normalizeOrigin(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("normalizeOrigin(%q) = %q, %v; want %q, error %t", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !errors.Is(err, ErrBadOrigin) {
			t.Errorf("normalizeOrigin(%q) error %v does not wrap ErrBadOrigin", tt.in, err)
		}
	}
}

func TestConsentPersists(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "consent.json")
	h := newHarness(t, func(c *Config, _ *core.Config) { c.ConsentFile = path })
	const newcomer = "https://new-crm.example.org"
	if resp := h.do(t, "GET", "/v1/status", "", newcomer, "", nil); resp.StatusCode != 403 {
		t.Fatalf("unknown origin: %d, want 403", resp.StatusCode)
	}
	select {
	case <-h.srv.Changes():
	case <-time.After(waitFor):
		t.Fatal("no Changes signal after a refused origin")
	}
	if got := h.srv.RefusedOrigins(); len(got) != 1 || got[0].Origin != newcomer {
		t.Fatalf("RefusedOrigins() = %+v, want %s", got, newcomer)
	}
	if err := h.srv.AllowOrigin(newcomer); err != nil {
		t.Fatal(err)
	}
	if resp := h.do(t, "GET", "/v1/status", "", newcomer, "", nil); resp.StatusCode != 200 {
		t.Errorf("approved origin: %d, want 200", resp.StatusCode)
	}
	if got := h.srv.RefusedOrigins(); len(got) != 0 {
		t.Errorf("RefusedOrigins() after allow = %+v, want none", got)
	}
	var f consentFile
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(consentFile{Allowed: []string{newcomer}, Denied: []string{}}, f); diff != "" {
		t.Errorf("consent file (-want +got):\n%s", diff)
	}

	// A fresh server reads the choice back.
	h2 := newHarness(t, func(c *Config, _ *core.Config) { c.ConsentFile = path })
	if resp := h2.do(t, "GET", "/v1/status", "", newcomer, "", nil); resp.StatusCode != 200 {
		t.Errorf("approved origin after restart: %d, want 200", resp.StatusCode)
	}

	// Denying disconnects its tabs and persists.
	c, _, err := h2.dialWS(newcomer, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	for len(h2.srv.Clients()) != 1 { // the upgrade returns before the server registers the client
		select {
		case <-h2.srv.Changes():
		case <-time.After(waitFor):
			t.Fatal("client never registered")
		}
	}
	if err := h2.srv.DenyOrigin(newcomer); err != nil {
		t.Fatal(err)
	}
	wc := &wsClient{t: t, conn: c}
	if _, err := wc.read(); websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Errorf("tab of a denied origin: %v, want closed with 1001", err)
	}
	if resp := h2.do(t, "GET", "/v1/status", "", newcomer, "", nil); resp.StatusCode != 403 {
		t.Errorf("denied origin: %d, want 403", resp.StatusCode)
	}
	if resp := h2.do(t, "GET", "/v1/status", "", newcomer, "", nil); len(h2.srv.RefusedOrigins()) != 0 || resp.StatusCode != 403 {
		t.Errorf("a denied origin is not offered again: %+v", h2.srv.RefusedOrigins())
	}
}

func TestRefusedOriginsBounded(t *testing.T) {
	t.Parallel()
	o, err := newOrigins(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range maxRefused + 10 {
		o.refuse("https://site"+string(rune('a'+i%26))+string(rune('a'+i/26))+".example", base.Add(time.Duration(i)*time.Second))
	}
	o.refuse("garbage origin", base)
	o.refuse("null", base)
	got := o.refusedList()
	if len(got) != maxRefused {
		t.Fatalf("kept %d refused origins, want %d", len(got), maxRefused)
	}
	if got[0].FirstSeen != base.Add(10*time.Second) {
		t.Errorf("oldest kept = %v, want the 11th (oldest evicted first)", got[0].FirstSeen)
	}
}

func TestConfigValidation(t *testing.T) {
	t.Parallel()
	sess := core.NewSession(core.Config{Port: &coretest.Port{}})
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no session", Config{Token: testToken}},
		{"short token", Config{Session: sess, Token: "short"}},
		{"public addr", Config{Session: sess, Token: testToken, Addr: "0.0.0.0:28445"}},
		{"lan addr", Config{Session: sess, Token: testToken, Addr: "192.168.1.5:28445"}},
		{"empty host", Config{Session: sess, Token: testToken, Addr: ":28445"}},
		{"bad key", Config{Session: sess, Token: testToken, SecurePasswordKey: []byte("short")}},
		{"bad origin", Config{Session: sess, Token: testToken, AllowedOrigins: []string{"https://crm.example.com/*"}}},
	}
	for _, tt := range tests {
		if _, err := New(tt.cfg); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: New error %v, want ErrConfig", tt.name, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0", "[::1]:0", "127.0.0.2:0"} {
		if _, err := New(Config{Session: sess, Token: testToken, Addr: addr}); err != nil {
			t.Errorf("New with %s: %v", addr, err)
		}
	}
}

func TestGenerateToken(t *testing.T) {
	t.Parallel()
	a, err := GenerateToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := GenerateToken()
	if len(a) < minTokenLen || a == b {
		t.Errorf("tokens %q %q: want two different tokens of at least %d characters", a, b, minTokenLen)
	}
}

// TestPlainHTTPOnlyForLoopback: a plain http:// CRM origin on the network can
// be rewritten by anyone on the path to it, so neither the config nor the
// agent may allow one; loopback pages (a local dev server) still may.
func TestPlainHTTPOnlyForLoopback(t *testing.T) {
	for _, o := range []string{"http://crm.example.com", "http://10.1.2.3:8080"} {
		if _, err := newOrigins([]string{o}, ""); err == nil {
			t.Errorf("config origin %s accepted, want a plain-http refusal", o)
		}
		ors, err := newOrigins(nil, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ors.decide(o, true, nil); err == nil || ors.allowed(o) {
			t.Errorf("agent approval of %s accepted, want a plain-http refusal", o)
		}
		if _, err := ors.decide(o, false, nil); err != nil {
			t.Errorf("denying %s: %v, want it recorded", o, err)
		}
	}
	for _, o := range []string{"http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:9000", "https://crm.example.com"} {
		if _, err := newOrigins([]string{o}, ""); err != nil {
			t.Errorf("config origin %s refused: %v", o, err)
		}
	}
}

// TestConsentSavedOrNotApplied: when the consent file cannot be written, an
// approval is not applied (it would vanish at the next start) and says why;
// a denial is applied anyway (the safe side) and says it was not saved; no
// temporary file is left behind.
func TestConsentSavedOrNotApplied(t *testing.T) {
	dir := t.TempDir()
	// A directory where the file should be: the temp file is written, the
	// rename over it fails, even as root.
	path := filepath.Join(dir, "origins.json")
	ors, err := newOrigins(nil, path)
	if err != nil {
		t.Fatal(err)
	}
	ok, err := newOrigins([]string{"https://other.example.com"}, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(path, "in-the-way"), 0o700); err != nil {
		t.Fatal(err)
	}
	const crm = "https://crm.example.com"
	if _, err := ors.decide(crm, true, nil); !errors.Is(err, ErrConsentNotSaved) {
		t.Fatalf("approval with an unwritable consent file: err = %v, want ErrConsentNotSaved", err)
	}
	if ors.allowed(crm) {
		t.Error("an approval that was not saved was applied")
	}
	if _, err := os.Stat(path + ".tmp"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temporary consent file left behind (stat: %v)", err)
	}
	if _, err := ok.decide(crm, false, nil); !errors.Is(err, ErrConsentNotSaved) {
		t.Fatalf("denial with an unwritable consent file: err = %v, want ErrConsentNotSaved", err)
	}
	ok.mu.Lock()
	denied := ok.denied[crm]
	ok.mu.Unlock()
	if !denied {
		t.Error("a denial that could not be saved was not applied")
	}
}

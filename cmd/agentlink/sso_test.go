package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

func TestSSOConfigSection(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("[sso]\nids_url = \"https://ids.example.com:8553/\"\nclient_id = \"agentlink\"\nredirect_port = 28460\nxmpp_mechanism = \"x-oauth2\"\n")
	cfg, err := loadConfig(path, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := SSOConfig{IDSURL: "https://ids.example.com:8553", ClientID: "agentlink", RedirectPort: 28460, XMPPMechanism: "X-OAUTH2"}
	if cfg.SSO != want {
		t.Errorf("sso = %+v, want %+v", cfg.SSO, want)
	}
	for _, bad := range []struct{ toml, want string }{
		{"[sso]\nids_url = \"http://ids.example.com\"\nclient_id = \"a\"\n", "must use https://"},
		{"[sso]\nids_url = \"https://ids.example.com\"\n", "sso.client_id is not"},
		{"[sso]\nids_url = \"https://ids.example.com\"\nclient_id = \"a\"\nxmpp_mechanism = \"SCRAM\"\n", "X-OAUTH2"},
		{"[sso]\nredirect_port = 70000\n", "redirect URL registered"},
	} {
		write(bad.toml)
		if _, err := loadConfig(path, true, nil); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("config %q: error %v, want it to mention %q", bad.toml, err, bad.want)
		}
	}
}

// ssoChildEnv marks the child process that talks to the real keychain.
const ssoChildEnv = "AGENTLINK_SSO_KEYCHAIN_CHILD"

// TestSSOTokensOnlyInKeychain signs in through the simulator's IdS with
// the app's wiring and the real Secret Service (gnome-keyring under
// scripts/test-env.sh), in a child process like the other keychain tests.
func TestSSOTokensOnlyInKeychain(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but DBUS_SESSION_BUS_ADDRESS is not: run the tests through scripts/test-env.sh")
		}
		t.Skip("no D-Bus session bus: run through scripts/test-env.sh for the real keychain test")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSSOTokensOnlyInKeychainChild$", "-test.v")
	cmd.Env = append(os.Environ(), ssoChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestSSOTokensOnlyInKeychainChild") {
		t.Fatalf("SSO keychain round trip failed: %v\n%s", err, out)
	}
}

func TestSSOTokensOnlyInKeychainChild(t *testing.T) {
	if os.Getenv(ssoChildEnv) == "" {
		t.Skip("run by TestSSOTokensOnlyInKeychain in a child process")
	}
	home := filepath.Dir(isolateConfig(t)) // HOME and XDG_CONFIG_HOME
	sim, err := finessesim.Start(t.Context(), finessesim.Config{SSO: finessesim.SSOConfig{AuthMode: "SSO"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	kc := newKeychain()
	kc.service = fmt.Sprintf("agentlink-test-sso-%d", os.Getpid())
	t.Cleanup(func() { _ = kc.DeleteSSOTokens("1001") })
	logPath := filepath.Join(home, "agentlink.log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	log := slog.New(slog.NewJSONHandler(logFile, &slog.HandlerOptions{Level: slog.LevelDebug}))
	w := newSSOWiring(SSOConfig{IDSURL: sim.IDSURL(), ClientID: "agentlink"}, kc, log)
	prompted := make(chan error, 1)
	prompt := func(_ string, err error) { prompted <- err }
	w.prompt.Store(&prompt)

	// First run: the browser sign-in; the tokens go to the keychain.
	l1 := startSSOLink(t, sim, w, log)
	open := func(u string) error { go func() { _ = browseSim(sim, u) }(); return nil }
	w.open.Store(&open)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := w.signIn(l1.link)(ctx, "1001"); err != nil {
		t.Fatalf("SSO sign-in: %v", err)
	}
	if err := l1.sess.Login(ctx, core.LoginRequest{AgentID: "1001", Extension: "5001", SSO: true}); err != nil {
		t.Fatalf("login: %v", err)
	}
	tok, err := kc.SSOTokens("1001")
	if err != nil || tok.RefreshToken == "" || tok.AccessToken == "" {
		t.Fatalf("keychain after sign-in: %+v, %v", tok, err)
	}
	l1.stop()

	// Second start: the stored session signs in without a browser.
	w.open.Store(nil)
	l2 := startSSOLink(t, sim, w, log)
	p := &parts{link: l2.link, session: l2.sess, sso: w}
	if !ssoLogin(ctx, p, "1001", "5001", log) {
		t.Fatal("stored SSO session not found")
	}
	waitUntil(t, "signed in with the stored session", func() bool {
		a, _ := sim.Agent("1001")
		return a.State == "NOT_READY" && a.Present
	})

	// Revoked at IdS: the prompt, and the keychain entry is gone.
	sim.RevokeSSO("1001")
	if err := l2.sess.SetState(ctx, core.StateReady, ""); !errors.Is(err, core.ErrSignInExpired) {
		t.Fatalf("command after revocation: %v, want ErrSignInExpired", err)
	}
	select {
	case err := <-prompted:
		if !errors.Is(err, core.ErrSignInExpired) {
			t.Fatalf("prompt: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no sign-in prompt after revocation")
	}
	if _, err := kc.SSOTokens("1001"); !errors.Is(err, errNoPassword) {
		t.Fatalf("keychain after revocation: %v, want no session", err)
	}
	l2.stop()

	// No token in any file: the log, the config directory, HOME.
	for _, secret := range []string{tok.AccessToken, tok.RefreshToken} {
		filepath.WalkDir(home, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if b, _ := os.ReadFile(path); strings.Contains(string(b), secret) {
				t.Errorf("a token is in %s", path)
			}
			return nil
		})
	}
}

type ssoLinkRun struct {
	link *finesse.Link
	sess *core.Session
	stop func()
}

func startSSOLink(t *testing.T, sim *finessesim.Sim, w *ssoWiring, log *slog.Logger) ssoLinkRun {
	t.Helper()
	n := sim.Node(finessesim.NodeA)
	link, err := finesse.NewLink(finesse.Config{
		SideA:  finesse.Endpoint{Host: n.Host(), RESTPort: n.RESTPort(), XMPPPort: n.XMPPTLSPort()},
		CAFile: sim.CAFile(), SSO: w.linkConfig(), Logger: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	sess := core.NewSession(core.Config{Port: link, Logger: log})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = link.Run(ctx, sess) }()
	stop := func() { cancel(); <-done }
	t.Cleanup(stop)
	return ssoLinkRun{link: link, sess: sess, stop: stop}
}

var simHidden = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`)

// browseSim plays the agent's browser on the simulator's IdS login page.
func browseSim(sim *finessesim.Sim, authURL string) error {
	c := &http.Client{
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: sim.CAPool(), MinVersion: tls.VersionTLS12}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       5 * time.Second,
	}
	resp, err := c.Get(authURL)
	if err != nil {
		return err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	form := url.Values{"username": {"1001"}, "password": {"secret1"}}
	for _, m := range simHidden.FindAllStringSubmatch(string(page), -1) {
		form.Set(m[1], strings.ReplaceAll(m[2], "&amp;", "&"))
	}
	resp, err = c.PostForm(sim.IDSURL()+"/ids/v1/oauth/authorize", form)
	if err != nil {
		return err
	}
	resp.Body.Close()
	resp, err = c.Get(resp.Header.Get("Location"))
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(20 * time.Millisecond) // polling the simulator, which has no change feed
	}
}

// urlBrowser is a stderr that plays the agent: it opens the first https
// address printed to it in the "browser".
type urlBrowser struct {
	sim  *finessesim.Sim
	done chan error
	seen bool
}

var printedURL = regexp.MustCompile(`https://\S+`)

func (b *urlBrowser) Write(p []byte) (int, error) {
	if u := printedURL.FindString(string(p)); u != "" && !b.seen {
		b.seen = true
		go func() { b.done <- browseSim(b.sim, u) }()
	}
	return len(p), nil
}

// agentlink login --sso: the address is printed, the browser sign-in
// completes, the session lands in the keychain (only there), and the
// command refuses to run without [sso].
func TestLoginSSOCommand(t *testing.T) {
	mem := useMemKeychain(t, nil)
	sim, err := finessesim.Start(t.Context(), finessesim.Config{SSO: finessesim.SSOConfig{AuthMode: "SSO"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	cfg := defaultConfig()
	cfg.Finesse.AgentID, cfg.Finesse.CAFile = "1001", sim.CAFile()
	var out strings.Builder
	if err := runLoginSSO(t.Context(), cfg, stdio{out: &out, err: io.Discard}, newKeychain(), slog.New(slog.DiscardHandler)); err == nil ||
		!strings.Contains(err.Error(), "sso.ids_url") {
		t.Fatalf("login --sso without [sso]: %v", err)
	}
	cfg.SSO = SSOConfig{IDSURL: sim.IDSURL(), ClientID: "agentlink"}
	b := &urlBrowser{sim: sim, done: make(chan error, 1)}
	if err := runLoginSSO(t.Context(), cfg, stdio{out: &out, err: b}, newKeychain(), slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("login --sso: %v", err)
	}
	if err := <-b.done; err != nil {
		t.Fatalf("browser: %v", err)
	}
	if !strings.Contains(out.String(), "stored in the OS keychain") {
		t.Errorf("output = %q", out.String())
	}
	tok, err := newKeychain().SSOTokens("1001")
	if err != nil || tok.RefreshToken == "" {
		t.Fatalf("keychain: %+v, %v", tok, err)
	}
	if strings.Contains(out.String(), tok.AccessToken) || strings.Contains(out.String(), tok.RefreshToken) {
		t.Error("a token was printed")
	}
	if len(mem.m) != 1 {
		t.Errorf("keychain entries = %d, want the one SSO session", len(mem.m))
	}
}

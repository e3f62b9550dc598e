//go:build linux

package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/agentlink/agentlink/assets"
	"github.com/agentlink/agentlink/finesse/finessesim"
	"github.com/agentlink/agentlink/internal/roottest"
	"github.com/agentlink/agentlink/localbridge"
)

// A shared session host (RDS, Citrix, a multi-user Linux box) with several
// agents, each its own OS user running its own AgentLink with the default
// configuration (issue 10): every AgentLink takes its own port of the
// range, and each agent's CRM page, in that user's own Chromium profile,
// finds that user's AgentLink among the ports (the others refuse a
// connection of another user at accept) and drives that agent's phone
// only. It runs as root in a private network namespace, so the fixed port
// range is free, with throwaway users removed at the end.

const (
	manyAgentsEnv = "AGENTLINK_MANY_AGENTS"
	manyBinEnv    = "AGENTLINK_MANY_BIN"
)

// TestManyAgentsOneHost runs the scenario with two, then ten agents.
func TestManyAgentsOneHost(t *testing.T) {
	roottest.Require(t)
	if roottest.InNetns() {
		t.Skip("already inside the namespace")
	}
	requireChromium(t)
	bin := testBinary(t) // built here: the namespace has no network for modules
	for _, n := range []int{2, 10} {
		t.Run(strconv.Itoa(n)+" agents", func(t *testing.T) {
			out, err := roottest.ReRunInNetns(t, "TestManyAgentsInNetns", 5*time.Minute,
				manyAgentsEnv+"="+strconv.Itoa(n), manyBinEnv+"="+bin)
			if err != nil || !strings.Contains(out, "--- PASS: TestManyAgentsInNetns") {
				t.Fatalf("%d agents on one host: %v\n%s", n, err, out)
			}
			t.Logf("%d agents on one host:\n%s", n, lastLines(out, 2*n+3))
		})
	}
}

func requireChromium(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("chromium"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("chromium not installed; set CI=1 to make this a failure")
		}
		t.Fatalf("chromium not installed: %v", err)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// TestManyAgentsInNetns is the scenario, run by TestManyAgentsOneHost.
func TestManyAgentsInNetns(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv(manyAgentsEnv))
	if !roottest.InNetns() || n == 0 {
		t.Skip("run by TestManyAgentsOneHost")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	bin := sharedCopy(t, os.Getenv(manyBinEnv))
	agents := numberedAgents(n)
	sim, err := finessesim.Start(ctx, finessesim.Config{Agents: agents, Seed: 7})
	if err != nil {
		t.Fatalf("finessesim.Start: %v", err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	crm := httptest.NewServer(agentPageHandler())
	t.Cleanup(crm.Close)
	crmURL := strings.Replace(crm.URL, "127.0.0.1", "localhost", 1)

	apps := make([]*userApp, n)
	ports := map[int]bool{}
	for i := range n { // one after another, as agents sign on to the host
		apps[i] = startUserApp(ctx, t, bin, sim, agents[i], crmURL)
		if ports[apps[i].port] || apps[i].port < localbridge.PortRangeFirst || apps[i].port > localbridge.PortRangeLast {
			t.Fatalf("agent %s's AgentLink listens on %d, want a free port of %d-%d", agents[i].ID, apps[i].port,
				localbridge.PortRangeFirst, localbridge.PortRangeLast)
		}
		ports[apps[i].port] = true
	}
	for i, app := range apps {
		bctx := app.readyFromOwnPage(ctx, t, crmURL)
		for j, other := range agents {
			want := map[bool]string{true: "RESERVED", false: "NOT_READY"}[j < i] // earlier agents' calls ring
			if j == i {
				want = "READY"
			}
			if a, _ := sim.Agent(other.ID); a.State != want {
				t.Fatalf("after agent %s's page set Ready: agent %s is %s, want %s", app.agentID, other.ID, a.State, want)
			}
		}
		app.callReachesOwnPage(bctx, t, sim, fmt.Sprintf("55501%02d", i))
		fmt.Printf("agent %s (user %s): AgentLink on %d, its page connected there, Ready and a call reached only it\n",
			app.agentID, app.user.Name, app.port)
	}
}

func numberedAgents(n int) []finessesim.AgentConfig {
	agents := make([]finessesim.AgentConfig, n)
	for i := range agents {
		agents[i] = finessesim.AgentConfig{
			ID: strconv.Itoa(2001 + i), Extension: strconv.Itoa(6001 + i), Password: "pw-" + rand.Text(),
			FirstName: "Agent", LastName: strconv.Itoa(i + 1), TeamID: "10",
		}
	}
	return agents
}

// sharedCopy copies the agentlink binary where every user can run it.
func sharedCopy(t *testing.T, src string) string {
	t.Helper()
	dir := publicDir(t)
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatalf("the agentlink binary: %v", err)
	}
	dst := filepath.Join(dir, "agentlink")
	if err := os.WriteFile(dst, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return dst
}

// publicDir is a temp dir others may enter, removed at the end.
func publicDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "agentlink-many-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// agentPage is the CRM page of the test: the SDK, self-hosted by the CRM,
// with the default port range. It skips pairing (requireProof false): the
// proof has its own tests (localbridge/e2e_pair_test.go); here it is the
// same-user check that must keep the agents apart.
const agentPage = `<!doctype html><html><body><script type="module">
import { AgentLink } from "/sdk/agentlink.js";
const al = new AgentLink({requireProof: false, minBackoff: 300, maxBackoff: 2000});
window.seen = [];
al.on("event", (m) => window.seen.push(JSON.stringify(m)));
al.start();
window.al = al;
</script></body></html>`

func agentPageHandler() http.Handler {
	sdk, _ := fs.Sub(assets.Web, "sdk")
	mux := http.NewServeMux()
	mux.Handle("/sdk/", http.StripPrefix("/sdk/", http.FileServerFS(sdk)))
	mux.HandleFunc("/agent.html", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, agentPage)
	})
	return mux
}

// userApp is one agent's AgentLink, run as its own OS user.
type userApp struct {
	user    roottest.User
	home    string
	agentID string
	port    int
}

// startUserApp creates the agent's OS user with a home, stores the
// password in that user's own keyring (its own D-Bus session and
// gnome-keyring), and starts "agentlink --headless" there with the
// default bridge address. It returns once the bridge listens.
func startUserApp(ctx context.Context, t *testing.T, bin string, sim *finessesim.Sim, agent finessesim.AgentConfig, crmOrigin string) *userApp {
	t.Helper()
	u := roottest.NewUser(t)
	app := &userApp{user: u, home: userHome(t, u), agentID: agent.ID}
	cfg := app.writeConfig(t, sim, agent, crmOrigin)
	script := `set -e
IFS= read -r pw
printf ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null
printf '%s\n' "$pw" | "$0" login --config "$1" >/dev/null
exec "$0" --headless --config "$1"`
	args := append(u.Setpriv(), "env", "-i", "HOME="+app.home, "XDG_RUNTIME_DIR="+filepath.Join(app.home, "run"),
		"PATH="+os.Getenv("PATH"), "dbus-run-session", "--", "sh", "-c", script, bin, cfg)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin = strings.NewReader(agent.Password + "\n")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logf, err := os.Create(filepath.Join(artifactsDir(t), "agentlink-many-"+agent.ID+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting agent %s's AgentLink: %v", agent.ID, err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait(); logf.Close() }) // the user's other processes: roottest
	addr := bridgeLine(ctx, t, stdout, agent.ID, logf.Name())
	u2, err := url.Parse(addr)
	if err != nil {
		t.Fatalf("bridge address %q: %v", addr, err)
	}
	app.port, _ = strconv.Atoi(u2.Port())
	return app
}

// bridgeLine waits for "AgentLink bridge: ws://…" and returns the URL.
func bridgeLine(ctx context.Context, t *testing.T, r io.Reader, agentID, logPath string) string {
	t.Helper()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "AgentLink bridge: "); ok {
				found <- rest
				break
			}
		}
		_, _ = io.Copy(io.Discard, r)
	}()
	select {
	case addr := <-found:
		return addr
	case <-ctx.Done():
		t.Fatalf("agent %s's AgentLink never listened; its log:\n%s", agentID, logTail(logPath, 30))
		return ""
	}
}

func userHome(t *testing.T, u roottest.User) string {
	t.Helper()
	home := filepath.Join(publicDir(t), u.Name)
	for _, d := range []string{home, filepath.Join(home, "run"), filepath.Join(home, ".config", "agentlink")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	uid, _ := strconv.Atoi(u.UID)
	gid, _ := strconv.Atoi(u.GID)
	err := filepath.WalkDir(home, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chown(p, uid, gid)
	})
	if err != nil {
		t.Fatal(err)
	}
	return home
}

// writeConfig writes the agent's config.toml (and a copy of the
// simulator's CA the user can read) with the default bridge address.
func (a *userApp) writeConfig(t *testing.T, sim *finessesim.Sim, agent finessesim.AgentConfig, crmOrigin string) string {
	t.Helper()
	dir := filepath.Join(a.home, ".config", "agentlink")
	ca, err := os.ReadFile(sim.CAFile())
	if err != nil {
		t.Fatal(err)
	}
	caPath := filepath.Join(dir, "finesse-ca.pem")
	node := func(id finessesim.NodeID) string {
		n := sim.Node(id)
		return net.JoinHostPort(n.Host(), strconv.Itoa(n.RESTPort()))
	}
	cfg := fmt.Sprintf(`[finesse]
side_a = %q
side_b = %q
xmpp_port = %d
ca_file = %q
agent_id = %q
extension = %q

[bridge]
allowed_origins = [%q]
`, node(finessesim.NodeA), node(finessesim.NodeB), sim.Node(finessesim.NodeA).XMPPTLSPort(), caPath,
		agent.ID, agent.Extension, crmOrigin)
	cfgPath := filepath.Join(dir, "config.toml")
	uid, _ := strconv.Atoi(a.user.UID)
	gid, _ := strconv.Atoi(a.user.GID)
	for p, b := range map[string][]byte{caPath: ca, cfgPath: []byte(cfg)} {
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(p, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	return cfgPath
}

// readyFromOwnPage opens the CRM page in the agent's own Chromium, run
// as the agent's OS user with a profile in its home, checks that the SDK
// connected to this user's AgentLink and signs the agent Ready there. It
// returns the browser, still on the page.
func (a *userApp) readyFromOwnPage(ctx context.Context, t *testing.T, crmURL string) context.Context {
	t.Helper()
	bctx := a.browser(ctx, t)
	if err := chromedp.Run(bctx, chromedp.Navigate(crmURL+"/agent.html")); err != nil {
		t.Fatalf("agent %s: navigate: %v", a.agentID, err)
	}
	var got struct {
		URL, Agent, State string
	}
	js := `window.al.ready().then(() => window.al.setState("READY")).then(() => window.al.getState())
	  .then((s) => ({url: window.al.bridgeUrl, agent: s.agent.agentId, state: s.agent.state}))`
	if err := chromedp.Run(bctx, chromedp.Evaluate(js, &got, awaitPromise)); err != nil {
		t.Fatalf("agent %s: the page's SDK: %v", a.agentID, err)
	}
	wantURL := fmt.Sprintf("ws://127.0.0.1:%d/v1/bridge", a.port)
	if got.URL != wantURL || got.Agent != a.agentID || got.State != "READY" {
		t.Fatalf("agent %s's page: connected to %s as agent %s (%s), want %s, agent %s, READY",
			a.agentID, got.URL, got.Agent, got.State, wantURL, a.agentID)
	}
	return bctx
}

// callReachesOwnPage rings the agent from ani and waits for the page to
// show the call.
func (a *userApp) callReachesOwnPage(bctx context.Context, t *testing.T, sim *finessesim.Sim, ani string) {
	t.Helper()
	if _, err := sim.InjectCall(finessesim.CallSpec{AgentID: a.agentID, ANI: ani, DNIS: "8000"}); err != nil {
		t.Fatalf("InjectCall: %v", err)
	}
	var seen bool
	wait := fmt.Sprintf(`new Promise((resolve) => { const t = setInterval(() => {
	  if (window.seen.some((m) => m.includes('"Dialog"') && m.includes(%q))) { clearInterval(t); resolve(true); } }, 50); })`, ani)
	wctx, cancel := context.WithTimeout(bctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Run(wctx, chromedp.Evaluate(wait, &seen, awaitPromise)); err != nil || !seen {
		t.Fatalf("agent %s's page never saw its call from %s: %v", a.agentID, ani, err)
	}
}

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

// browser starts Chromium as the agent's OS user, with a profile in its
// home, and closes it when the test ends.
func (a *userApp) browser(ctx context.Context, t *testing.T) context.Context {
	t.Helper()
	wrapper := filepath.Join(publicDir(t), "chromium-as-"+a.user.Name)
	script := fmt.Sprintf("#!/bin/sh\nexec %s env HOME=%s chromium \"$@\"\n", strings.Join(a.user.Setpriv(), " "), a.home)
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(wrapper), chromedp.UserDataDir(filepath.Join(a.home, "chromium")),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
	}
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA() })
	if err := chromedp.Run(bctx); err != nil {
		t.Fatalf("starting agent %s's Chromium: %v", a.agentID, err)
	}
	return bctx
}

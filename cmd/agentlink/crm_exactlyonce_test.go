//go:build linux

package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/agentlink/agentlink/callstore"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// crmDriver is one CRM connector under test, through its stand-in host
// page (localbridge/testdata/crm), each with the test hook window.__crm.
type crmDriver struct {
	name string
	// page is the host page's URL on the stand-in h for the bridge at addr.
	page func(h *crmHost, addr string) string
	// ready is true in the host page once the adapter set itself up.
	ready string
	// answers: the CRM answers a save, so it can refuse one or hold it.
	// SAP's C4C answers nothing to the END the widget posts.
	answers bool
	// unit is the CRM's duration unit in seconds (Dynamics keeps minutes).
	unit int
}

var crmDrivers = []crmDriver{
	{name: "sap", unit: 1, ready: `true`, page: func(h *crmHost, addr string) string {
		return "http://localhost:" + h.port + "/testdata/crm/sap-host.html?" + url.Values{"bridge": {addr},
			"map": {`{"wrapUpReason":"WrapUp","duration":"Duration"}`}}.Encode()
	}},
	{name: "salesforce", answers: true, unit: 1, ready: `crmCalls.some(c => c.method === "enableClickToDial")`,
		page: func(h *crmHost, addr string) string {
			return "http://localhost:" + h.port + "/testdata/crm/salesforce-host.html?" + url.Values{"bridge": {addr},
				"adapter": {"http://127.0.0.1:" + h.port}}.Encode()
		}},
	{name: "dynamics", answers: true, unit: 60, ready: `crmCalls.some(c => c.method === "setClickToAct")`,
		page: func(h *crmHost, addr string) string {
			return "http://localhost:" + h.port + "/testdata/crm/dynamics-host.html?" + url.Values{"bridge": {addr},
				"adapter": {"http://127.0.0.1:" + h.port}}.Encode()
		}},
	{name: "oracle", answers: true, unit: 1, ready: `crmCalls.some(c => c.method === "registerAction" && c.frame === "pane")`,
		page: func(h *crmHost, addr string) string { return "http://127.0.0.1:" + h.port + "/bui.html?bridge=" + addr }},
}

// TestCRMCallLogExactlyOnce runs issue 11's call-logging scenarios against
// each CRM connector (SAP, Salesforce, Dynamics, Oracle) in its stand-in,
// open in two tabs of one headless Chromium, with the real agentlink binary
// (headless) against the simulator; the four run in parallel, each with its
// own app, simulator and stand-in. For each, one scenario path:
//
//   - two tabs: a call ends; one tab logs it;
//   - a save the CRM refuses once, then accepts (the adapter retries);
//   - both tabs reload mid-call;
//   - both tabs reload after the end, before the save: during wrap-up (the
//     offer waits for the reason), and, where the CRM answers saves, with
//     the save held by the CRM (never completed) when the tabs reload;
//   - kill -9 between the end and the acknowledgement, and start again: a
//     call whose save the CRM holds at the kill and completes while the app
//     is down (acknowledged after the restart, not saved again), and a call
//     waiting for its wrap-up reason at the kill (the reason is chosen after
//     the restart; then it is offered).
//
// Afterwards the CRM holds exactly one log per call, with its wrap-up
// reason and a duration, and the outbox (calls.db) is empty.
//
//	CI=true scripts/test-env.sh go test -race -run CRMCallLogExactlyOnce -v ./cmd/agentlink/
func TestCRMCallLogExactlyOnce(t *testing.T) {
	requireKeyring(t)
	requireChromium(t)
	bin := testBinary(t)
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	password := "pw-" + rand.Text()
	browser := crmBrowser(ctx, t)
	runs := make([]*crmRun, len(crmDrivers))
	for i, d := range crmDrivers {
		runs[i] = newCRMRun(ctx, t, d, password)
	}
	// One keychain entry for agent 1001 serves the four apps.
	storePassword(ctx, t, bin, runs[0].cfgPath, runs[0].xdg, password)
	t.Run("crm", func(t *testing.T) {
		for _, r := range runs {
			t.Run(r.d.name, func(t *testing.T) {
				t.Parallel()
				r.t, r.ctx = t, ctx
				r.scenarios(bin, browser)
			})
		}
	})
	t.Logf("four CRMs, five scenarios each: %s (load %s)", time.Since(began).Round(time.Second), loadAverage())
}

func loadAverage() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return strings.Join(strings.Fields(string(b))[:min(3, len(strings.Fields(string(b))))], " ")
}

// crmRun is one CRM's run: its simulator, app, stand-in and tabs.
type crmRun struct {
	t            *testing.T
	ctx          context.Context
	d            crmDriver
	sim          *finessesim.Sim
	host         *crmHost
	cfgPath, xdg string
	addr         string // the bridge, the same across restarts
	app          *demoApp
	drv          *headlessBridge // drives the phone; not in the lease
	tabs         []context.Context
	want         map[string]crmWant // dialog id -> what its log must say
	n            int                // command ids
}

type crmWant struct {
	reason string
	maxLen time.Duration // the call lasted at most this
}

func newCRMRun(ctx context.Context, t *testing.T, d crmDriver, password string) *crmRun {
	t.Helper()
	r := &crmRun{d: d, addr: freeLoopbackAddr(t), want: map[string]crmWant{}}
	r.sim = startHeadlessSim(ctx, t, password)
	r.host = startCRMHost(t, func() string { return r.addr })
	r.cfgPath, r.xdg = writeHeadlessConfig(t, r.sim)
	quoted := make([]string, 0, 2)
	for _, o := range r.host.origins() {
		quoted = append(quoted, strconv.Quote(o))
	}
	f, err := os.OpenFile(r.cfgPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := fmt.Fprintf(f, "\n[bridge]\nallowed_origins = [%s]\n", strings.Join(quoted, ", ")); err != nil {
		t.Fatal(err)
	}
	return r
}

// crmBrowser starts the one headless Chromium every run opens its tabs in.
func crmBrowser(ctx context.Context, t *testing.T) context.Context {
	t.Helper()
	profile, err := os.MkdirTemp("", "agentlink-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath("chromium"), chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		// Background tabs must keep their timers (the adapter's retries).
		chromedp.Flag("disable-background-timer-throttling", true), chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.WindowSize(1000, 800),
	}
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA(); _ = os.RemoveAll(profile) })
	if err := chromedp.Run(bctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return bctx
}

func (r *crmRun) scenarios(bin string, browser context.Context) {
	t := r.t
	r.start(bin, "1")
	for range 2 {
		tab, cancel := chromedp.NewContext(browser)
		t.Cleanup(cancel)
		if err := chromedp.Run(tab, chromedp.Navigate(r.d.page(r.host, r.addr))); err != nil {
			t.Fatalf("open the %s stand-in: %v", r.d.name, err)
		}
		r.tabs = append(r.tabs, tab)
	}
	r.waitAdapters(nil)

	// Two tabs: only the lease holder logs it.
	r.call("Sales inquiry", nil, nil)
	r.readyAndSaved()

	if r.d.answers { // a save refused once, then made by the adapter's retry
		r.hook("failNextSave()")
		id := r.call("Billing question", nil, nil)
		r.ready()
		r.waitSaved(id)
		if n := r.evalInt(`await __crm.refused()`); n != 1 {
			t.Errorf("the CRM refused %d saves, want 1 (the retry proves nothing otherwise)", n)
		}
	}

	r.call("Sales inquiry", r.reloadTabs, nil) // reload mid-call
	r.readyAndSaved()

	r.call("Billing question", nil, r.reloadTabs) // reload after the end, in wrap-up
	r.readyAndSaved()
	if r.d.answers { // reload while the CRM holds the save: it never completes
		r.hook("holdNextSave()")
		id := r.call("Sales inquiry", nil, nil)
		r.ready()
		r.waitHeld()
		r.reloadTabs()
		r.waitSaved(id)
	}

	r.killBetweenEndAndAck(bin)
	r.finish()
}

// killBetweenEndAndAck: (where the CRM answers) call 1's save is held by
// the CRM; call 2 has ended and waits in the outbox for its wrap-up reason;
// the app is killed; the CRM completes call 1's save (its acknowledgement
// cannot reach the app); the app starts again on the same address and
// config: call 1 is offered again and only acknowledged; the agent chooses
// call 2's reason and goes Ready, and call 2 is offered with it.
func (r *crmRun) killBetweenEndAndAck(bin string) {
	t := r.t
	held := ""
	if r.d.answers {
		r.hook("holdNextSave()")
		held = r.call("Sales inquiry", nil, nil)
		r.ready()
		r.waitHeld()
	}
	// Hung up, the agent in wrap-up without a reason: the call waits in the
	// outbox (a call with its reason is offered at once, and could be
	// logged before the kill).
	waiting := r.call("", nil, nil)
	kill(t, r.app)
	if held != "" {
		released := false
		for _, tab := range r.tabs {
			var ok bool
			if err := chromedp.Run(tab, chromedp.Evaluate(`__crm.release()`, &ok, awaitPromise)); err != nil {
				t.Fatalf("release the held save: %v", err)
			}
			released = released || ok
		}
		if !released {
			t.Fatal("no tab held the save")
		}
		r.waitSaved(held)
	}
	r.start(bin, "2")
	waitAgentIs(r.ctx, t, r.drv, "WORK_READY")
	// The reason chosen after the restart goes with the call.
	r.command("SetWrapUp", map[string]string{"dialogId": waiting, "reason": "Billing question"}, func(smokeFrame) bool { return true })
	w := r.want[waiting]
	w.reason = "Billing question"
	r.want[waiting] = w
	r.readyAndSaved()
}

// finish waits until the app's outbox is empty, stops the app, and checks
// calls.db and the CRM: one log per call, with its reason and duration.
func (r *crmRun) finish() {
	t := r.t
	r.waitMonitor("every call acknowledged", func(s crmMonitor) bool { return len(s.Unlogged) == 0 })
	r.app.stop(t)
	st, err := callstore.Open(filepath.Join(r.xdg, "agentlink", "calls.db"), callstore.Options{Logger: discardLogger()})
	if err != nil {
		t.Fatalf("open calls.db: %v", err)
	}
	if u := st.Unlogged(); len(u) != 0 {
		t.Errorf("calls.db still holds %d unacknowledged calls: %+v", len(u), u)
	}
	_ = st.Close()
	saves := r.saved()
	t.Logf("%s: %d calls; the CRM holds %+v", r.d.name, len(r.want), saves)
	if len(saves) != len(r.want) {
		t.Errorf("the CRM holds %d logs for %d calls: %+v", len(saves), len(r.want), saves)
	}
	for id, w := range r.want {
		var mine []crmSaved
		for _, s := range saves {
			if s.Ref == externalRef(id) {
				mine = append(mine, s)
			}
		}
		if len(mine) != 1 {
			t.Errorf("call %s: %d logs in the CRM, want 1: %+v", id, len(mine), mine)
			continue
		}
		s := mine[0]
		if s.Disposition != w.reason {
			t.Errorf("call %s logged with disposition %q, want %q", id, s.Disposition, w.reason)
		}
		d, err := strconv.ParseFloat(fmt.Sprint(s.Duration), 64)
		maxUnits := float64(int(w.maxLen.Seconds())/r.d.unit + 1)
		if err != nil || d < 0 || d > maxUnits {
			t.Errorf("call %s logged with duration %v (unit %ds), want 0 to %v", id, s.Duration, r.d.unit, maxUnits)
		}
	}
}

// start runs the app headless on r.addr, and the phone's driver.
func (r *crmRun) start(bin, n string) {
	r.app = startAppAt(r.ctx, r.t, bin, r.xdg, r.addr, "crm-"+r.d.name+"-"+n, nil, "--headless", "--config", r.cfgPath)
	r.drv = &headlessBridge{b: dialBridge(r.ctx, r.t, r.app)}
	waitAgentIs(r.ctx, r.t, r.drv, map[string]string{"1": "NOT_READY", "2": "WORK_READY"}[n])
	if n == "1" {
		r.command("SetState", map[string]string{"state": "READY"}, isAgentState("READY"))
	}
}

func (r *crmRun) command(cmd string, args any, event func(smokeFrame) bool) {
	r.t.Helper()
	r.n++
	r.drv.command(r.ctx, r.t, fmt.Sprintf("%s-%d", cmd, r.n), cmd, args, event)
}

// call rings agent 1001, answers (midCall runs then), hangs up and sets
// reason in wrap-up (inWrapUp runs before the reason; no reason: none is
// set). The agent stays in wrap-up; a call without its reason is not
// offered yet.
func (r *crmRun) call(reason string, midCall, inWrapUp func()) string {
	t := r.t
	t.Helper()
	id, err := r.sim.InjectCall(finessesim.CallSpec{AgentID: "1001", ANI: "5550123", DNIS: "8000"})
	if err != nil {
		t.Fatalf("InjectCall: %v", err)
	}
	r.drv.waitFor(r.ctx, t, "Dialog "+id+" ALERTING", isDialog(id, "ALERTING", ""))
	r.command("Answer", map[string]string{"dialogId": id}, isDialog(id, "ACTIVE", "ACTIVE"))
	began := time.Now()
	if midCall != nil {
		midCall()
	}
	r.command("Release", map[string]string{"dialogId": id}, isAgentState("WORK_READY"))
	r.want[id] = crmWant{reason: reason, maxLen: time.Since(began) + 2*time.Second}
	if inWrapUp != nil {
		inWrapUp()
	}
	if reason != "" {
		r.command("SetWrapUp", map[string]string{"dialogId": id, "reason": reason}, func(smokeFrame) bool { return true })
	}
	return id
}

// ready ends wrap-up: the call is offered to the lease holder.
func (r *crmRun) ready() {
	r.command("SetState", map[string]string{"state": "READY"}, isAgentState("READY"))
}

// readyAndSaved ends wrap-up and waits until every call so far is saved.
func (r *crmRun) readyAndSaved() {
	r.ready()
	for id := range r.want {
		r.waitSaved(id)
	}
}

// crmSaved is one log in the CRM's store, as window.__crm.saved() lists it.
type crmSaved struct {
	CRMID       string `json:"crmId"`
	Ref         string `json:"ref"`
	Disposition string `json:"disposition"`
	Duration    any    `json:"duration"`
}

func (r *crmRun) saved() []crmSaved {
	r.t.Helper()
	var raw string
	r.eval(`JSON.stringify(await __crm.saved())`, &raw)
	var out []crmSaved
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		r.t.Fatalf("__crm.saved(): %v: %s", err, raw)
	}
	return out
}

// waitSaved waits until the CRM holds a log of call id. The stand-ins have
// no event to wait on: it asks every 100 ms until a deadline.
func (r *crmRun) waitSaved(id string) {
	r.t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for {
		for _, s := range r.saved() {
			if s.Ref == externalRef(id) {
				return
			}
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("%s: call %s not logged within 45s; the CRM holds %+v\n%s", r.d.name, id, r.saved(), logTail(r.app.logPath, 20))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (r *crmRun) waitHeld() {
	r.t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for !r.evalBool(`await __crm.held()`) {
		if time.Now().After(deadline) {
			r.t.Fatalf("%s: no save reached the CRM within 45s", r.d.name)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// hook calls a test hook of the CRM stand-in (in the first tab: the
// stand-in's state is the CRM's, shared by its tabs); it must say true.
func (r *crmRun) hook(js string) {
	r.t.Helper()
	if !r.evalBool(`await __crm.` + js) {
		r.t.Fatalf("%s: __crm.%s refused", r.d.name, js)
	}
}

func (r *crmRun) eval(js string, out any) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.tabs[0], 20*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, chromedp.Evaluate(`(async () => (`+js+`))()`, out, awaitPromise)); err != nil {
		r.t.Fatalf("%s: %s: %v", r.d.name, js, err)
	}
}

func (r *crmRun) evalBool(js string) (ok bool) { r.eval(js, &ok); return ok }
func (r *crmRun) evalInt(js string) (n int)    { r.eval(js, &n); return n }

// reloadTabs reloads both tabs and waits until their adapters are back
// and connected.
func (r *crmRun) reloadTabs() {
	r.t.Helper()
	old := r.monitor().toolbars(r.addr)
	for _, tab := range r.tabs {
		ctx, cancel := context.WithTimeout(tab, 30*time.Second)
		err := chromedp.Run(ctx, chromedp.Reload())
		cancel()
		if err != nil {
			r.t.Fatalf("%s: reload: %v", r.d.name, err)
		}
	}
	r.waitAdapters(old)
}

// waitAdapters waits until both tabs' adapters are set up and their two
// toolbars (none of old) are connected, one holding the lease.
func (r *crmRun) waitAdapters(old []string) {
	r.t.Helper()
	for _, tab := range r.tabs {
		ctx, cancel := context.WithTimeout(tab, 30*time.Second)
		err := chromedp.Run(ctx, chromedp.Poll(r.d.ready, nil, chromedp.WithPollingInterval(100*time.Millisecond)))
		cancel()
		if err != nil {
			r.t.Fatalf("%s: adapter not ready: %v", r.d.name, err)
		}
	}
	r.waitMonitor("two toolbars connected, one holding the lease", func(s crmMonitor) bool {
		ids, owner := s.toolbars(r.addr), false
		for _, c := range s.Clients {
			owner = owner || c.Owner
		}
		for _, id := range ids {
			for _, o := range old {
				if id == o {
					return false
				}
			}
		}
		return len(ids) == 2 && owner
	})
}

// crmMonitor is the part of the Connector Monitor's state the test reads.
type crmMonitor struct {
	Clients []struct {
		ID, Origin string
		Owner      bool
	}
	Unlogged []struct {
		ID, WrapUpReason string
		Pending          bool
	}
}

// toolbars are the ids of the toolbars (served by the bridge at addr).
func (s crmMonitor) toolbars(addr string) []string {
	var ids []string
	for _, c := range s.Clients {
		if c.Origin == "http://"+addr {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

func (r *crmRun) monitor() crmMonitor {
	r.t.Helper()
	req, _ := http.NewRequestWithContext(r.ctx, http.MethodGet, "http://"+r.addr+"/monitor/api/state", nil)
	req.Header.Set("Authorization", "Bearer "+bridgeToken(r.t, r.xdg))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatalf("monitor state: %v", err)
	}
	defer resp.Body.Close()
	var s crmMonitor
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		r.t.Fatalf("monitor state: %v", err)
	}
	return s
}

// waitMonitor asks the Connector Monitor's state every 100 ms until cond
// holds (its event stream would do, but this is simpler) or a deadline.
func (r *crmRun) waitMonitor(what string, cond func(crmMonitor) bool) {
	r.t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for {
		s := r.monitor()
		if cond(s) {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("%s: %s: not within 45s: %+v", r.d.name, what, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

var notAlnum = regexp.MustCompile(`[^A-Za-z0-9]`)

// externalRef is the adapter core's reference of a Finesse dialog id.
func externalRef(id string) string {
	s := notAlnum.ReplaceAllString(id, "")
	return s[max(0, len(s)-35):]
}

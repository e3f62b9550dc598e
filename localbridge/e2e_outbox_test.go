package localbridge_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/agentlink/agentlink/callstore"
	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
	"github.com/agentlink/agentlink/localbridge"
)

// fakeCRM is the server side of testdata/crm/outbox-host.html: the CRM's
// call log, shared by every tab and surviving reloads, so the test counts
// what the CRM really saved. It can refuse the next saves or hold the next
// one until released (a save the page abandons by reloading is then never
// recorded, as a CRM that never received it).
type fakeCRM struct {
	mu       sync.Mutex
	saves    []crmSave
	fail     int           // refuse this many saves (500)
	failures int           // saves refused so far
	hold     chan struct{} // non-nil: the next save waits for it to close
	held     chan struct{} // closed once a save is being held
	aborted  int           // held saves whose page went away
	changed  chan struct{} // cap 1: a save arrived
}

type crmSave struct {
	ID, Ref, Disposition string
}

func newFakeCRM() *fakeCRM { return &fakeCRM{changed: make(chan struct{}, 1)} }

func (f *fakeCRM) handler(next http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", next)
	mux.HandleFunc("POST /crmlog", f.save)
	mux.HandleFunc("GET /crmlog", f.find)
	return mux
}

func (f *fakeCRM) save(w http.ResponseWriter, r *http.Request) {
	var log struct{ ID, Ref, Disposition string }
	if err := json.NewDecoder(r.Body).Decode(&log); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	if f.fail > 0 {
		f.fail--
		f.failures++
		f.mu.Unlock()
		f.signal()
		http.Error(w, "CRM is down", http.StatusInternalServerError)
		return
	}
	if hold := f.hold; hold != nil {
		f.hold = nil
		close(f.held)
		f.mu.Unlock()
		select {
		case <-hold:
		case <-r.Context().Done(): // the page reloaded: the CRM never got it
			f.mu.Lock()
			f.aborted++
			f.mu.Unlock()
			f.signal()
			return
		}
		f.mu.Lock()
	}
	f.saves = append(f.saves, crmSave{ID: log.ID, Ref: log.Ref, Disposition: log.Disposition})
	ref := fmt.Sprintf("LOG-%s-%d", log.Ref, len(f.saves))
	f.mu.Unlock()
	f.signal()
	writeJSONResp(w, map[string]string{"crmRef": ref})
}

func (f *fakeCRM) find(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, s := range f.saves {
		if s.Ref == r.URL.Query().Get("ref") {
			writeJSONResp(w, map[string]string{"crmRef": fmt.Sprintf("LOG-%s-%d", s.Ref, i+1)})
			return
		}
	}
	http.NotFound(w, r)
}

func writeJSONResp(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeCRM) signal() {
	select {
	case f.changed <- struct{}{}:
	default:
	}
}

// holdNext makes the next save wait; held is closed once it does.
func (f *fakeCRM) holdNext() (release func(), held <-chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hold, f.held = make(chan struct{}), make(chan struct{})
	h := f.hold
	return sync.OnceFunc(func() { close(h) }), f.held
}

func (f *fakeCRM) failNext(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = n
}

func (f *fakeCRM) refused() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failures
}

// savesOf lists the saves of one call.
func (f *fakeCRM) savesOf(id string) []crmSave {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []crmSave
	for _, s := range f.saves {
		if s.ID == id {
			out = append(out, s)
		}
	}
	return out
}

// waitFor waits until cond holds for the CRM's state.
func (f *fakeCRM) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for !cond() {
		select {
		case <-f.changed:
		case <-deadline:
			f.mu.Lock()
			t.Fatalf("%s: not within 30s; the CRM saved %+v (refused %d, aborted %d)", what, f.saves, f.failures, f.aborted)
			f.mu.Unlock()
		}
	}
}

// waitSaved waits until the CRM saved call id with its disposition.
func (f *fakeCRM) waitSaved(t *testing.T, id, disposition string) {
	t.Helper()
	f.waitFor(t, "call "+id+" saved", func() bool { return len(f.savesOf(id)) > 0 })
	if s := f.savesOf(id); s[0].Disposition != disposition {
		t.Errorf("call %s logged with disposition %q, want %q", id, s[0].Disposition, disposition)
	}
}

// withCallLog gives the chain's bridge (and so its session) an outbox.
func withCallLog(t *testing.T) (func(*chain, *localbridge.Config), *callstore.Store) {
	store, err := callstore.Open(filepath.Join(t.TempDir(), "calls.db"), callstore.Options{Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	return func(_ *chain, cfg *localbridge.Config) { cfg.CallLog = store }, store
}

// agentState waits until the session's agent is in state st.
func agentState(t *testing.T, sess *core.Session, st core.AgentState) {
	t.Helper()
	w := sess.Watch(core.WatchOptions{})
	defer w.Close()
	if w.Snapshot().Agent.State == st {
		return
	}
	deadline := time.After(15 * time.Second)
	for {
		select {
		case ev, ok := <-w.Events():
			if !ok {
				t.Fatalf("watch ended waiting for %s", st)
			}
			if ev.Kind == core.EventAgent && ev.Agent.State == st {
				return
			}
		case <-deadline:
			t.Fatalf("agent not %s within 15s (is %s)", st, sess.Snapshot().Agent.State)
		}
	}
}

// answerCall rings agent 1001 and answers.
func answerCall(t *testing.T, c *chain) string {
	t.Helper()
	id := inject(t, c, "1001", "+14155550123")
	run(t, c.sess, core.Command{Kind: core.CmdAnswer, DialogID: id})
	return id
}

// hangUpWithReason ends call id; the simulator removes it at once and the
// agent chooses the reason in wrap-up, after the call ended (the case the
// call-ended message used to miss), then goes Ready.
func hangUpWithReason(t *testing.T, c *chain, id, reason string) {
	t.Helper()
	run(t, c.sess, core.Command{Kind: core.CmdRelease, DialogID: id})
	agentState(t, c.sess, core.StateWorkReady)
	run(t, c.sess, core.Command{Kind: core.CmdWrapUp, DialogID: id, WrapUpReason: reason})
	run(t, c.sess, core.Command{Kind: core.CmdReady})
}

// TestCallLogExactlyOnce runs the adapter core in two tabs of a test CRM
// (testdata/crm/outbox-host.html) in Chromium against the simulator, with
// the app's outbox: every call is saved in the CRM exactly once, with the
// wrap-up reason chosen after the call ended, across two tabs, a CRM save
// that fails once, a reload mid-call and a reload after the end and before
// the save; and every call leaves the outbox acknowledged.
func TestCallLogExactlyOnce(t *testing.T) {
	ctx := browser(t)
	opt, store := withCallLog(t)
	c := startChainSim(t, finessesim.Config{}, nil, opt)
	tabA := c.openCRM(t, ctx, "outbox-host.html", url.Values{})
	c.waitClients(t, 1)
	ctxB, cancel := chromedp.NewContext(ctx)
	defer cancel()
	tabB := c.openCRM(t, ctxB, "outbox-host.html", url.Values{})
	c.waitClients(t, 2)
	run(t, c.sess, core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "secret1", Extension: "5001"})
	run(t, c.sess, core.Command{Kind: core.CmdReady})
	want := map[string]string{} // call -> disposition

	// Two tabs; the reason is chosen in wrap-up, after the call ended.
	id := answerCall(t, c)
	hangUpWithReason(t, c, id, "Sales inquiry")
	c.crm.waitSaved(t, id, "Sales inquiry")
	want[id] = "Sales inquiry"

	// The CRM refuses the first save: the adapter retries.
	c.crm.failNext(1)
	id = answerCall(t, c)
	hangUpWithReason(t, c, id, "Billing question")
	c.crm.waitSaved(t, id, "Billing question")
	if n := c.crm.refused(); n != 1 {
		t.Errorf("the CRM refused %d saves, want 1 (the retry proves nothing otherwise)", n)
	}
	want[id] = "Billing question"

	// Both tabs reload mid-call.
	id = answerCall(t, c)
	old := c.srv.Clients()
	reload(t, tabA)
	reload(t, tabB)
	c.waitClients(t, 2, old...)
	hangUpWithReason(t, c, id, "Sales inquiry")
	c.crm.waitSaved(t, id, "Sales inquiry")
	want[id] = "Sales inquiry"

	// The tabs reload after the end, while the save is on its way: the CRM
	// never gets it; after the reload the call is offered again and saved.
	release, held := c.crm.holdNext()
	defer release()
	id = answerCall(t, c)
	hangUpWithReason(t, c, id, "Billing question")
	select {
	case <-held:
	case <-time.After(30 * time.Second):
		t.Fatal("no save reached the CRM")
	}
	old = c.srv.Clients()
	reload(t, tabA)
	reload(t, tabB)
	c.crm.waitFor(t, "the held save abandoned by the reload", func() bool { c.crm.mu.Lock(); defer c.crm.mu.Unlock(); return c.crm.aborted == 1 })
	c.waitClients(t, 2, old...)
	c.crm.waitSaved(t, id, "Billing question")
	want[id] = "Billing question"

	waitOutboxEmpty(t, c, store)
	for id, disp := range want {
		if s := c.crm.savesOf(id); len(s) != 1 || s[0].Disposition != disp {
			t.Errorf("call %s: the CRM saved %+v, want once with %q", id, s, disp)
		}
	}
}

func reload(t *testing.T, tab *crmTab) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, chromedp.Reload()); err != nil {
		t.Fatalf("reload: %v", err)
	}
}

// waitOutboxEmpty waits until every call was acknowledged.
func waitOutboxEmpty(t *testing.T, c *chain, store *callstore.Store) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for len(store.Unlogged()) > 0 {
		select {
		case <-c.srv.Changes():
		case <-time.After(200 * time.Millisecond): // Changes is shared with waitClients: do not rely on it alone
		case <-deadline:
			t.Fatalf("still not acknowledged after 30s: %+v", store.Unlogged())
		}
	}
}

// TestCallLogLeaseMovesMidSave: tab A is saving a call when the agent
// takes the screen-pop lease to tab B, which is offered the same call at
// once. B waits for A's save (a Web Lock shared by the CRM's tabs), finds
// it saved (localStorage) and only acknowledges: the CRM has it once.
func TestCallLogLeaseMovesMidSave(t *testing.T) {
	ctx := browser(t)
	opt, store := withCallLog(t)
	c := startChainSim(t, finessesim.Config{}, nil, opt)
	c.openCRM(t, ctx, "outbox-host.html", url.Values{})
	c.waitClients(t, 1)
	ctxB, cancel := chromedp.NewContext(ctx)
	defer cancel()
	tabB := c.openCRM(t, ctxB, "outbox-host.html", url.Values{})
	c.waitClients(t, 2)
	tbA, tbB := c.toolbar(t, ctx), c.toolbar(t, ctxB)
	tbB.wait("tab B says another tab pops", "#claim-btn")
	run(t, c.sess, core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "secret1", Extension: "5001"})
	run(t, c.sess, core.Command{Kind: core.CmdReady})

	release, held := c.crm.holdNext()
	defer release()
	id := answerCall(t, c)
	hangUpWithReason(t, c, id, "Sales inquiry")
	select {
	case <-held: // tab A's save reached the CRM, which has not answered yet
	case <-time.After(30 * time.Second):
		t.Fatal("no save reached the CRM")
	}
	// The Connector Monitor lists the call while it is not logged.
	ctxM, cancelM := chromedp.NewContext(ctx)
	defer cancelM()
	monitor := monitorShows(t, c, ctxM)
	monitor("the monitor lists the call not yet logged", `document.getElementById("unlogged-count").textContent === "1" && document.getElementById("unlogged").textContent.includes("`+id+`")`)
	tbB.click("use tab B", "#claim-btn")
	tbA.wait("tab A no longer pops", "#claim-btn")
	tabB.until("tab B is offered the call while A saves it", `adapter.inflight.size === 1`)
	release()
	waitOutboxEmpty(t, c, store)
	monitor("the monitor lists no call once it is logged", `document.getElementById("unlogged-count").textContent === "0"`)
	if s := c.crm.savesOf(id); len(s) != 1 {
		t.Errorf("the CRM saved call %s %d times, want once: %+v", id, len(s), s)
	}
	var bSaves int
	tabB.eval("tab B's saves", `crmOps.filter(o => o.op === "save").length`, &bSaves)
	if bSaves != 0 {
		t.Errorf("tab B saved %d times, want 0 (tab A saved it)", bSaves)
	}
}

// monitorShows opens the Connector Monitor in ctx and returns a function
// that waits until a JS condition holds on it.
func monitorShows(t *testing.T, c *chain, ctx context.Context) func(what, cond string) {
	t.Helper()
	u, err := c.srv.MonitorURL()
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("monitor: %v", err)
	}
	return func(what, cond string) {
		t.Helper()
		tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Run(tctx, chromedp.Poll(cond, nil)); err != nil {
			var text string
			_ = chromedp.Run(ctx, chromedp.Text("#unlogged", &text, chromedp.ByQuery))
			t.Fatalf("%s: %v (the monitor shows %q)", what, err, text)
		}
	}
}

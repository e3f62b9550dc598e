package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// Figure 7 settings and target (issue 14 item 1).
const (
	peerSettle   = 3 * time.Second // after each step of the shift, before reading
	peerWindow   = 5 * time.Second // CPU is read over this
	peerRatioMax = 0.5             // AgentLink PSS / Chromium tab PSS
	peerTimeout  = 60 * time.Second
)

// shiftStep is one step of the agent's shift: what the agent's client
// shows, and how the bench gets it there.
type shiftStep struct {
	name   string
	target bool // the ratio has a target (idle and ringing); talking is information
}

var shift = []shiftStep{{"idle, signed in", true}, {"ringing", true}, {"talking", false}}

// peerClient is one of the two clients under test, driven through the
// shift by the bench.
type peerClient struct {
	root    int                                       // process (tree) to measure
	advance func(ctx context.Context, step int) error // bring the client to shift[step]
}

// peerReading is one step's reading of a client's processes.
type peerReading struct {
	mem   TreeSample
	cpu   float64
	procs ProcSample // the root alone (AgentLink: RSS split anon/file)
	gl    []string   // GL driver libraries mapped (AgentLink, or Chromium's GPU process)
}

// runPeer is figure 7: the same short shift in AgentLink's softphone and
// in the reference toolbar page in Chromium, one after the other on the
// same Xvfb and session bus, each against its own simulator in this
// process.
func runPeer(ctx context.Context, bins binaries) []Row {
	const name = "side by side with Chromium"
	fe, err := newFootprintEnv(bins)
	if err != nil {
		return []Row{failRow(7, name, err)}
	}
	defer os.RemoveAll(fe.dir)
	d, err := startDisplay(ctx)
	if errors.Is(err, errNoXvfbBin) {
		return []Row{{Figure: 7, Metric: name, Display: "-", Status: StatusNotMeasured, Note: err.Error()}}
	}
	if err != nil {
		return []Row{failRow(7, name, err)}
	}
	defer d.Close()
	app, err := agentlinkShift(ctx, fe, d)
	if err != nil {
		return []Row{failRow(7, name+": AgentLink softphone", err)}
	}
	browser, err := chromiumShift(ctx, fe, d)
	if err != nil {
		return []Row{failRow(7, name+": Chromium toolbar tab", err)}
	}
	gl := Row{Figure: 7, Metric: "GL driver libraries in use (same display)", Unit: "text", Display: "see note", Status: StatusInfo,
		Note: fmt.Sprintf("AgentLink maps %s; Chromium's GPU process maps %s", glList(app[0].gl), glList(browser[0].gl))}
	return append(peerRows(app, browser), gl)
}

// runShift takes a client through the shift, reading it at each step.
func runShift(ctx context.Context, c peerClient) ([]peerReading, error) {
	var out []peerReading
	for i := range shift {
		if err := c.advance(ctx, i); err != nil {
			return nil, fmt.Errorf("%s: %w", shift[i].name, err)
		}
		r, err := readPeer(ctx, c.root)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", shift[i].name, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// readPeer settles, then reads the tree's CPU over peerWindow and its
// memory at the end.
func readPeer(ctx context.Context, root int) (peerReading, error) {
	var r peerReading
	if err := sleepCtx(ctx, peerSettle); err != nil {
		return r, err
	}
	a, err := sampleTree(root)
	if err != nil {
		return r, err
	}
	if err := sleepCtx(ctx, peerWindow); err != nil {
		return r, err
	}
	if r.mem, err = sampleTree(root); err != nil {
		return r, err
	}
	r.cpu = treeCPUPercent(a, r.mem)
	r.gl = treeGL(root)
	r.procs, err = SampleProc(root)
	return r, err
}

// treeGL lists the GL driver libraries mapped by the tree's GPU process
// (Chromium) or, when it has none, by root itself (AgentLink).
func treeGL(root int) []string {
	gl := root
	procs, _ := readProcs()
	for _, pid := range procTree(root, procs) {
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if chromiumKind(cmdline) == "gpu-process" {
			gl = pid
		}
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", gl))
	if err != nil {
		return nil
	}
	return mappedAny(mappedPaths(b), glLibNames...)
}

// pssSplit says how much of a PSS is anonymous (shared at most within the
// process tree, so steady) and file-backed (shared with any process mapping
// the same libraries, so it moves when other programs come and go).
func pssSplit(r Rollup) string {
	return fmt.Sprintf("PSS %.1f MB anonymous + %.1f MB file-backed", mb(r.PSSAnon), mb(r.PSSFile))
}

func glList(libs []string) string {
	if len(libs) == 0 {
		return "no GL driver library"
	}
	return strings.Join(libs, ", ")
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// agentlinkShift runs the softphone (window shown) against a simulator in
// this process; a bridge client of the bench signs the agent in (there is
// no keychain) and answers the call, as the softphone's own button would.
func agentlinkShift(ctx context.Context, fe *footprintEnv, d *display) ([]peerReading, error) {
	sim, err := finessesim.Start(ctx, finessesim.Config{Seed: 7, Logger: discardLogger()})
	if err != nil {
		return nil, err
	}
	defer sim.Close()
	a := sim.Node(finessesim.NodeA)
	env := d.env(fe.env, filepath.Join(fe.dir, "cache-agentlink"))
	r, err := startAppEnv(ctx, fe, env, fe.bin,
		"--side-a", net.JoinHostPort(a.Host(), strconv.Itoa(a.RESTPort())), "--xmpp-port", strconv.Itoa(a.XMPPTLSPort()),
		"--ca-file", sim.CAFile(), "--agent", chainAgent.ID, "--extension", chainAgent.Extension)
	if err != nil {
		return nil, err
	}
	defer r.stop()
	pid := r.cmd.Process.Pid
	if _, _, err := d.waitWindow(ctx, peerTimeout, func() []int { return []int{pid} }); err != nil {
		return nil, err
	}
	_, _, tb, err := loginThroughBridge(ctx, r.addr, r.token, r.exited)
	if err != nil {
		return nil, err
	}
	defer tb.Close()
	var id string
	return runShift(ctx, peerClient{root: pid, advance: func(ctx context.Context, step int) error {
		switch step {
		case 0:
			_, err := tb.request(ctx, "SetState", map[string]string{"state": "READY"})
			return err
		case 1:
			if id, err = sim.InjectCall(finessesim.CallSpec{AgentID: chainAgent.ID, ANI: "5550100", DNIS: "8000"}); err != nil {
				return err
			}
			return waitAppDialog(ctx, tb, id, "ALERTING")
		default:
			if _, err := tb.request(ctx, "Answer", map[string]string{"dialogId": id}); err != nil {
				return err
			}
			return waitAppDialog(ctx, tb, id, "ACTIVE")
		}
	}})
}

// waitAppDialog polls the bridge's GetState until dialog id has the
// agent's participant in state.
func waitAppDialog(ctx context.Context, tb *toolbar, id, state string) error {
	deadline := time.Now().Add(requestTimeout)
	for {
		res, err := tb.request(ctx, "GetState", nil)
		if err != nil {
			return err
		}
		var snap struct {
			Dialogs []eventData `json:"dialogs"`
		}
		if err := json.Unmarshal(res, &snap); err != nil {
			return fmt.Errorf("GetState result: %w", err)
		}
		for _, dl := range snap.Dialogs {
			if dl.ID == id && dl.AgentState == state {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("dialog %s not %s in the app within %v", id, state, requestTimeout)
		}
		if err := sleepCtx(ctx, 20*time.Millisecond); err != nil {
			return err
		}
	}
}

// chromiumArgs are the flags Chromium runs with: a fresh profile, no
// first-run or default-browser prompts, no background traffic (component
// updates, sync, safe-browsing downloads) that would add processes and CPU
// an agent's machine may or may not have, and one window of the display's
// size. No GPU, headless or site-isolation flags: Chromium picks its own
// GL (on this display Mesa's, as for the app) and process model, as it
// would for the agent. As root (CI) it refuses to start without
// --no-sandbox; the sandbox changes little of its memory.
func chromiumArgs(profile, url string) []string {
	args := []string{"--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--password-store=basic", "--window-position=0,0", "--window-size=1280,800"}
	if os.Geteuid() == 0 {
		args = append(args, "--no-sandbox")
	}
	return append(args, url)
}

// chromiumShift opens the bridge's reference toolbar page in Chromium
// (headful, on the display) against the bench's chain, and takes it
// through the same shift through the chain's session.
func chromiumShift(ctx context.Context, fe *footprintEnv, d *display) ([]peerReading, error) {
	path, err := exec.LookPath("chromium")
	if err != nil {
		return nil, fmt.Errorf("chromium not installed (scripts/setup.sh all installs it): %w", err)
	}
	c, err := startChain(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.login(ctx); err != nil {
		return nil, err
	}
	profile := filepath.Join(fe.dir, "chromium-profile")
	url := fmt.Sprintf("http://%s/toolbar/?agentId=%s&extension=%s", c.srv.Addr(), chainAgent.ID, chainAgent.Extension)
	cmd := exec.Command(path, chromiumArgs(profile, url)...)
	cmd.Env = d.env(fe.env, filepath.Join(fe.dir, "cache-chromium"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	defer killGroup(cmd)
	root := cmd.Process.Pid
	tree := func() []int {
		procs, _ := readProcs()
		return procTree(root, procs)
	}
	if _, _, err := d.waitWindow(ctx, peerTimeout, tree); err != nil {
		return nil, err
	}
	if err := waitBridgeClient(ctx, c); err != nil {
		return nil, err
	}
	var id string
	readings, err := runShift(ctx, peerClient{root: root, advance: func(ctx context.Context, step int) error {
		switch step {
		case 0:
			return nil // signed in and READY before the page opened
		case 1:
			if id, err = c.sim.InjectCall(finessesim.CallSpec{AgentID: chainAgent.ID, ANI: "5550100", DNIS: "8000"}); err != nil {
				return err
			}
			return c.waitSession(ctx, requestTimeout, "call ringing", func(s core.Snapshot) bool {
				dl, ok := dialogIn(s, id)
				return ok && dl.Allows(core.ActionAnswer)
			})
		default:
			actx, cancel := context.WithTimeout(ctx, requestTimeout)
			defer cancel()
			return c.sess.Answer(actx, id)
		}
	}})
	return readings, err
}

// waitBridgeClient waits until the page's SDK has connected to the bridge.
func waitBridgeClient(ctx context.Context, c *chain) error {
	deadline := time.Now().Add(peerTimeout)
	for len(c.srv.Clients()) == 0 {
		if time.Now().After(deadline) {
			return fmt.Errorf("the toolbar page did not connect to the bridge within %v", peerTimeout)
		}
		if err := sleepCtx(ctx, 20*time.Millisecond); err != nil {
			return err
		}
	}
	return nil
}

// peerRows are, for each step of the shift: both clients' memory, their
// CPU, and the memory ratio (with its target for idle and ringing).
func peerRows(app, browser []peerReading) []Row {
	var rows []Row
	for i, st := range shift {
		a, b := app[i], browser[i]
		p := "shift " + st.name + ": "
		rows = append(rows,
			infoRow(7, p+"AgentLink softphone memory (PSS)", mb(a.mem.Mem.PSS), "MB", 1,
				fmt.Sprintf("%s; RSS %.1f MB (%.1f anonymous + %.1f file-backed)", pssSplit(a.mem.Mem), mb(a.procs.RSS), mb(a.procs.Anon), mb(a.procs.File))),
			infoRow(7, p+"Chromium toolbar tab memory (PSS, all its processes)", mb(b.mem.Mem.PSS), "MB", 1,
				fmt.Sprintf("%s; RSS summed over the processes %.1f MB (counts shared pages once per process); %d processes: %s",
					pssSplit(b.mem.Mem), mb(b.mem.Mem.RSS), len(b.mem.CPU), kindsNote(b.mem.Kinds))))
		ratio := 0.0
		if b.mem.Mem.PSS > 0 {
			ratio = float64(a.mem.Mem.PSS) / float64(b.mem.Mem.PSS)
		}
		r := infoRow(7, p+"memory ratio AgentLink / Chromium (PSS)", ratio, "×", 2, "")
		if st.target {
			r = leRow(7, p+"memory ratio AgentLink / Chromium (PSS)", ratio, "×", 2, peerRatioMax)
		}
		if b.mem.Mem.PSS > 0 {
			r.Note = fmt.Sprintf("AgentLink RSS / Chromium PSS: %.2f", float64(a.procs.RSS)/float64(b.mem.Mem.PSS))
		}
		rows = append(rows, r,
			infoRow(7, p+"CPU, AgentLink softphone", a.cpu, "% of a core", 2, fmt.Sprintf("utime+stime over %v", peerWindow)),
			infoRow(7, p+"CPU, Chromium toolbar tab (all its processes)", b.cpu, "% of a core", 2, fmt.Sprintf("utime+stime over %v", peerWindow)))
	}
	return rows
}

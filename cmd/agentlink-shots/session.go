package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/chromedp/chromedp"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// session is one run: the app, its bridge, the browser, and the files
// written so far.
type session struct {
	out           string
	width, height int
	app           *app
	br            *bridge
	win           *window
	web           *browser
	toolbar       context.Context
	written       []string
}

// The caller in every picture, and the simulator's call data for her. The
// variable names are the demo's (cmd/agentlink/demo.go): the default call
// variables layout labels them.
var (
	callerANI  = "+14155550123"
	callerVars = []map[string]string{
		{"name": "user.customer.name", "value": "Dana Whitfield"},
		{"name": "callVariable1", "value": "ACME-1042"},
		{"name": "callVariable2", "value": "Billing"},
	}
	consultTo = "5550188"
)

func (s *session) run(ctx context.Context, bin string) error {
	var err error
	if s.app, err = startApp(ctx, bin); err != nil {
		return err
	}
	tok, err := s.app.token()
	if err != nil {
		return fmt.Errorf("reading the bridge token: %w", err)
	}
	if s.br, err = dialBridge(ctx, s.app.bridge, tok); err != nil {
		return err
	}
	// --demo signs the agent in by itself.
	if err := s.br.waitState(ctx, "NOT_READY"); err != nil {
		return err
	}
	if s.win, err = findWindow(ctx); err != nil {
		return err
	}
	if err := s.win.resize(ctx, s.width, s.height); err != nil {
		return err
	}
	if s.web, err = startBrowser(ctx); err != nil {
		return err
	}
	steps := []func(context.Context) error{s.ready, s.ringing, s.talking, s.consult, s.wrapUp, s.directory, s.recent, s.monitor}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return fmt.Errorf("%w\nagentlink log, last lines:\n%s", err, s.app.logTail())
		}
	}
	return nil
}

// ready: Ready, with a supervisor's team message and queue figures.
func (s *session) ready(ctx context.Context) error {
	c := s.app.control
	if _, err := control(ctx, c, "POST", "/queues/7001", map[string]int{"callsInQueue": 3, "longestWaitSec": 95}); err != nil {
		return err
	}
	if _, err := control(ctx, c, "POST", "/teams/10/messages",
		map[string]any{"from": "Sam Super", "content": "Storm warning: expect high volume after 2 pm", "durationSec": 3600}); err != nil {
		return err
	}
	if _, err := s.br.do(ctx, "SetState", map[string]string{"state": "READY"}); err != nil {
		return err
	}
	if err := s.br.waitState(ctx, "READY"); err != nil {
		return err
	}
	if err := s.softphone(ctx, "softphone-ready.png"); err != nil {
		return err
	}
	tctx, _, err := s.web.tab(340, 600, nil) // closed with the browser
	if err != nil {
		return err
	}
	s.toolbar = tctx
	if err := chromedpNavigate(tctx, "http://"+s.app.bridge+"/toolbar/"); err != nil {
		return err
	}
	return s.toolbarShot("toolbar-ready.png", "#agent-state.READY")
}

// ringing: an inbound call from a known customer, with labelled call data.
func (s *session) ringing(ctx context.Context) error {
	if _, err := control(ctx, s.app.control, "POST", "/calls", map[string]any{
		"agentId": "1001", "ani": callerANI, "dnis": "8005550100", "variables": callerVars}); err != nil {
		return err
	}
	if err := s.br.waitDialogs(ctx, 1, "ALERTING"); err != nil {
		return err
	}
	return s.softphone(ctx, "softphone-ringing.png")
}

// talking: answered, the call timer running.
func (s *session) talking(ctx context.Context) error {
	if _, err := s.br.do(ctx, "Answer", nil); err != nil {
		return err
	}
	if err := s.br.waitState(ctx, "TALKING"); err != nil {
		return err
	}
	if err := s.softphone(ctx, "softphone-talking.png"); err != nil {
		return err
	}
	return s.toolbarShot("toolbar-call.png", `button[data-action="HOLD"]`)
}

// consult: the customer held, a colleague on the line; the consult card
// offers Transfer and Conference.
// This program takes the screen-pop lease from the toolbar tab here (no
// toolbar picture follows) and logs each ended call as a CRM would.
func (s *session) consult(ctx context.Context) error {
	if _, err := s.br.do(ctx, "ClaimOwner", nil); err != nil {
		return err
	}
	if _, err := s.br.do(ctx, "Consult", map[string]string{"number": consultTo}); err != nil {
		return err
	}
	if err := s.br.waitDialogs(ctx, 2, "HELD", "ACTIVE"); err != nil {
		return err
	}
	// Scroll the call list (mouse wheel over it) to the consult card.
	if err := s.win.scroll(ctx, s.width/2, s.height*3/4, 15); err != nil {
		return err
	}
	return s.softphone(ctx, "softphone-consult.png")
}

// wrapUp: transfer the customer to the colleague; the agent is in wrap-up
// with the reason picker in view.
func (s *session) wrapUp(ctx context.Context) error {
	if _, err := s.br.do(ctx, "Transfer", nil); err != nil {
		return err
	}
	if err := s.br.until(ctx, 20*time.Second, "wrap-up", func() bool {
		return strings.HasPrefix(s.br.last.State, "WORK")
	}); err != nil {
		return err
	}
	if err := s.softphone(ctx, "softphone-wrapup.png"); err != nil {
		return err
	}
	// Pick the first reason, so the call is logged before the next pictures.
	out, err := s.br.do(ctx, "GetWrapUpReasons", nil)
	if err != nil {
		return err
	}
	var rs struct {
		WrapUpReasons []struct {
			Label string `json:"label"`
		} `json:"wrapUpReasons"`
	}
	if err := json.Unmarshal(out, &rs); err != nil || len(rs.WrapUpReasons) == 0 {
		return fmt.Errorf("no wrap-up reasons: %s", out)
	}
	_, err = s.br.do(ctx, "SetWrapUp", map[string]string{"reason": rs.WrapUpReasons[0].Label})
	return err
}

// directory: Ctrl+K opens the phone books with the recent numbers first.
func (s *session) directory(ctx context.Context) error {
	if err := s.win.key(ctx, "ctrl+k"); err != nil {
		return err
	}
	if err := s.softphone(ctx, "softphone-directory.png"); err != nil {
		return err
	}
	return s.win.key(ctx, "Escape")
}

// recent: back to Ready, a call the agent missed, then the Recent calls
// list opened from the keyboard: Ctrl+D puts the cursor in the dial field,
// and the section's header is the focusable just before it.
func (s *session) recent(ctx context.Context) error {
	if _, err := s.br.do(ctx, "SetState", map[string]string{"state": "READY"}); err != nil {
		return err
	}
	if err := s.br.waitState(ctx, "READY"); err != nil {
		return err
	}
	out, err := control(ctx, s.app.control, "POST", "/calls", map[string]any{
		"agentId": "1001", "ani": "+442079460958", "dnis": "8005550100", "variables": []map[string]string{
			{"name": "user.customer.name", "value": "Oliver Grant"}, {"name": "callVariable1", "value": "ACME-2210"}}})
	if err != nil {
		return err
	}
	var call struct {
		DialogID string `json:"dialogId"`
	}
	if err := json.Unmarshal(out, &call); err != nil || call.DialogID == "" {
		return fmt.Errorf("the simulator did not name the call it rang: %s", out)
	}
	if err := s.br.waitDialogs(ctx, 1, "ALERTING"); err != nil {
		return err
	}
	if _, err := control(ctx, s.app.control, "DELETE", "/calls/"+call.DialogID, nil); err != nil {
		return err
	}
	if err := s.br.waitDialogs(ctx, 0); err != nil {
		return err
	}
	for _, k := range []string{"ctrl+d", "shift+Tab", "space"} {
		if err := s.win.key(ctx, k); err != nil {
			return err
		}
	}
	return s.softphone(ctx, "softphone-recent.png")
}

// monitor: the Connector Monitor with the toolbar connected and the audit
// trail of this run's commands. It takes the bridge token as a local
// program would, instead of the tray's one-time ticket.
func (s *session) monitor(ctx context.Context) error {
	tok, err := s.app.token()
	if err != nil {
		return err
	}
	tctx, _, err := s.web.tab(1280, 800, map[string]any{"Authorization": "Bearer " + tok})
	if err != nil {
		return err
	}
	if err := chromedpNavigate(tctx, "http://"+s.app.bridge+"/monitor/"); err != nil {
		return err
	}
	if err := waitJS(tctx, `document.getElementById("live").textContent === "Live"`); err != nil {
		var live, audit string
		_ = chromedp.Run(tctx, chromedp.Text("#live", &live, chromedp.ByQuery), chromedp.Text("#audit", &audit, chromedp.ByQuery))
		return fmt.Errorf("the Connector Monitor never showed live state (%q; audit %.200q): %w", live, audit, err)
	}
	pic, err := shot(tctx, "#audit", "")
	if err != nil {
		return err
	}
	return s.write("monitor.png", pic)
}

// softphone captures the window at the fixed size. The app sets its own
// size again when it raises the window (a ringing call), so the size is
// put back before each capture and the picture's size checked.
func (s *session) softphone(ctx context.Context, name string) error {
	for range 3 {
		if err := s.win.resize(ctx, s.width, s.height); err != nil {
			return err
		}
		shot, err := s.win.capture(ctx)
		if err != nil {
			return err
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(shot))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if cfg.Width == s.width && cfg.Height == s.height {
			return s.write(name, shot)
		}
	}
	return fmt.Errorf("%s: the window does not keep the size %dx%d", name, s.width, s.height)
}

func (s *session) toolbarShot(name, wait string) error {
	pic, err := shot(s.toolbar, wait, "body")
	if err != nil {
		return fmt.Errorf("toolbar: %w", err)
	}
	return s.write(name, pic)
}

// write stores png as out/name, with its metadata stripped and its colours
// quantised (ImageMagick), so each picture stays small.
func (s *session) write(name string, pic []byte) error {
	if err := os.MkdirAll(s.out, 0o755); err != nil {
		return err
	}
	path := filepath.Join(s.out, name)
	cmd := exec.Command("convert", "png:-", "-strip", "-dither", "None", "-colors", "128",
		"-define", "png:compression-level=9", "PNG8:"+path)
	cmd.Stdin = bytes.NewReader(pic)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("convert %s: %v: %s", name, err, out)
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	s.written = append(s.written, fmt.Sprintf("%s %d KB", path, (st.Size()+1023)/1024))
	return nil
}

func (s *session) close() {
	if s.web != nil {
		s.web.close()
	}
	if s.br != nil {
		s.br.close()
	}
	s.app.stop()
}

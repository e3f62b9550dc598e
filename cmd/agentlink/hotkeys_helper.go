package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// hotkeyHelperName is the helper's file name, installed beside agentlink.
func hotkeyHelperName() string {
	if runtime.GOOS == "windows" {
		return "agentlink-hotkeys.exe"
	}
	return "agentlink-hotkeys"
}

// findHotkeyHelper looks beside the running agentlink first (the MSI and
// the tarball put it there), then on PATH.
func findHotkeyHelper() (string, error) {
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), hotkeyHelperName())
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	if p, err := exec.LookPath(hotkeyHelperName()); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s is not installed beside agentlink nor on PATH: install it with AgentLink, "+
		"or set ui.global_hotkeys = false", hotkeyHelperName())
}

// runHotkeyHelper runs agentlink-hotkeys until ctx ends. Every line it
// writes is logged; when it cannot start or stops by itself (no display,
// a key taken by another program) the log gets the detail and notice,
// once, the reason in the agent's words for the softphone to show, and
// AgentLink goes on without global hotkeys.
func runHotkeyHelper(ctx context.Context, cfg Config, endpoint string, log *slog.Logger, notice func(string)) {
	log = log.With("component", "hotkeys")
	fail := func(say, detail string) {
		log.Error("global hotkeys are off", "reason", detail)
		notice("Global hotkeys are off: " + say)
	}
	bindings := cfg.hotkeyBindings()
	if len(bindings) == 0 {
		log.Warn("global hotkeys are on but no hotkey is left to grab (see the problems above)")
		return
	}
	if endpoint == "" {
		fail("AgentLink could not set up the channel the hotkeys use. The log has the details.",
			"AgentLink's single-instance channel could not be set up (see the log), and the hotkeys reach AgentLink through it")
		return
	}
	path, err := findHotkeyHelper()
	if err != nil {
		fail("the hotkeys program ("+hotkeyHelperName()+") is not installed beside AgentLink. "+
			"Ask your administrator to install it with AgentLink.", err.Error())
		return
	}
	args := append([]string{"--instance", endpoint, "--watch-stdin"}, bindings...)
	cmd := exec.Command(path, args...)
	stdin, err := cmd.StdinPipe() // closing it tells the helper to exit
	if err != nil {
		fail("the hotkeys program could not be started. The log has the details.", err.Error())
		return
	}
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		fail("the hotkeys program could not be started. The log has the details.", fmt.Sprintf("starting %s: %v", path, err))
		return
	}
	// Wait closes the pipes, so it runs only once both are read to the
	// end: otherwise the helper's last words (why it stopped) are lost.
	last, taken, outDone := "", "", make(chan struct{})
	go func() {
		logLines(stdout, func(l string) {
			if t, ok := strings.CutPrefix(l, "taken: "); ok {
				taken = t
			}
			log.Info("global hotkeys "+l, "helper", path)
		})
		close(outDone)
	}()
	exited := make(chan error, 1)
	go func() {
		logLines(stderr, func(l string) {
			last = strings.TrimPrefix(l, "agentlink-hotkeys: ")
			log.Warn("global hotkeys helper", "msg", last)
		})
		<-outDone
		exited <- cmd.Wait()
	}()
	select {
	case err := <-exited:
		detail := last // written before exited was sent, as taken
		if detail == "" {
			detail = fmt.Sprintf("%s stopped (%v)", hotkeyHelperName(), err)
		}
		fail(helperStoppedWords(cfg, taken, detail), detail)
	case <-ctx.Done():
		stopHotkeyHelper(cmd, stdin, exited, log)
	}
}

// helperStoppedWords says for the agent why the helper stopped: a key
// another program holds (taken is the helper's "VERB KEYS"), no X11
// display, or else see the log.
func helperStoppedWords(cfg Config, taken, detail string) string {
	if verb, keys, ok := strings.Cut(taken, " "); ok {
		return fmt.Sprintf("%s (%s) is already used by another program. Choose another key for it (%s in config.toml) and restart AgentLink.",
			keyWords(keys), cfg.hotkeyWords(verb), cfg.hotkeyConfigKey(verb))
	}
	if strings.Contains(detail, "X11 display") {
		return "they work on an X11 desktop only, and this session has none (Wayland without XWayland, or a remote session)."
	}
	return "the hotkeys program stopped. The log has the details."
}

// stopHotkeyHelper closes the helper's stdin and waits briefly for it to
// release the keys; one that hangs is killed.
func stopHotkeyHelper(cmd *exec.Cmd, stdin io.Closer, exited <-chan error, log *slog.Logger) {
	_ = stdin.Close()
	select {
	case <-exited:
	case <-time.After(3 * time.Second):
		_ = cmd.Process.Kill()
		err := <-exited
		log.Warn("global hotkeys helper killed: it did not exit when asked", "err", err)
	}
}

// logLines calls f for each line of r until it ends.
func logLines(r io.Reader, f func(string)) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f(sc.Text())
	}
	if err := sc.Err(); err != nil && !errors.Is(err, os.ErrClosed) {
		f("(reading the helper's output: " + err.Error() + ")")
	}
}

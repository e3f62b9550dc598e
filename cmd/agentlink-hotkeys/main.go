// Command agentlink-hotkeys grabs AgentLink's global hotkeys (answer, hold,
// end, Ready, Not Ready) on the desktop and sends each key press to the
// running AgentLink over its single-instance channel. AgentLink starts it
// when ui.global_hotkeys is on and stops it when it quits.
//
//	agentlink-hotkeys --instance ENDPOINT [--watch-stdin] VERB=KEYS...
//
// ENDPOINT is AgentLink's instance socket (Linux, macOS) or its instance
// file (Windows: port and secret); VERB is answer, hold, end, ready,
// notready or reason1 … reason20 (Not Ready with the n-th configured
// reason) and KEYS a combination such as ctrl+alt+a.
//
// It is a separate program because the hotkey library's Linux part panics
// at start-up when no X11 display can be opened, which must never take
// AgentLink itself down (headless, doctor, SSH, Wayland). It prints one
// line "ready: ..." on stdout once every key is grabbed, and on failure
// one line on stderr saying what to do, and exits non-zero; a combination
// another program holds is also named on stdout as "taken: VERB KEYS".
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/agentlink/agentlink/cmd/agentlink-hotkeys/keyspec"
)

// Exit statuses AgentLink tells apart.
const (
	exitUsage     = 2 // bad command line
	exitNoDisplay = 3 // no X11 display
	exitGrab      = 4 // a key is taken by another program, or cannot be grabbed
)

// errNoDisplay starts the message when no X11 display can be opened.
var errNoDisplay = errors.New("cannot open the X11 display")

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("agentlink-hotkeys", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("instance", "", "AgentLink's instance socket (Unix) or instance file (Windows)")
	watchStdin := fs.Bool("watch-stdin", false, "exit when standard input closes (AgentLink, the parent, ended)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	bindings, err := parseBindings(fs.Args())
	if err == nil && *endpoint == "" {
		err = errors.New("--instance is required")
	}
	if err != nil {
		fmt.Fprintf(stderr, "agentlink-hotkeys: %v\n", err)
		return exitUsage
	}
	grabbed, err := grabAll(bindings)
	if err != nil {
		var taken *errTaken
		if errors.As(err, &taken) {
			fmt.Fprintf(stdout, "taken: %s %s\n", taken.b.Verb, taken.b.Spec)
		}
		fmt.Fprintf(stderr, "agentlink-hotkeys: %v\n", err)
		if errors.Is(err, errNoDisplay) {
			return exitNoDisplay
		}
		return exitGrab
	}
	defer releaseAll(grabbed)
	names := make([]string, len(bindings))
	for i, b := range bindings {
		names[i] = b.String()
	}
	fmt.Fprintf(stdout, "ready: %s\n", strings.Join(names, " "))

	stop := make(chan struct{})
	if *watchStdin {
		go func() { _, _ = io.Copy(io.Discard, stdin); close(stop) }()
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	forward(grabbed, *endpoint, stop, sig, stderr)
	return 0
}

// parseBindings reads the VERB=KEYS arguments; two verbs on one
// combination, or one verb twice, is a mistake.
func parseBindings(args []string) ([]keyspec.Binding, error) {
	if len(args) == 0 {
		return nil, errors.New("no hotkeys given: pass VERB=KEYS, for example answer=ctrl+alt+a")
	}
	byCombo, byVerb := map[string]string{}, map[string]bool{}
	var out []keyspec.Binding
	for _, a := range args {
		b, err := keyspec.ParseBinding(a)
		if err != nil {
			return nil, err
		}
		if other, ok := byCombo[b.Spec.String()]; ok {
			return nil, fmt.Errorf("%s is given for both %s and %s", b.Spec, other, b.Verb)
		}
		if byVerb[b.Verb] {
			return nil, fmt.Errorf("%s is given twice", b.Verb)
		}
		byCombo[b.Spec.String()], byVerb[b.Verb] = b.Verb, true
		out = append(out, b)
	}
	return out, nil
}

// forward sends each press to AgentLink, one at a time, until stop closes
// or a signal arrives. A failed request is reported on stderr (AgentLink
// logs it) and the helper goes on.
func forward(grabbed []grabbedKey, endpoint string, stop <-chan struct{}, sig <-chan os.Signal, stderr io.Writer) {
	presses := make(chan keyspec.Binding, 8)
	go pumpAll(grabbed, presses)
	last := map[string]time.Time{}
	w := bufio.NewWriter(stderr)
	for {
		select {
		case <-stop:
			return
		case <-sig:
			return
		case b := <-presses:
			if now := time.Now(); now.Sub(last[b.Verb]) >= repeatGap {
				last[b.Verb] = now
				if err := send(endpoint, b.Verb); err != nil {
					fmt.Fprintf(w, "agentlink-hotkeys: %s (%s): %v\n", b.Verb, b.Spec, err)
					w.Flush()
				}
			}
		}
	}
}

// takenError says a combination cannot be grabbed, and the fix.
func takenError(b keyspec.Binding) error { return &errTaken{b: b} }

// errTaken is a combination another program holds; run also reports it
// on stdout as "taken: VERB KEYS" for AgentLink to word for the agent.
type errTaken struct{ b keyspec.Binding }

func (e *errTaken) Error() string {
	key := "ui.hotkey_" + e.b.Verb
	switch _, reason := keyspec.ReasonIndex(e.b.Verb); {
	case e.b.Verb == "notready":
		key = "ui.hotkey_not_ready"
	case reason:
		key = "ui.hotkey_not_ready_reasons"
	}
	return fmt.Sprintf("cannot grab %s for %s: another program already uses it; "+
		"choose another combination in config.toml (%s)", e.b.Spec, e.b.Verb, key)
}

//go:build !nogui

package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/localbridge"
)

// fakePairings is a bridge whose pairing requests the test sets.
type fakePairings struct {
	mu      sync.Mutex
	reqs    []localbridge.PairingRequest
	answers chan string
	changes chan struct{}
}

func (f *fakePairings) PairingRequests() []localbridge.PairingRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]localbridge.PairingRequest(nil), f.reqs...)
}

func (f *fakePairings) DecidePairing(id string, allow bool, scopes ...localbridge.Scope) error {
	if allow {
		f.answers <- fmt.Sprint("allow ", id, " ", scopes)
	} else {
		f.answers <- "deny " + id
	}
	return nil
}

func (f *fakePairings) PairingChanges() <-chan struct{} { return f.changes }

// window returns the prompt window the test expects (nil when none): the
// app's windows beyond the base ones it had before the test.
func window(t *testing.T, a fyne.App, base int) fyne.Window {
	t.Helper()
	ws := a.Driver().AllWindows()
	switch len(ws) - base {
	case 0:
		return nil
	case 1:
		return ws[len(ws)-1]
	}
	t.Fatalf("%d prompt windows, want at most 1", len(ws)-base)
	return nil
}

func buttonIn(o fyne.CanvasObject, text string) *widget.Button {
	switch w := o.(type) {
	case *widget.Button:
		if w.Text == text {
			return w
		}
	case *fyne.Container:
		for _, c := range w.Objects {
			if b := buttonIn(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

func checkIn(o fyne.CanvasObject, text string) *widget.Check {
	switch w := o.(type) {
	case *widget.Check:
		if w.Text == text {
			return w
		}
	case *fyne.Container:
		for _, c := range w.Objects {
			if b := checkIn(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

func labelsIn(o fyne.CanvasObject) string {
	switch w := o.(type) {
	case *widget.Label:
		return w.Text + "\n"
	case *fyne.Container:
		var s string
		for _, c := range w.Objects {
			s += labelsIn(c)
		}
		return s
	}
	return ""
}

func TestPromptPairingsShowsAndAnswers(t *testing.T) {
	a := test.NewTempApp(t) // its driver runs fyne.Do inline: no waiting
	f := &fakePairings{answers: make(chan string, 4)}
	shown := map[string]func(){}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	base := len(a.Driver().AllWindows())

	f.reqs = []localbridge.PairingRequest{{ID: "r1", Origin: "https://crm.example.com", Code: "123456",
		Scopes: []localbridge.Scope{localbridge.ScopeEvents, localbridge.ScopeCalls, localbridge.ScopeDial}}}
	syncPrompts(a, f, shown, log)
	w := window(t, a, base)
	if w == nil {
		t.Fatal("no prompt shown")
	}
	if text := labelsIn(w.Content()); !strings.Contains(text, "https://crm.example.com") || !strings.Contains(text, "123 456") {
		t.Fatalf("prompt shows %q", text)
	}
	syncPrompts(a, f, shown, log) // the same request: no second prompt
	window(t, a, base)
	dial := checkIn(w.Content(), "Dial numbers for you (click-to-dial)")
	if dial == nil || !dial.Checked {
		t.Fatalf("the prompt offers no ticked dial scope: %v", dial)
	}
	test.Tap(dial) // the agent does not want this site to dial
	test.Tap(buttonIn(w.Content(), "Allow"))
	if got := <-f.answers; got != "allow r1 [calls]" {
		t.Errorf("answer %q, want allow r1 [calls]", got)
	}
	f.reqs = nil // the bridge stored the pairing
	syncPrompts(a, f, shown, log)

	// A request whose toolbar went away: its prompt closes unanswered.
	f.reqs = []localbridge.PairingRequest{{ID: "r2", Origin: "https://crm.example.com", Code: "654321"}}
	syncPrompts(a, f, shown, log)
	if window(t, a, base) == nil {
		t.Fatal("no prompt for the second request")
	}
	f.reqs = nil
	syncPrompts(a, f, shown, log)
	if window(t, a, base) != nil {
		t.Error("the prompt of a withdrawn request stays open")
	}
	select {
	case got := <-f.answers:
		t.Errorf("a withdrawn request was answered: %q", got)
	default:
	}
}

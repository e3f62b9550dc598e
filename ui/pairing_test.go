package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// findWidgets walks a window's content for buttons and labels.
func findWidgets(o fyne.CanvasObject, buttons map[string]*widget.Button, labels *[]string, entries *[]*widget.Entry) {
	switch w := o.(type) {
	case *widget.Button:
		buttons[w.Text] = w
	case *widget.Label:
		*labels = append(*labels, w.Text)
	case *widget.Entry:
		*entries = append(*entries, w)
	case *widget.Form:
		for _, it := range w.Items {
			findWidgets(it.Widget, buttons, labels, entries)
		}
	case *fyne.Container:
		for _, c := range w.Objects {
			findWidgets(c, buttons, labels, entries)
		}
	}
}

func lastWindow(t *testing.T, a fyne.App) (map[string]*widget.Button, []string, []*widget.Entry) {
	t.Helper()
	ws := a.Driver().AllWindows()
	if len(ws) == 0 {
		t.Fatal("no window shown")
	}
	buttons := map[string]*widget.Button{}
	var labels []string
	var entries []*widget.Entry
	findWidgets(ws[len(ws)-1].Content(), buttons, &labels, &entries)
	return buttons, labels, entries
}

func TestPairingPromptShowsCodeAndAnswersOnce(t *testing.T) {
	a := test.NewTempApp(t)
	answers := make(chan bool, 2)
	ShowPairingPrompt(a, PairingPrompt{Origin: "https://crm.example.com", Code: "048213"}, func(allow bool, _ []string) { answers <- allow })
	buttons, labels, _ := lastWindow(t, a)
	text := strings.Join(labels, "\n")
	if !strings.Contains(text, "https://crm.example.com") || !strings.Contains(text, "048 213") {
		t.Fatalf("prompt shows %q, want the origin and the code 048 213", text)
	}
	test.Tap(buttons["Allow"])
	test.Tap(buttons["Deny"]) // a second answer is ignored
	if got := <-answers; !got {
		t.Errorf("answer = %v, want allow", got)
	}
	select {
	case got := <-answers:
		t.Errorf("a second answer %v reached the bridge", got)
	default:
	}
}

func TestPairingPromptClosedByBridgeGivesNoAnswer(t *testing.T) {
	a := test.NewTempApp(t)
	answers := make(chan bool, 1)
	closeFn := ShowPairingPrompt(a, PairingPrompt{Origin: "https://crm.example.com", Code: "123456"}, func(allow bool, _ []string) { answers <- allow })
	closeFn()
	select {
	case got := <-answers:
		t.Errorf("closing the prompt answered %v", got)
	default:
	}
}

func TestSignInPromptKeepsWindowOnError(t *testing.T) {
	a := test.NewTempApp(t)
	settled := make(chan struct{}, 2)
	signInSettled = func() { settled <- struct{}{} }
	t.Cleanup(func() { signInSettled = func() {} })
	got := make(chan string, 2)
	ShowSignInPrompt(a, "1001", "5001", func(pw string, remember bool) error {
		got <- pw
		if pw == "wrong" {
			return errors.New("wrong agent id or password")
		}
		return nil
	})
	buttons, labels, entries := lastWindow(t, a)
	if !strings.Contains(strings.Join(labels, " "), "agent 1001 on extension 5001") || len(entries) != 1 {
		t.Fatalf("sign-in prompt: labels %q, %d entries", labels, len(entries))
	}
	test.Type(entries[0], "wrong")
	test.Tap(buttons["Sign in"])
	select {
	case pw := <-got:
		if pw != "wrong" {
			t.Errorf("submitted %q", pw)
		}
	case <-time.After(waitTimeout):
		t.Fatal("the password was not submitted")
	}
	select {
	case <-settled:
	case <-time.After(waitTimeout):
		t.Fatal("the prompt never showed the sign-in's answer")
	}
	_, labels, _ = lastWindow(t, a)
	if !strings.Contains(strings.Join(labels, " "), "wrong agent id or password") || len(a.Driver().AllWindows()) == 0 {
		t.Errorf("after a refused sign-in: labels %q, want the window kept with the error", labels)
	}
}

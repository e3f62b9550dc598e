package ui

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Prompts the bridge needs from the app, each in a small window of its
// own so they show whether the agent is signed in or not: confirming the
// pairing of a CRM origin (the agent reads the code here and types it in
// the CRM's toolbar), and signing in when a toolbar asks AgentLink to and
// no password is saved (the password is typed here, never in the page).

// PairingPrompt is what the pairing prompt shows: the origin, the code,
// and what the origin may do once paired.
type PairingPrompt struct {
	Origin, Code string
	// Scopes the pairing can give (besides following events, which every
	// pairing gives), by name: "state", "calls", "dial".
	Scopes []string
	// Locked: the admin set the scopes; they are shown, not offered.
	Locked bool
}

// scopeWords says in the agent's words what each scope lets a CRM do.
var scopeWords = map[string]string{
	"state": "Sign you in and out and change your state",
	"calls": "Answer, hold, transfer and end your calls",
	"dial":  "Dial numbers for you (click-to-dial)",
}

// ShowPairingPrompt asks the agent to confirm that p.Origin may pair with
// AgentLink, showing the code its toolbar asks for and a tick box per
// scope. decide is called once: with the agent's answer and the ticked
// scopes, or false when the window is closed. The returned function
// closes the window without an answer (the request expired or its toolbar
// went away). Any goroutine.
func ShowPairingPrompt(a fyne.App, p PairingPrompt, decide func(allow bool, scopes []string)) (closeFn func()) {
	var once, closeOnce sync.Once
	var w fyne.Window
	closeWin := func() { closeOnce.Do(func() { w.Close() }) } // Fyne thread
	var ticks scopeTicks
	answer := func(allow bool) {
		once.Do(func() { decide(allow, ticks.chosen()) })
		closeWin()
	}
	fyne.Do(func() {
		w = a.NewWindow("Pair a CRM with AgentLink")
		intro := widget.NewLabel(p.Origin + " asks to pair with AgentLink on this computer.")
		intro.Wrapping = fyne.TextWrapWord
		codeLabel := widget.NewLabelWithStyle(spacedCode(p.Code), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		codeLabel.SizeName = theme.SizeNameHeadingText
		how := widget.NewLabel("Type this code in the AgentLink toolbar of that CRM page, then press Allow. " +
			"If you did not open that page, or its toolbar does not ask for a code, press Deny.")
		how.Wrapping = fyne.TextWrapWord
		deny := widget.NewButton("Deny", func() { answer(false) })
		allow := widget.NewButton("Allow", func() { answer(true) })
		allow.Importance = widget.HighImportance
		w.SetContent(container.NewVBox(intro, codeLabel, how, ticks.build(p),
			container.NewHBox(layout.NewSpacer(), deny, allow)))
		w.SetCloseIntercept(func() { answer(false) })
		w.Resize(fyne.NewSize(420, 360))
		w.Show()
		w.RequestFocus()
	})
	return func() {
		once.Do(func() {})
		fyne.Do(closeWin)
	}
}

// scopeTicks are the prompt's tick boxes, one per scope offered.
type scopeTicks struct {
	names  []string
	checks []*widget.Check
}

// build makes the tick boxes, all ticked: the origin was already allowed
// these by the admin or the agent, and the agent unticks what this site
// should not do. Locked scopes are shown disabled.
func (s *scopeTicks) build(p PairingPrompt) fyne.CanvasObject {
	title := widget.NewLabel("Besides following your calls and seeing caller data, this site may:")
	title.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(title)
	for _, name := range p.Scopes {
		words, ok := scopeWords[name]
		if !ok {
			continue // "events": always given
		}
		c := widget.NewCheck(words, nil)
		c.SetChecked(true)
		if p.Locked {
			c.Disable()
		}
		s.names, s.checks = append(s.names, name), append(s.checks, c)
		box.Add(c)
	}
	if len(s.checks) == 0 {
		title.SetText("This site may follow your calls and see caller data, nothing more.")
	} else if p.Locked {
		box.Add(widget.NewLabel("(set by your administrator)"))
	}
	return box
}

// chosen lists the ticked scopes (never nil, so "none" stays a choice).
// Fyne thread, or after the window closed.
func (s *scopeTicks) chosen() []string {
	out := []string{}
	for i, c := range s.checks {
		if c.Checked {
			out = append(out, s.names[i])
		}
	}
	return out
}

// spacedCode writes a six-digit code as "123 456", easier to read out.
func spacedCode(code string) string {
	if len(code) != 6 {
		return code
	}
	return code[:3] + " " + code[3:]
}

// signInSettled runs once a sign-in's answer is on the prompt: a test
// seam, so a test can wait for the window instead of leaving the update
// running into the next test.
var signInSettled = func() {}

// ShowSignInPrompt asks for the password of agentID on extension, for a
// toolbar's sign-in when AgentLink has none saved. submit signs in (and
// saves the password when remember is set); its error is shown and the
// window stays. Any goroutine.
func ShowSignInPrompt(a fyne.App, agentID, extension string, submit func(password string, remember bool) error) {
	fyne.Do(func() {
		w := a.NewWindow("Sign in to Finesse")
		intro := widget.NewLabel("A CRM toolbar asks AgentLink to sign in agent " + agentID + " on extension " + extension +
			". Type the password here: it stays in AgentLink.")
		intro.Wrapping = fyne.TextWrapWord
		pw := widget.NewPasswordEntry()
		remember := widget.NewCheck("Remember in the system keychain", nil)
		msg := widget.NewLabel("")
		msg.Wrapping = fyne.TextWrapWord
		msg.Importance = widget.DangerImportance
		msg.Hide()
		var btn *widget.Button
		btn = widget.NewButton("Sign in", func() {
			password, keep := pw.Text, remember.Checked
			btn.Disable()
			go func() {
				err := submit(password, keep)
				fyne.Do(func() {
					btn.Enable()
					if err == nil {
						w.Close()
						return
					}
					msg.SetText(err.Error())
					msg.Show()
				})
				signInSettled()
			}()
		})
		btn.Importance = widget.HighImportance
		pw.OnSubmitted = func(string) { btn.OnTapped() }
		w.SetContent(container.NewVBox(intro, widget.NewForm(widget.NewFormItem("Password", pw)), remember, msg,
			container.NewHBox(layout.NewSpacer(), btn)))
		w.Resize(fyne.NewSize(420, 240))
		w.Show()
		w.Canvas().Focus(pw)
	})
}

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

// ShowPairingPrompt asks the agent to confirm that origin may pair with
// AgentLink, showing the code its toolbar asks for. decide is called once:
// with the agent's answer, or false when the window is closed. The
// returned function closes the window without an answer (the request
// expired or its toolbar went away). Any goroutine.
func ShowPairingPrompt(a fyne.App, origin, code string, decide func(allow bool)) (closeFn func()) {
	var once, closeOnce sync.Once
	var w fyne.Window
	closeWin := func() { closeOnce.Do(func() { w.Close() }) } // Fyne thread
	answer := func(allow bool) {
		once.Do(func() { decide(allow) })
		closeWin()
	}
	fyne.Do(func() {
		w = a.NewWindow("Pair a CRM with AgentLink")
		intro := widget.NewLabel(origin + " asks to pair with AgentLink on this computer.")
		intro.Wrapping = fyne.TextWrapWord
		codeLabel := widget.NewLabelWithStyle(spacedCode(code), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		codeLabel.SizeName = theme.SizeNameHeadingText
		how := widget.NewLabel("Type this code in the AgentLink toolbar of that CRM page, then press Allow. " +
			"If you did not open that page, or its toolbar does not ask for a code, press Deny.")
		how.Wrapping = fyne.TextWrapWord
		deny := widget.NewButton("Deny", func() { answer(false) })
		allow := widget.NewButton("Allow", func() { answer(true) })
		allow.Importance = widget.HighImportance
		w.SetContent(container.NewVBox(intro, codeLabel, how, container.NewHBox(layout.NewSpacer(), deny, allow)))
		w.SetCloseIntercept(func() { answer(false) })
		w.Resize(fyne.NewSize(420, 260))
		w.Show()
		w.RequestFocus()
	})
	return func() {
		once.Do(func() {})
		fyne.Do(closeWin)
	}
}

// spacedCode writes a six-digit code as "123 456", easier to read out.
func spacedCode(code string) string {
	if len(code) != 6 {
		return code
	}
	return code[:3] + " " + code[3:]
}

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

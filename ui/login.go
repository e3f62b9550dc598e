package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
)

const keyLogin = "login"

// loginForm is the signed-out window content.
type loginForm struct {
	notes     *notePanel // messages about the app itself (notes.go)
	s         *shell
	sideA     *hostField
	sideB     *hostField
	agentID   *widget.Entry
	password  *widget.Entry
	extension *widget.Entry
	phone     *phoneOptions // device and mobile agent (login_phone.go)
	remember  *widget.Check
	note      *widget.Label // why the password cannot be remembered
	status    *widget.Label // connection status while signed out
	errMsg    *widget.Label
	submit    *widget.Button
	sso       *widget.Button // "Sign in with SSO"; nil without SSO (login_sso.go)
	inBrowser bool           // an SSO sign-in waits for the browser
	obj       fyne.CanvasObject
}

func newLoginForm(s *shell) *loginForm {
	f := &loginForm{s: s}
	f.sideA = newHostField(s.defaults.SideA, "finesse-a.example.com")
	f.sideB = newHostField(s.defaults.SideB, "finesse-b.example.com (optional)")
	if s.reconnect == nil {
		// cmd/agentlink gave no way to apply new hosts: they come from
		// the configuration file.
		f.sideA.entry.Disable()
		f.sideB.entry.Disable()
	}
	f.agentID = entryWith(s.defaults.AgentID, "Agent ID")
	f.password = widget.NewPasswordEntry()
	f.password.OnSubmitted = func(string) { f.onSubmit() }
	f.extension = entryWith(s.defaults.Extension, "Phone extension")
	// Enter in the last field signs in, as in the password field.
	f.extension.OnSubmitted = func(string) { f.onSubmit() }
	f.phone = newPhoneOptions(f, s.defaults)
	f.remember = widget.NewCheck("Remember password in the system keychain", nil)
	f.note = widget.NewLabel("")
	f.note.Wrapping = fyne.TextWrapWord
	f.note.Hide()
	f.probeKeychain()
	f.status = widget.NewLabel("")
	f.status.Wrapping = fyne.TextWrapWord
	f.errMsg = widget.NewLabel("")
	f.errMsg.Wrapping = fyne.TextWrapWord
	f.errMsg.Importance = widget.DangerImportance
	f.submit = widget.NewButton("Sign in", f.onSubmit)
	f.submit.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem("Finesse side A", f.sideA.obj),
		widget.NewFormItem("Finesse side B", f.sideB.obj),
		widget.NewFormItem("Agent ID", f.agentID),
		widget.NewFormItem("Password", f.password),
		widget.NewFormItem("Extension", f.extension),
	)
	title := widget.NewLabelWithStyle("Sign in to Finesse", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	buttons := []fyne.CanvasObject{f.submit}
	if f.sso = newSSOButton(f); f.sso != nil {
		buttons = append(buttons, f.sso)
	}
	f.notes = newNotePanel(f.s)
	f.obj = scrolled(container.NewVBox(f.notes.box, title, form, f.phone.obj, f.remember, f.note, container.NewVBox(buttons...), f.errMsg, f.status))
	return f
}

func entryWith(text, placeholder string) *widget.Entry {
	e := widget.NewEntry()
	e.SetText(text)
	e.SetPlaceHolder(placeholder)
	return e
}

func (f *loginForm) refresh() {
	f.notes.refresh()
	f.status.SetText(signedOutStatus(f.s.m))
	setEnabled(f.submit, !f.s.busy[keyLogin])
	f.refreshSSO() // login_sso.go
}

// signedOutStatus tells a signed-out agent why, when it was not their doing.
func signedOutStatus(m model) string {
	switch {
	case m.Agent.ReasonCodeID == core.ForcedLogoutReason:
		return "Finesse signed you out because it lost contact with this computer (reason 255)."
	case m.System.Status == core.OutOfService && m.System.Reason != "":
		return "Finesse: " + m.System.Reason
	}
	return ""
}

// loginInput is what the form holds when Sign in is pressed.
type loginInput struct {
	SideA, SideB, AgentID, Password, Extension string
	DeviceID, MobileMode, DialNumber           string
	Remember                                   bool
}

// validate names the first missing or unusable field.
func (in loginInput) validate(hostsEditable bool) error {
	if hostsEditable {
		if err := checkServers(servers{in.SideA, in.SideB}); err != nil {
			return err
		}
	}
	switch {
	case in.AgentID == "":
		return errors.New("enter your agent ID")
	case in.Password == "":
		return errors.New("enter your password")
	case in.Extension == "":
		return errors.New("enter your phone extension")
	case in.MobileMode != "" && in.DialNumber == "":
		return errors.New("enter the number Finesse dials to reach you as a mobile agent")
	}
	return nil
}

func (f *loginForm) input() loginInput {
	return loginInput{
		SideA: strings.TrimSpace(f.sideA.entry.Text), SideB: strings.TrimSpace(f.sideB.entry.Text),
		AgentID: strings.TrimSpace(f.agentID.Text), Password: f.password.Text,
		Extension: strings.TrimSpace(f.extension.Text), Remember: f.remember.Checked,
		DeviceID: f.phone.deviceID(), MobileMode: f.phone.mobileMode(), DialNumber: f.phone.dialNumber(),
	}
}

func (f *loginForm) onSubmit() {
	in := f.input()
	f.errMsg.SetText("")
	if err := in.validate(f.s.reconnect != nil); err != nil {
		if !f.showHostError(err) {
			f.errMsg.SetText(capitalise(err.Error()) + ".")
		}
		return
	}
	f.showHostError(nil)
	typed := servers{in.SideA, in.SideB}
	hostsChanged := f.s.reconnect != nil && typed != f.s.applied
	f.s.command(keyLogin, "Sign in", func(ctx context.Context) error {
		return f.s.signIn(ctx, in, hostsChanged)
	}, func(err error) {
		f.s.errText = ""
		var rerr *reconnectError
		switch {
		case errors.As(err, &rerr):
			if !f.showHostError(err) {
				f.errMsg.SetText(capitalise(err.Error()) + ".")
			}
			return
		case hostsChanged:
			// Applied, even if the sign-in itself failed.
			f.s.applied = typed
		}
		f.errMsg.SetText(loginMessage(err))
		if err == nil {
			f.password.SetText("")
			f.s.defaults.SideA, f.s.defaults.SideB = in.SideA, in.SideB
			rememberSignIn(f.s.app.Preferences(), in, f.s.reconnect != nil)
		}
	})
}

// reconnectError is a failure to apply the typed hosts; the sign-in was
// not attempted.
type reconnectError struct{ err error }

func (e *reconnectError) Error() string { return "cannot use these Finesse servers: " + e.err.Error() }
func (e *reconnectError) Unwrap() error { return e.err }

// signIn applies new hosts if needed, signs in, and stores the password if
// asked. Runs off the Fyne thread.
func (s *shell) signIn(ctx context.Context, in loginInput, hostsChanged bool) error {
	if hostsChanged {
		if err := s.reconnect(ctx, in.SideA, in.SideB); err != nil {
			return &reconnectError{err}
		}
	}
	err := s.sess.Execute(ctx, core.Command{Kind: core.CmdLogin, AgentID: in.AgentID, Password: in.Password, Extension: in.Extension,
		DeviceID: in.DeviceID, MobileMode: in.MobileMode, DialNumber: in.DialNumber})
	if err != nil {
		return err
	}
	if in.Remember && s.secrets != nil {
		if err := s.secrets.SetPassword(in.AgentID, in.Password); err != nil {
			// Signed in anyway; only remembering failed.
			s.log.Warn("ui keychain store failed", "agent", in.AgentID, "err", err)
		}
	}
	return nil
}

// probeKeychain asks whether the keychain can remember a password, off the
// Fyne thread: a Secret Service that never answers (a session without a
// keyring daemon) holds the call until its timeout, and the window must not
// wait for it. Until the answer, Remember is off and nothing is claimed.
func (f *loginForm) probeKeychain() {
	f.remember.Disable()
	if f.s.secrets == nil {
		f.showKeychainNote(keychainNote(nil))
		return
	}
	f.s.bg.Add(1)
	go func() {
		defer f.s.bg.Done()
		note := keychainNote(f.s.secrets)
		f.s.do(func() {
			f.showKeychainNote(note)
			f.s.refresh()
		})
	}()
}

// showKeychainNote shows why a password cannot be remembered, or enables
// Remember when it can ("" note). Fyne thread.
func (f *loginForm) showKeychainNote(note string) {
	f.note.SetText(note)
	if note != "" {
		f.remember.Disable()
		f.note.Show()
		return
	}
	f.remember.Enable()
	f.note.Hide()
}

// prefillPassword fills the password from the keychain when one is stored
// for the default agent. Runs the keychain calls off the Fyne thread.
func (f *loginForm) prefillPassword() {
	id := f.s.defaults.AgentID
	if f.s.secrets == nil || id == "" {
		return
	}
	f.s.bg.Add(1)
	go func() {
		defer f.s.bg.Done()
		if f.s.secrets.Available() != nil {
			return
		}
		pw, err := f.s.secrets.Password(id)
		if err != nil {
			if !errors.Is(err, ErrNoSecret) {
				f.s.log.Warn("ui keychain read failed", "agent", id, "err", err)
			}
			return
		}
		f.s.do(func() {
			if f.password.Text == "" && f.agentID.Text == id {
				f.password.SetText(pw)
				f.remember.SetChecked(true)
			}
			f.s.refresh()
		})
	}()
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

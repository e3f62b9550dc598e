package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
)

const keyLogin = "login"

// loginForm is the signed-out window content.
type loginForm struct {
	s         *shell
	sideA     *widget.Entry
	sideB     *widget.Entry
	agentID   *widget.Entry
	password  *widget.Entry
	extension *widget.Entry
	remember  *widget.Check
	note      *widget.Label // why the password cannot be remembered
	status    *widget.Label // connection status while signed out
	errMsg    *widget.Label
	submit    *widget.Button
	obj       fyne.CanvasObject
}

func newLoginForm(s *shell) *loginForm {
	f := &loginForm{s: s}
	f.sideA = entryWith(s.defaults.SideA, "finesse-a.example.com")
	f.sideB = entryWith(s.defaults.SideB, "finesse-b.example.com (optional)")
	if s.reconnect == nil {
		// cmd/agentlink gave no way to apply new hosts: they come from
		// the configuration file.
		f.sideA.Disable()
		f.sideB.Disable()
	}
	f.agentID = entryWith(s.defaults.AgentID, "Agent ID")
	f.password = widget.NewPasswordEntry()
	f.password.OnSubmitted = func(string) { f.onSubmit() }
	f.extension = entryWith(s.defaults.Extension, "Phone extension")
	f.remember = widget.NewCheck("Remember password in the system keychain", nil)
	f.note = widget.NewLabel(keychainNote(s.secrets))
	f.note.Wrapping = fyne.TextWrapWord
	if f.note.Text != "" {
		f.remember.Disable()
	} else {
		f.note.Hide()
	}
	f.status = widget.NewLabel("")
	f.status.Wrapping = fyne.TextWrapWord
	f.errMsg = widget.NewLabel("")
	f.errMsg.Wrapping = fyne.TextWrapWord
	f.errMsg.Importance = widget.DangerImportance
	f.submit = widget.NewButton("Sign in", f.onSubmit)
	f.submit.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem("Finesse side A", f.sideA),
		widget.NewFormItem("Finesse side B", f.sideB),
		widget.NewFormItem("Agent ID", f.agentID),
		widget.NewFormItem("Password", f.password),
		widget.NewFormItem("Extension", f.extension),
	)
	title := widget.NewLabelWithStyle("Sign in to Finesse", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.obj = scrolled(container.NewVBox(title, form, f.remember, f.note, f.submit, f.errMsg, f.status))
	return f
}

func entryWith(text, placeholder string) *widget.Entry {
	e := widget.NewEntry()
	e.SetText(text)
	e.SetPlaceHolder(placeholder)
	return e
}

func (f *loginForm) refresh() {
	f.status.SetText(signedOutStatus(f.s.m))
	setEnabled(f.submit, !f.s.busy[keyLogin])
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
	Remember                                   bool
}

// validate names the first missing field.
func (in loginInput) validate(hostsEditable bool) error {
	switch {
	case hostsEditable && in.SideA == "":
		return errors.New("enter the Finesse side A host")
	case in.AgentID == "":
		return errors.New("enter your agent ID")
	case in.Password == "":
		return errors.New("enter your password")
	case in.Extension == "":
		return errors.New("enter your phone extension")
	}
	return nil
}

func (f *loginForm) input() loginInput {
	return loginInput{
		SideA: strings.TrimSpace(f.sideA.Text), SideB: strings.TrimSpace(f.sideB.Text),
		AgentID: strings.TrimSpace(f.agentID.Text), Password: f.password.Text,
		Extension: strings.TrimSpace(f.extension.Text), Remember: f.remember.Checked,
	}
}

func (f *loginForm) onSubmit() {
	in := f.input()
	if err := in.validate(f.s.reconnect != nil); err != nil {
		f.errMsg.SetText(capitalise(err.Error()) + ".")
		return
	}
	f.errMsg.SetText("")
	hostsChanged := f.s.reconnect != nil && (in.SideA != f.s.defaults.SideA || in.SideB != f.s.defaults.SideB)
	f.s.command(keyLogin, "Sign in", func(ctx context.Context) error {
		return f.s.signIn(ctx, in, hostsChanged)
	}, func(err error) {
		f.s.errText = ""
		f.errMsg.SetText(loginMessage(err))
		if err == nil {
			f.password.SetText("")
			f.s.defaults.SideA, f.s.defaults.SideB = in.SideA, in.SideB
		}
	})
}

// signIn applies new hosts if needed, signs in, and stores the password if
// asked. Runs off the Fyne thread.
func (s *shell) signIn(ctx context.Context, in loginInput, hostsChanged bool) error {
	if hostsChanged {
		if err := s.reconnect(ctx, in.SideA, in.SideB); err != nil {
			return fmt.Errorf("apply finesse hosts: %w", err)
		}
	}
	err := s.sess.Execute(ctx, core.Command{Kind: core.CmdLogin, AgentID: in.AgentID, Password: in.Password, Extension: in.Extension})
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

// prefillPassword fills the password from the keychain when one is stored
// for the default agent. Runs the keychain call off the Fyne thread.
func (f *loginForm) prefillPassword() {
	id := f.s.defaults.AgentID
	if f.s.secrets == nil || id == "" || f.s.secrets.Available() != nil {
		return
	}
	f.s.bg.Add(1)
	go func() {
		defer f.s.bg.Done()
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

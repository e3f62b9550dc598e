package ui

import (
	"context"
	"errors"
	"strings"

	"github.com/agentlink/agentlink/core"
)

// loginMessage explains a failed sign-in in words an agent can act on.
func loginMessage(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, core.ErrSSORequired):
		return "This Finesse uses single sign-on. Press \"Sign in with SSO\" instead of typing a password."
	case errors.Is(err, core.ErrSignInExpired):
		return "Your single sign-on session has ended. Press \"Sign in with SSO\" to sign in again."
	case errors.Is(err, core.ErrAccountLocked):
		return "Your account is locked after too many wrong passwords. Ask your supervisor or administrator to unlock it."
	case errors.Is(err, core.ErrWrongCredentials):
		return "Wrong agent ID or password. Check both and try again."
	case errors.Is(err, core.ErrUntrustedCertificate):
		return "The Finesse server's certificate is not trusted by this computer. Ask IT to install the Finesse certificate."
	case errors.Is(err, core.ErrUnreachable):
		return "Cannot reach the Finesse server. Check the side A/B host names and your network or VPN."
	case errors.Is(err, core.ErrOutOfService):
		return "Finesse is out of service right now. Try again in a minute or sign in on the other side."
	case errors.Is(err, core.ErrOtherAgent):
		return "Another agent is signed in on this AgentLink. Sign them out first."
	}
	return commandMessage("Sign in", err)
}

// commandMessage explains a failed command ("Answer failed: ...").
func commandMessage(what string, err error) string {
	if err == nil {
		return ""
	}
	var fe *core.FinesseError
	var why string
	switch {
	case errors.Is(err, core.ErrNotLoggedIn):
		why = "you are not signed in."
	case errors.Is(err, core.ErrNoSuchDialog):
		why = "that call has already ended."
	case errors.Is(err, core.ErrActionNotAllowed):
		why = "Finesse does not allow that right now."
	case errors.Is(err, core.ErrCommandTimeout), errors.Is(err, context.DeadlineExceeded):
		why = "Finesse did not confirm it in time. Check the state shown before trying again."
	case errors.Is(err, core.ErrUnreachable):
		why = "Finesse cannot be reached."
	case errors.Is(err, core.ErrOutOfService):
		why = "Finesse is out of service."
	case errors.Is(err, core.ErrSignInExpired):
		why = "your single sign-on session has ended; sign in with SSO again."
	case errors.Is(err, core.ErrOtherAgent):
		why = "another agent is signed in here; sign them out first."
	case errors.Is(err, core.ErrInvalidCommand), errors.Is(err, errBadNumber):
		why = err.Error()
	case errors.As(err, &fe):
		why = finesseWords(fe)
	default:
		// The technical detail is in the log (the caller logs err).
		why = "something went wrong; the details are in the AgentLink log."
	}
	return what + " failed: " + why
}

// finesseWords explains a Finesse refusal in agent words. The CTI codes
// (CF_…) mean nothing to an agent; they are in the log.
func finesseWords(fe *core.FinesseError) string {
	switch fe.Type {
	case "Invalid State":
		return "Finesse does not allow that in your current state."
	case "Invalid Destination":
		return "Finesse cannot reach that number. Check it and try again."
	case "Invalid Input", "Parameter Missing", "Bad Request":
		return "Finesse did not accept what was sent. Check it and try again."
	}
	if fe.Message != "" && !strings.HasPrefix(fe.Message, "CF_") {
		return "Finesse said " + fe.Message + "."
	}
	return "Finesse refused it; the details are in the AgentLink log."
}

// keychainNote explains why a password cannot be remembered; "" if it can.
func keychainNote(s Secrets) string {
	if s == nil {
		return "Passwords are not remembered on this computer; you will be asked each time."
	}
	if err := s.Available(); err != nil {
		return "Cannot remember the password (" + err.Error() + "); you will be asked each time."
	}
	return ""
}

// asyncErrorMessage words an error Finesse reported on its own, which may
// answer a command another client (a CRM toolbar) gave.
func asyncErrorMessage(e *core.FinesseError) string {
	what := e.Message
	if what == "" {
		what = e.Type
	}
	if what == "" {
		what = "no details"
	}
	return "Finesse reported an error: " + what + "."
}

package localbridge

import "fmt"

// Sign-in without passwords on the bridge (docs/bridge-protocol.md, "Login
// and passwords"). A toolbar's Login names the agent and extension only:
// AgentLink signs in with the password in its own keychain, or shows its own
// sign-in form. A password sent in the clear by a browser page is refused,
// because whoever holds the port (a squatter, before the SDK's proof
// existed) receives it; the legacy UseSecurePassword form is still taken
// from connectors that cannot change, and is documented as weaker.

// Error codes of sign-in.
const (
	CodePasswordNotAccepted = "password_not_accepted" // a browser page sent a plain password
	CodeSignInInApp         = "sign_in_in_app"        // AgentLink asks the agent in its own window
)

// checkPasswordPolicy refuses a plain password from a browser page. Local
// programs (token clients) may still send one: they do not find the bridge
// through the port alone.
func (c *client) checkPasswordPolicy(a loginArgs) error {
	if c.origin == "" || a.SecurePassword || a.Password == "" {
		return nil
	}
	return &RequestError{Code: CodePasswordNotAccepted, Message: "passwords no longer travel over the bridge: " +
		"leave the password out, and AgentLink signs in with the password it saved or asks the agent in its own window"}
}

// signInInApp hands a Login that has no password and no saved one to the
// app, which shows its own sign-in form prefilled with agent and extension.
func (s *Server) signInInApp(a loginArgs) error {
	if s.cfg.SignInPrompt == nil || !s.cfg.SignInPrompt(a.AgentID, a.Extension) {
		return badRequest("args.password is required: no saved password for agent %s, and AgentLink has no window to ask for it", a.AgentID)
	}
	return &RequestError{Code: CodeSignInInApp, Message: fmt.Sprintf(
		"AgentLink has no saved password for agent %s: sign in in the AgentLink window; this toolbar follows once you are signed in", a.AgentID)}
}

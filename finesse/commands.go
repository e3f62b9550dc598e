package finesse

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/agentlink/agentlink/core"
)

// Send issues cmd (core.Port). It returns nil once Finesse accepted it; the
// outcome arrives through the sink. Login first hands the credentials to
// the supervisor and waits until XMPP is connected and presence sent, so no
// event of the sign-in is missed, then PUTs LOGIN.
func (l *Link) Send(ctx context.Context, cmd core.Command) error {
	ctx, wrote := withWriteTrace(ctx)
	return markNotDelivered(l.send(ctx, cmd), wrote())
}

func (l *Link) send(ctx context.Context, cmd core.Command) error {
	if cmd.RequestID == "" {
		cmd.RequestID = newRequestID()
	}
	switch cmd.Kind {
	case core.CmdLogin:
		return l.login(ctx, cmd)
	case core.CmdReady, core.CmdNotReady, core.CmdLogout:
		ep, c, err := l.target()
		if err != nil {
			return err
		}
		return l.rest.putUser(ctx, ep, c, userBody(cmd, ""), cmd.RequestID)
	case core.CmdMakeCall:
		return l.makeCall(ctx, cmd)
	}
	if _, ok := dialogAction[cmd.Kind]; !ok {
		return fmt.Errorf("%w: unknown command %q", core.ErrInvalidCommand, cmd.Kind)
	}
	return l.dialogCommand(ctx, cmd)
}

func (l *Link) login(ctx context.Context, cmd core.Command) error {
	id := strings.TrimSpace(firstNonEmpty(cmd.AgentID, l.cfg.AgentID))
	switch {
	case id == "":
		return fmt.Errorf("%w: login needs an agent id", core.ErrInvalidCommand)
	case strings.TrimSpace(cmd.Extension) == "":
		return fmt.Errorf("%w: login needs an extension", core.ErrInvalidCommand)
	case strings.ContainsAny(id, "/@ "):
		return fmt.Errorf("%w: agent id %q must not contain '/', '@' or spaces", core.ErrInvalidCommand, id)
	}
	ext := strings.TrimSpace(cmd.Extension)
	c, err := l.loginCreds(id, cmd.Password, cmd.SSO) // sso_creds.go
	if err != nil {
		return err
	}
	if err := l.checkNewCreds(ctx, c); err != nil {
		return err
	}
	gen := l.setCreds(c)
	if err := l.waitReady(ctx, gen); err != nil {
		return err
	}
	l.mu.Lock()
	l.extension = ext
	l.mu.Unlock()
	ep, c, err := l.target()
	if err != nil {
		return err
	}
	body := userBody(cmd, ext)
	body.ActiveDeviceID, body.MobileAgent = l.phoneFor(cmd)
	return l.rest.putUser(ctx, ep, c, body, cmd.RequestID)
}

// checkNewCreds protects the live session from a Login with other
// credentials than the ones in use. Replacing them restarts the XMPP
// connection: with a mistyped password that would drop the agent's presence
// (out of service for every toolbar, then Finesse's forced logout) and
// forget the working password. So a Login as another agent while one is
// signed in is refused, and a new password is first tried with one GET of
// the User, leaving everything as it was when Finesse refuses it (a wrong
// try counts towards the lock-out either way).
func (l *Link) checkNewCreds(ctx context.Context, c creds) error {
	l.mu.Lock()
	cur, signedIn := l.cred, l.loggedIn
	l.mu.Unlock()
	if c == cur || !cur.usable() {
		return nil
	}
	if signedIn && c.user != cur.user {
		return fmt.Errorf("%w (agent %s)", core.ErrOtherAgent, cur.user)
	}
	ep, _, err := l.target()
	if err != nil {
		return err
	}
	if _, err := l.rest.user(ctx, ep, c); err != nil {
		return fmt.Errorf("finesse: sign-in as %s refused, the session in use is unchanged: %w", c.user, err)
	}
	return nil
}

// targetWithExtension is target plus the agent's extension, which dialog
// actions and MAKE_CALL need.
func (l *Link) targetWithExtension() (Endpoint, creds, string, error) {
	ep, c, err := l.target()
	if err != nil {
		return ep, c, "", err
	}
	l.mu.Lock()
	ext := l.extension
	l.mu.Unlock()
	if ext == "" {
		return ep, c, "", fmt.Errorf("%w: the agent's extension is not known yet (sign in first)", core.ErrNotLoggedIn)
	}
	return ep, c, ext, nil
}

func (l *Link) makeCall(ctx context.Context, cmd core.Command) error {
	if strings.TrimSpace(cmd.Number) == "" {
		return fmt.Errorf("%w: make call needs a number", core.ErrInvalidCommand)
	}
	ep, c, ext, err := l.targetWithExtension()
	if err != nil {
		return err
	}
	body := dialogRequest{RequestedAction: "MAKE_CALL", FromAddress: ext, ToAddress: cmd.Number}
	return l.rest.postDialog(ctx, ep, c, body, cmd.RequestID)
}

func (l *Link) dialogCommand(ctx context.Context, cmd core.Command) error {
	if err := validateDialogCommand(cmd); err != nil {
		return err
	}
	ep, c, ext, err := l.targetWithExtension()
	if err != nil {
		return err
	}
	return l.rest.putDialog(ctx, ep, c, cmd.DialogID, dialogBody(cmd, ext), cmd.RequestID)
}

// validateDialogCommand checks the fields each dialog command needs.
func validateDialogCommand(cmd core.Command) error {
	missing := ""
	switch {
	case strings.TrimSpace(cmd.DialogID) == "":
		missing = "a dialog id"
	case (cmd.Kind == core.CmdConsult || cmd.Kind == core.CmdSingleStepTransfer) && strings.TrimSpace(cmd.Number) == "":
		missing = "a number"
	case cmd.Kind == core.CmdSendDTMF && cmd.Digits == "":
		missing = "digits"
	case cmd.Kind == core.CmdWrapUp && cmd.WrapUpReason == "":
		missing = "a wrap-up reason"
	case cmd.Kind == core.CmdUpdateCallData && len(cmd.Variables) == 0 && cmd.WrapUpReason == "":
		missing = "call variables"
	}
	if missing != "" {
		return fmt.Errorf("%w: %s needs %s", core.ErrInvalidCommand, cmd.Kind, missing)
	}
	return nil
}

// FetchAgent GETs the agent (core.Port).
func (l *Link) FetchAgent(ctx context.Context) (core.Agent, error) {
	ep, c, err := l.target()
	if err != nil {
		return core.Agent{}, err
	}
	u, err := l.rest.user(ctx, ep, c)
	if err != nil {
		return core.Agent{}, err
	}
	a := agentFromWire(u)
	l.observe(&a)
	return a, nil
}

// FetchDialogs GETs the agent's dialogs (core.Port).
func (l *Link) FetchDialogs(ctx context.Context) ([]core.Dialog, error) {
	ep, c, err := l.target()
	if err != nil {
		return nil, err
	}
	ds, err := l.rest.dialogs(ctx, ep, c)
	if err != nil {
		return nil, err
	}
	return dialogsFromWire(ds), nil
}

// ReasonCodes GETs the agent's Not Ready or Logout reason codes (core.Port).
func (l *Link) ReasonCodes(ctx context.Context, category core.ReasonCategory) ([]core.ReasonCode, error) {
	if category != core.CategoryNotReady && category != core.CategoryLogout {
		return nil, fmt.Errorf("%w: reason code category %q (want NOT_READY or LOGOUT)", core.ErrInvalidCommand, category)
	}
	ep, c, err := l.target()
	if err != nil {
		return nil, err
	}
	w, err := l.rest.reasonCodes(ctx, ep, c, category)
	if err != nil {
		return nil, err
	}
	return reasonCodesFromWire(w, category), nil
}

// WrapUpReasons GETs the configured wrap-up reasons (core.Port).
func (l *Link) WrapUpReasons(ctx context.Context) ([]core.WrapUpReason, error) {
	ep, c, err := l.target()
	if err != nil {
		return nil, err
	}
	w, err := l.rest.wrapUpReasons(ctx, ep, c)
	if err != nil {
		return nil, err
	}
	return wrapUpReasonsFromWire(w), nil
}

// PhoneBook is in phonebook.go.

// contactsPath is the book's contacts uri when it is a Finesse API path
// (never a URL elsewhere), else the documented path built from its id.
func contactsPath(b wirePhoneBook) string {
	p := strings.TrimSpace(b.Contacts)
	if strings.HasPrefix(p, apiPrefix) && !strings.ContainsAny(p, "?#") && !strings.Contains(p, "..") {
		return p
	}
	return apiPrefix + "PhoneBook/" + url.PathEscape(lastSegment(b.URI)) + "/Contacts"
}

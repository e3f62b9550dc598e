package localbridge

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"github.com/agentlink/agentlink/core"
)

func init() {
	commands = map[string]command{
		"Hello":              {need: stateNew, sync: true, serve: serveHello},
		"Ping":               {need: stateNew, sync: true, run: cmdPing},
		"Connect":            {need: stateHello, sync: true, serve: serveConnect},
		"GetState":           {need: stateConnected, sync: true, run: cmdGetState},
		"Login":              {need: stateConnected, run: cmdLogin},
		"Logout":             {need: stateConnected, run: cmdLogout},
		"SetState":           {need: stateConnected, run: cmdSetState},
		"MakeCall":           {need: stateConnected, run: cmdNumber(core.CmdMakeCall, false)},
		"Answer":             {need: stateConnected, run: cmdDialog(core.CmdAnswer)},
		"Hold":               {need: stateConnected, run: cmdDialog(core.CmdHold)},
		"Retrieve":           {need: stateConnected, run: cmdDialog(core.CmdRetrieve)},
		"Release":            {need: stateConnected, run: cmdDialog(core.CmdRelease)},
		"Transfer":           {need: stateConnected, run: cmdDialog(core.CmdTransfer)},
		"Conference":         {need: stateConnected, run: cmdDialog(core.CmdConference)},
		"Consult":            {need: stateConnected, run: cmdNumber(core.CmdConsult, true)},
		"SingleStepTransfer": {need: stateConnected, run: cmdNumber(core.CmdSingleStepTransfer, true)},
		"SendDTMF":           {need: stateConnected, run: cmdSendDTMF},
		"UpdateCallData":     {need: stateConnected, run: cmdUpdateCallData},
		"SetWrapUp":          {need: stateConnected, run: cmdSetWrapUp},
		"GetReasonCodes":     {need: stateConnected, run: cmdGetReasonCodes},
		"GetWrapUpReasons":   {need: stateConnected, run: cmdGetWrapUpReasons},
		"GetPhoneBook":       {need: stateConnected, run: cmdGetPhoneBook},
		"ClaimOwner":         {need: stateConnected, sync: true, run: cmdClaimOwner},
		"AckCallLog":         {need: stateConnected, run: cmdAckCallLog},
		"Prove":              {need: stateHello, sync: true, run: cmdProve},
		"PairBegin":          {need: stateHello, sync: true, run: cmdPairBegin},
		"PairReveal":         {need: stateHello, sync: true, run: cmdPairReveal},
		"PairConfirm":        {need: stateHello, run: cmdPairConfirm},
	}
}

// serveHello answers Hello, then sends the System event, so a toolbar learns
// at once whether Finesse is reachable.
func serveHello(_ context.Context, c *client, req wireRequest) {
	var a helloArgs
	if err := decodeArgs(req.Args, &a); err != nil {
		c.reply(req.ID, nil, toRequestError(err))
		return
	}
	c.embeddedBy(a.EmbeddedBy)
	pairing, rerr := c.helloPairing(a.Challenge)
	if rerr != nil {
		c.reply(req.ID, nil, rerr)
		return
	}
	c.mu.Lock()
	if c.state < stateHello {
		c.state = stateHello
	}
	c.mu.Unlock()
	c.reply(req.ID, helloResult{
		Protocol: ProtocolVersion, Version: c.srv.cfg.Version,
		Capabilities:   c.srv.capabilities(),
		SecurePassword: c.srv.cfg.SecurePasswordKey != nil, ClientID: c.id, Scopes: c.currentScopes(),
		Pairing: pairing,
	}, nil)
	if pairing != nil && pairing.Required {
		return // nothing about the phone before the client proved itself (proof.go)
	}
	snap := c.srv.sess.Snapshot()
	ev := wireEvent{Event: core.EventSystem.String(), Seq: snap.Seq, Data: toWireSystem(snap.System)}
	if data, err := json.Marshal(ev); err == nil {
		c.enqueue(outItem{data: data})
	}
}

func cmdPing(_ context.Context, c *client, _ json.RawMessage) (any, error) {
	return map[string]any{"pong": true, "time": wireTime(c.srv.cfg.Now())}, nil
}

func cmdGetState(_ context.Context, c *client, _ json.RawMessage) (any, error) {
	return toWireSnapshot(c.srv.sess.Snapshot()), nil
}

type loginArgs struct {
	AgentID        string `json:"agentId"`
	Extension      string `json:"extension"`
	Password       string `json:"password"`
	SecurePassword bool   `json:"securePassword"`
}

func cmdLogin(ctx context.Context, c *client, raw json.RawMessage) (any, error) {
	var a loginArgs
	if err := decodeArgs(raw, &a); err != nil {
		return nil, err
	}
	switch {
	case a.AgentID == "":
		return nil, badRequest("args.agentId is required")
	case a.Extension == "":
		return nil, badRequest("args.extension is required")
	}
	if err := c.checkPasswordPolicy(a); err != nil {
		return nil, err
	}
	pw, err := c.srv.loginPassword(a)
	if err != nil {
		return nil, err
	}
	c.setAgent(a.AgentID)
	return nil, c.srv.sess.Execute(ctx, core.Command{Kind: core.CmdLogin, AgentID: a.AgentID, Password: pw, Extension: a.Extension})
}

// loginPassword finds the password of a Login: given, 3DES-wrapped, or from
// the keychain.
func (s *Server) loginPassword(a loginArgs) (string, error) {
	switch {
	case a.SecurePassword:
		if s.cfg.SecurePasswordKey == nil {
			return "", &RequestError{Code: CodeSecurePasswordUnavailable, Message: "securePassword is not configured in AgentLink (secure_password_key)"}
		}
		pw, err := decryptSecurePassword(s.cfg.SecurePasswordKey, a.Password)
		if err != nil {
			return "", badRequest("args.password: %v", err)
		}
		return pw, nil
	case a.Password != "":
		return a.Password, nil
	case s.cfg.PasswordLookup == nil:
		return "", s.signInInApp(a)
	}
	pw, err := s.cfg.PasswordLookup(a.AgentID)
	if err != nil || pw == "" {
		return "", s.signInInApp(a)
	}
	return pw, nil
}

type reasonArgs struct {
	State        string `json:"state"`
	ReasonCodeID string `json:"reasonCodeId"`
}

func cmdLogout(ctx context.Context, c *client, raw json.RawMessage) (any, error) {
	var a reasonArgs
	if err := decodeArgs(raw, &a); err != nil {
		return nil, err
	}
	return nil, c.srv.sess.Execute(ctx, core.Command{Kind: core.CmdLogout, ReasonCodeID: a.ReasonCodeID})
}

func cmdSetState(ctx context.Context, c *client, raw json.RawMessage) (any, error) {
	var a reasonArgs
	if err := decodeArgs(raw, &a); err != nil {
		return nil, err
	}
	var cmd core.Command
	switch core.AgentState(a.State) {
	case core.StateReady:
		cmd = core.Command{Kind: core.CmdReady}
	case core.StateNotReady:
		cmd = core.Command{Kind: core.CmdNotReady, ReasonCodeID: a.ReasonCodeID}
	case "":
		return nil, badRequest("args.state is required (READY or NOT_READY)")
	default:
		return nil, badRequest("args.state must be READY or NOT_READY, not %q", a.State)
	}
	return nil, c.srv.sess.Execute(ctx, cmd)
}

type dialogArgs struct {
	DialogID  string            `json:"dialogId"`
	Number    string            `json:"number"`
	Digits    string            `json:"digits"`
	Reason    string            `json:"reason"`
	Variables map[string]string `json:"variables"`
	Category  string            `json:"category"`
}

func cmdDialog(kind core.CommandKind) func(context.Context, *client, json.RawMessage) (any, error) {
	return func(ctx context.Context, c *client, raw json.RawMessage) (any, error) {
		var a dialogArgs
		if err := decodeArgs(raw, &a); err != nil {
			return nil, err
		}
		return nil, c.srv.sess.Execute(ctx, core.Command{Kind: kind, DialogID: a.DialogID})
	}
}

// cmdNumber builds MakeCall, Consult and SingleStepTransfer.
func cmdNumber(kind core.CommandKind, dialog bool) func(context.Context, *client, json.RawMessage) (any, error) {
	return func(ctx context.Context, c *client, raw json.RawMessage) (any, error) {
		var a dialogArgs
		if err := decodeArgs(raw, &a); err != nil {
			return nil, err
		}
		if a.Number == "" {
			return nil, badRequest("args.number is required")
		}
		// A CRM sends numbers as its records hold them: "(415) 555-1234".
		n, err := c.srv.cfg.DialPlan.Normalize(a.Number)
		if err != nil {
			return nil, badRequest("args.number %q: %v", a.Number, err)
		}
		cmd := core.Command{Kind: kind, Number: n}
		if dialog {
			cmd.DialogID = a.DialogID
		}
		return nil, c.srv.sess.Execute(ctx, cmd)
	}
}

func cmdSendDTMF(ctx context.Context, c *client, raw json.RawMessage) (any, error) {
	var a dialogArgs
	if err := decodeArgs(raw, &a); err != nil {
		return nil, err
	}
	if a.Digits == "" {
		return nil, badRequest("args.digits is required")
	}
	return nil, c.srv.sess.Execute(ctx, core.Command{Kind: core.CmdSendDTMF, DialogID: a.DialogID, Digits: a.Digits})
}

func cmdUpdateCallData(ctx context.Context, c *client, raw json.RawMessage) (any, error) {
	var a dialogArgs
	if err := decodeArgs(raw, &a); err != nil {
		return nil, err
	}
	if len(a.Variables) == 0 {
		return nil, badRequest("args.variables is required: an object of name: value")
	}
	vars := make([]core.CallVariable, 0, len(a.Variables))
	for k, v := range a.Variables {
		vars = append(vars, core.CallVariable{Name: k, Value: v})
	}
	sort.Slice(vars, func(i, j int) bool { return vars[i].Name < vars[j].Name })
	return nil, c.srv.sess.Execute(ctx, core.Command{Kind: core.CmdUpdateCallData, DialogID: a.DialogID, Variables: vars})
}

func cmdSetWrapUp(ctx context.Context, c *client, raw json.RawMessage) (any, error) {
	var a dialogArgs
	if err := decodeArgs(raw, &a); err != nil {
		return nil, err
	}
	if a.Reason == "" {
		return nil, badRequest("args.reason is required (a wrap-up reason label)")
	}
	return nil, c.srv.sess.Execute(ctx, core.Command{Kind: core.CmdWrapUp, DialogID: a.DialogID, WrapUpReason: a.Reason})
}

func cmdGetReasonCodes(ctx context.Context, c *client, raw json.RawMessage) (any, error) {
	var a dialogArgs
	if err := decodeArgs(raw, &a); err != nil {
		return nil, err
	}
	cat := core.ReasonCategory(a.Category)
	if cat != core.CategoryNotReady && cat != core.CategoryLogout {
		return nil, badRequest("args.category must be NOT_READY or LOGOUT")
	}
	rs, err := c.srv.sess.ReasonCodes(ctx, cat)
	if err != nil {
		return nil, err
	}
	return map[string]any{"category": cat, "reasonCodes": toWireReasonCodes(rs)}, nil
}

func cmdGetWrapUpReasons(ctx context.Context, c *client, _ json.RawMessage) (any, error) {
	ws, err := c.srv.sess.WrapUpReasons(ctx)
	if err != nil {
		return nil, err
	}
	return map[string]any{"wrapUpReasons": toWireWrapUps(ws)}, nil
}

func cmdGetPhoneBook(ctx context.Context, c *client, _ json.RawMessage) (any, error) {
	cs, err := c.srv.sess.PhoneBook(ctx)
	if err != nil {
		return nil, err
	}
	return map[string]any{"contacts": toWireContacts(cs)}, nil
}

func (c *client) setAgent(id string) {
	c.mu.Lock()
	changed := c.agent != id
	c.agent = id
	c.mu.Unlock()
	if changed {
		c.srv.notifyChanged()
	}
}

// listTimeout bounds the lists fetched for a Connect snapshot: a slow
// Finesse must not hold the toolbar's handshake for long.
const listTimeout = 5 * time.Second

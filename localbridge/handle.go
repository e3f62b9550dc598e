package localbridge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"
)

// command is one entry of the command table.
type command struct {
	need int  // client state required: stateNew, stateHello or stateConnected
	sync bool // run on the read goroutine (fast, or must order later frames)
	run  func(ctx context.Context, c *client, args json.RawMessage) (any, error)
	// serve, when set instead of run, sends its own response: Hello and
	// Connect must queue more than the response, in order.
	serve func(ctx context.Context, c *client, req wireRequest)
}

// commands is filled in by init in commands.go (a map literal referring to
// handlers that use commands would be an initialisation cycle).
var commands map[string]command

// commandNames lists the commands for Hello's capabilities.
func commandNames() []string {
	out := make([]string, 0, len(commands))
	for k := range commands {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// capabilities lists what Hello announces: the commands (AckCallLog only
// with a call outbox, so an adapter knows whether to wait for CallLog
// offers) and "resume".
func (s *Server) capabilities() []string {
	out := make([]string, 0, len(commands)+1)
	for _, name := range commandNames() {
		if name != "AckCallLog" || s.cfg.CallLog != nil {
			out = append(out, name)
		}
	}
	return append(out, "resume")
}

// handle parses and dispatches one frame. It never blocks on Finesse:
// slow commands run on their own goroutine, bounded by slots.
func (c *client) handle(ctx context.Context, data []byte) {
	req, cmd, rerr := c.parse(data)
	if rerr != nil {
		c.reply(req.ID, nil, rerr)
		if rerr.Code == CodeForbiddenScope {
			c.srv.recordCommand(c, req, rerr, 0) // a refused attempt is what an audit is for
		}
		return
	}
	if cmd.sync {
		c.finish(ctx, req, cmd)
		return
	}
	select {
	case c.slots <- struct{}{}:
	default:
		c.reply(req.ID, nil, &RequestError{Code: CodeRateLimited, Message: fmt.Sprintf("more than %d commands in flight", maxInFlight)})
		return
	}
	// Commands outlive the tab that sent them (a refresh must not abort a
	// login half way) but not the server.
	cctx, cancel := context.WithTimeout(c.srv.baseContext(), commandBudget)
	c.cmdWG.Go(func() {
		defer func() { <-c.slots }()
		defer cancel()
		c.finish(cctx, req, cmd)
	})
}

// parse checks a frame: rate limit, JSON, id, command, client state.
func (c *client) parse(data []byte) (wireRequest, command, *RequestError) {
	// Every frame counts against the rate limit, malformed ones included.
	if !c.limiter.Allow() {
		return wireRequest{ID: idOf(data)}, command{}, &RequestError{Code: CodeRateLimited, Message: "too many requests; slow down"}
	}
	var req wireRequest
	if err := json.Unmarshal(data, &req); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return wireRequest{ID: idOf(data)}, command{}, badRequest("%s must be a %s", te.Field, jsonKind(te.Type.Kind().String()))
		}
		return wireRequest{}, command{}, &RequestError{Code: CodeBadJSON, Message: "malformed JSON: " + err.Error()}
	}
	if req.ID == "" {
		return req, command{}, badRequest("id is required (a string)")
	}
	cmd, ok := commands[req.Cmd]
	if !ok {
		return req, command{}, &RequestError{Code: CodeUnknownCommand, Message: fmt.Sprintf("unknown command %q", req.Cmd)}
	}
	if rerr := c.checkState(cmd.need); rerr != nil {
		return req, cmd, rerr
	}
	if rerr := c.checkProof(req.Cmd); rerr != nil {
		return req, cmd, rerr
	}
	return req, cmd, c.checkScope(req.Cmd)
}

// finish runs a command, answers it and, for the commands that act on the
// phone, records it in the audit trail (audit.go).
func (c *client) finish(ctx context.Context, req wireRequest, cmd command) {
	start := time.Now()
	rerr := c.execute(ctx, req, cmd)
	if auditedCommands[req.Cmd] {
		c.srv.recordCommand(c, req, rerr, time.Since(start))
	}
}

// execute runs cmd and sends the response; it returns the error it sent.
func (c *client) execute(ctx context.Context, req wireRequest, cmd command) (rerr *RequestError) {
	// A bug in one command must not take the agent's phone down with it.
	defer func() {
		if r := recover(); r != nil {
			c.srv.log.Error("bridge command panicked", "client", c.id, "cmd", req.Cmd, "panic", fmt.Sprint(r))
			rerr = &RequestError{Code: CodeInternal, Message: "internal error; see the AgentLink log"}
			c.reply(req.ID, nil, rerr)
		}
	}()
	if cmd.serve != nil {
		cmd.serve(ctx, c, req)
		return nil
	}
	res, err := cmd.run(ctx, c, req.Args)
	if err != nil {
		rerr := toRequestError(err)
		if rerr.Code == CodeInternal {
			c.srv.log.Error("bridge command failed", "client", c.id, "cmd", req.Cmd, "err", err)
		}
		c.srv.noteCommandError(c, req.Cmd, rerr)
		c.reply(req.ID, nil, rerr)
		return rerr
	}
	if res == nil {
		res = struct{}{}
	}
	c.reply(req.ID, res, nil)
	return nil
}

func (c *client) checkState(need int) *RequestError {
	c.mu.Lock()
	st := c.state
	c.mu.Unlock()
	switch {
	case st >= need:
		return nil
	case need == stateHello:
		return &RequestError{Code: CodeNotConnected, Message: "send Hello first"}
	default:
		return &RequestError{Code: CodeNotConnected, Message: "send Hello and Connect first"}
	}
}

// idOf digs a string id out of a request whose other fields are mistyped,
// so the bad_request answer can still be matched.
func idOf(data []byte) string {
	var probe map[string]json.RawMessage
	var id string
	if json.Unmarshal(data, &probe) == nil && json.Unmarshal(probe["id"], &id) == nil {
		return id
	}
	return ""
}

// decodeArgs decodes a command's args, naming a mistyped field.
func decodeArgs(raw json.RawMessage, v any) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	if raw[0] != '{' {
		return badRequest("args must be a JSON object")
	}
	if err := json.Unmarshal(raw, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return badRequest("args.%s must be a %s", te.Field, jsonKind(te.Type.Kind().String()))
		}
		return badRequest("args: %v", err)
	}
	return nil
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "map", "struct":
		return "object"
	case "slice":
		return "array"
	default:
		return "number"
	}
}

package localbridge

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/time/rate"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

const (
	testToken  = "test-token-0123456789abcdefghijklmnopqrstuvwxyz"
	crmOrigin  = "https://crm.example.com"
	waitFor    = 5 * time.Second
	allActions = "ANSWER HOLD RETRIEVE DROP CONSULT_CALL TRANSFER CONFERENCE TRANSFER_SST SEND_DTMF UPDATE_CALL_DATA"
)

// harness is a running bridge over a real core.Session and a fake Finesse.
type harness struct {
	t    *testing.T
	srv  *Server
	sess *core.Session
	port *coretest.Port
	fin  *fakeFinesse
	base string // http://127.0.0.1:PORT
}

type harnessOpt func(*Config, *core.Config)

func newHarness(t *testing.T, opts ...harnessOpt) *harness {
	t.Helper()
	port := &coretest.Port{}
	scfg := core.Config{Port: port, Logger: discard(), CommandTimeout: 2 * time.Second}
	cfg := Config{
		Addr: "127.0.0.1:0", AllowedOrigins: []string{crmOrigin}, Token: testToken,
		Logger: discard(), RateLimit: rate.Inf,
		// The app's keychain: toolbars sign in without a password.
		PasswordLookup: func(string) (string, error) { return "secret1", nil },
	}
	for _, o := range opts {
		o(&cfg, &scfg)
	}
	sess := core.NewSession(scfg)
	fin := &fakeFinesse{sess: sess, dialogs: map[string]core.Dialog{}}
	port.SendFunc = coretest.Reply(sess, fin.answer)
	port.ReasonCodesFunc = func(_ context.Context, c core.ReasonCategory) ([]core.ReasonCode, error) {
		return []core.ReasonCode{{ID: "11", Category: c, Code: "1", Label: "Break " + string(c)}}, nil
	}
	port.WrapUpReasonsFunc = func(context.Context) ([]core.WrapUpReason, error) {
		return []core.WrapUpReason{{ID: "1", Label: "Sale"}, {ID: "2", Label: "No sale"}}, nil
	}
	port.PhoneBookFunc = func(context.Context) ([]core.Contact, error) {
		return []core.Contact{{PhoneBook: "Global", FirstName: "Ada", Number: "5550100"}}, nil
	}
	cfg.Session = sess
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("Run did not return after cancel")
		}
	})
	select {
	case <-srv.Ready():
	case err := <-done:
		t.Fatalf("Run: %v", err)
	case <-time.After(waitFor):
		t.Fatal("server not ready")
	}
	return &harness{t: t, srv: srv, sess: sess, port: port, fin: fin, base: "http://" + srv.Addr()}
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// fakeFinesse answers commands the way Finesse would, simply: state changes
// for agent commands, participant changes for dialog commands.
type fakeFinesse struct {
	sess    *core.Session
	mu      sync.Mutex // guards the fields below
	agent   core.Agent
	dialogs map[string]core.Dialog
	calls   int
	silent  bool // leave commands unanswered (timeouts)
}

func actions(s string) []core.Action {
	var out []core.Action
	for _, f := range strings.Fields(s) {
		out = append(out, core.Action(f))
	}
	return out
}

func (f *fakeFinesse) answer(cmd core.Command) []core.Update {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.silent {
		return nil
	}
	switch cmd.Kind {
	case core.CmdLogin:
		f.agent = coretest.Agent(cmd.AgentID, cmd.Extension, core.StateNotReady)
		return coretest.Echo(cmd, coretest.AgentUpdate(f.agent))
	case core.CmdReady, core.CmdNotReady, core.CmdLogout:
		f.agent.State = map[core.CommandKind]core.AgentState{
			core.CmdReady: core.StateReady, core.CmdNotReady: core.StateNotReady, core.CmdLogout: core.StateLogout}[cmd.Kind]
		f.agent.ReasonCodeID = cmd.ReasonCodeID
		return coretest.Echo(cmd, coretest.AgentUpdate(f.agent))
	case core.CmdMakeCall:
		f.calls++
		d := coretest.Dialog(fmt.Sprintf("out-%d", f.calls), f.agent.Extension, cmd.Number, core.PartActive, actions(allActions)...)
		f.dialogs[d.ID] = d
		return coretest.Echo(cmd, coretest.DialogUpdate(d))
	case core.CmdRelease:
		delete(f.dialogs, cmd.DialogID)
		return coretest.Echo(cmd, coretest.Removed(cmd.DialogID))
	}
	d, ok := f.dialogs[cmd.DialogID]
	if !ok {
		return []core.Update{{Kind: core.UpdateError, RequestID: cmd.RequestID,
			Err: &core.FinesseError{Type: "Generic Error", Message: "no dialog", RequestID: cmd.RequestID}}}
	}
	d = f.applyLocked(d, cmd)
	return coretest.Echo(cmd, coretest.DialogUpdate(d))
}

// applyLocked changes the agent's participant like Finesse would and marks
// the dialog so every answer differs from the last.
func (f *fakeFinesse) applyLocked(d core.Dialog, cmd core.Command) core.Dialog {
	d.Participants = append([]core.Participant(nil), d.Participants...)
	p := &d.Participants[0]
	switch cmd.Kind {
	case core.CmdAnswer, core.CmdRetrieve:
		p.State, d.State = core.PartActive, core.DialogActive
	case core.CmdHold:
		p.State = core.PartHeld
	case core.CmdWrapUp:
		d.WrapUpReason = cmd.WrapUpReason
	}
	p.Actions = actions(allActions)
	vars := append([]core.CallVariable(nil), d.Variables...)
	vars = append(vars, cmd.Variables...)
	d.Variables = append(vars, core.CallVariable{Name: "n", Value: fmt.Sprint(len(vars))})
	f.dialogs[d.ID] = d
	return d
}

// ring injects an alerting call, as Finesse would announce it.
func (h *harness) ring(id, caller string, acts string) core.Dialog {
	h.fin.mu.Lock()
	d := coretest.Dialog(id, h.fin.agent.Extension, caller, core.PartAlerting, actions(acts)...)
	h.fin.dialogs[id] = d
	h.fin.mu.Unlock()
	h.sess.Apply(coretest.DialogUpdate(d))
	return d
}

// frame is any message from the bridge.
type frame struct {
	ID     string          `json:"id"`
	OK     bool            `json:"ok"`
	Result json.RawMessage `json:"result"`
	Error  *wireError      `json:"error"`
	Event  string          `json:"event"`
	Seq    uint64          `json:"seq"`
	Data   json.RawMessage `json:"data"`
}

// wsClient is a test WebSocket client.
type wsClient struct {
	t      *testing.T
	conn   *websocket.Conn
	n      int
	events []frame // events read while waiting for responses
}

func (h *harness) wsURL() string { return "ws" + strings.TrimPrefix(h.base, "http") + "/v1/bridge" }

func (h *harness) dialWS(origin string, hdr http.Header) (*websocket.Conn, *http.Response, error) {
	if hdr == nil {
		hdr = http.Header{}
	}
	if origin != "" {
		hdr.Set("Origin", origin)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	return websocket.Dial(ctx, h.wsURL(), &websocket.DialOptions{HTTPHeader: hdr})
}

// connect dials from the CRM origin; hello and connect do the handshake.
func (h *harness) connect(t *testing.T) *wsClient {
	t.Helper()
	c, _, err := h.dialWS(crmOrigin, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.CloseNow() })
	return &wsClient{t: t, conn: c}
}

func (c *wsClient) send(id, cmd string, args any) {
	c.t.Helper()
	b, err := json.Marshal(map[string]any{"id": id, "cmd": cmd, "args": args})
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendRaw(b)
}

func (c *wsClient) sendRaw(b []byte) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	if err := c.conn.Write(ctx, websocket.MessageText, b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

func (c *wsClient) read() (frame, error) {
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	_, b, err := c.conn.Read(ctx)
	if err != nil {
		return frame{}, err
	}
	var f frame
	if err := json.Unmarshal(b, &f); err != nil {
		return frame{}, fmt.Errorf("bad frame %s: %w", b, err)
	}
	return f, nil
}

// call sends a command and returns its response, keeping events for later.
func (c *wsClient) call(cmd string, args any) frame {
	c.t.Helper()
	c.n++
	id := fmt.Sprintf("r%d", c.n)
	c.send(id, cmd, args)
	return c.waitResponse(id)
}

func (c *wsClient) waitResponse(id string) frame {
	c.t.Helper()
	for {
		f, err := c.read()
		if err != nil {
			c.t.Fatalf("waiting for response %s: %v", id, err)
		}
		if f.Event != "" {
			c.events = append(c.events, f)
			continue
		}
		if f.ID == id {
			return f
		}
		c.t.Fatalf("got response %q, want %q", f.ID, id)
	}
}

// mustOK calls and fails the test unless the response is ok.
func (c *wsClient) mustOK(cmd string, args any) frame {
	c.t.Helper()
	f := c.call(cmd, args)
	if !f.OK {
		c.t.Fatalf("%s: got error %+v, want ok", cmd, f.Error)
	}
	return f
}

// nextEvent returns the next event, first from those kept by call.
func (c *wsClient) nextEvent() frame {
	c.t.Helper()
	if len(c.events) > 0 {
		f := c.events[0]
		c.events = c.events[1:]
		return f
	}
	for {
		f, err := c.read()
		if err != nil {
			c.t.Fatalf("waiting for an event: %v", err)
		}
		if f.Event != "" {
			return f
		}
		c.t.Fatalf("got response %q while waiting for an event", f.ID)
	}
}

// waitEvent skips events until one of the given name arrives.
func (c *wsClient) waitEvent(name string) frame {
	c.t.Helper()
	for {
		if f := c.nextEvent(); f.Event == name {
			return f
		}
	}
}

// handshake does Hello and Connect and returns the Connect result.
func (c *wsClient) handshake(args any) connectReply {
	c.t.Helper()
	c.mustOK("Hello", nil)
	if f := c.nextEvent(); f.Event != "System" {
		c.t.Fatalf("after Hello got %q, want System", f.Event)
	}
	f := c.mustOK("Connect", args)
	var r connectReply
	if err := json.Unmarshal(f.Result, &r); err != nil {
		c.t.Fatal(err)
	}
	return r
}

// connectReply decodes a Connect result.
type connectReply struct {
	Resumed  bool `json:"resumed"`
	Seq      uint64
	Epoch    string
	Snapshot *struct {
		Seq           uint64
		Agent         wireAgent
		Dialogs       []wireDialog
		ReasonCodes   map[string][]wireReasonCode
		WrapUpReasons []wireWrapUpReason
	}
}

func (c *wsClient) login() {
	c.t.Helper()
	c.mustOK("Login", map[string]any{"agentId": "1001", "extension": "5001"})
}

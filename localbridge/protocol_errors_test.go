package localbridge

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/time/rate"

	"github.com/agentlink/agentlink/core"
)

func TestBeforeConnect(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.connect(t)
	tests := []struct{ cmd, want string }{
		{"Connect", CodeNotConnected},
		{"SetState", CodeNotConnected},
		{"GetState", CodeNotConnected},
		{"Ping", ""},
	}
	for _, tt := range tests {
		f := c.call(tt.cmd, nil)
		if tt.want == "" {
			if !f.OK {
				t.Errorf("%s before Hello: got %+v, want ok", tt.cmd, f.Error)
			}
			continue
		}
		if f.OK || f.Error.Code != tt.want {
			t.Errorf("%s before Hello: got %+v, want %s", tt.cmd, f.Error, tt.want)
		}
	}
	c.mustOK("Hello", nil)
	if f := c.call("Login", map[string]any{"agentId": "1", "extension": "2", "password": "x"}); f.OK || f.Error.Code != CodeNotConnected {
		t.Errorf("Login after Hello only: got %+v, want not_connected", f.Error)
	}
	if len(h.port.Sent()) != 0 {
		t.Errorf("port got %v, want nothing before Connect", h.port.Sent())
	}
}

func TestBadFrames(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.connect(t)
	tests := []struct {
		name, frame, wantID, wantCode, wantMsg string
	}{
		{"malformed", `{"id": "r1", "cmd": `, "", CodeBadJSON, "malformed JSON"},
		{"not an object", `[1,2]`, "", CodeBadRequest, ""},
		{"mistyped cmd", `{"id":"r2","cmd":5}`, "r2", CodeBadRequest, "cmd must be a string"},
		{"missing id", `{"cmd":"Ping"}`, "", CodeBadRequest, "id is required"},
		{"unknown command", `{"id":"r3","cmd":"Explode"}`, "r3", CodeUnknownCommand, "Explode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.t = t
			c.sendRaw([]byte(tt.frame))
			f, err := c.read()
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if f.OK || f.Error == nil || f.Error.Code != tt.wantCode || f.ID != tt.wantID || !strings.Contains(f.Error.Message, tt.wantMsg) {
				t.Errorf("got id %q error %+v, want id %q code %s mentioning %q", f.ID, f.Error, tt.wantID, tt.wantCode, tt.wantMsg)
			}
		})
	}
	c.t = t
	c.mustOK("Ping", nil) // the connection survived
}

func TestCommandErrors(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef01234567")
	h := newHarness(t, func(c *Config, s *core.Config) { s.CommandTimeout = 200 * time.Millisecond })
	c := h.connect(t)
	c.handshake(nil)
	notLoggedIn := c.call("SetState", map[string]any{"state": "READY"})
	if notLoggedIn.OK || notLoggedIn.Error.Code != CodeNotLoggedIn {
		t.Errorf("SetState before Login: got %+v, want not_logged_in", notLoggedIn.Error)
	}
	if f := c.call("Login", map[string]any{"agentId": "1001", "extension": "5001", "password": "x", "securePassword": true}); f.OK || f.Error.Code != CodeSecurePasswordUnavailable {
		t.Errorf("securePassword without key: got %+v, want secure_password_unavailable", f.Error)
	}
	_ = key
	c.login()
	h.ring("d1", "5550123", "ANSWER")
	c.waitEvent("Dialog")

	tests := []struct {
		cmd      string
		args     string
		wantCode string
		wantMsg  string
	}{
		{"MakeCall", `{}`, CodeBadRequest, "args.number"},
		{"MakeCall", `{"number": 5}`, CodeBadRequest, "args.number must be a string"},
		{"SetState", `{"state": "BUSY"}`, CodeBadRequest, "READY or NOT_READY"},
		{"SetState", `"READY"`, CodeBadRequest, "object"},
		{"SendDTMF", `{"dialogId":"d1"}`, CodeBadRequest, "args.digits"},
		{"SendDTMF", `{"dialogId":"d1","digits":"12x"}`, CodeBadRequest, "digit"},
		{"UpdateCallData", `{"dialogId":"d1"}`, CodeBadRequest, "args.variables"},
		{"GetReasonCodes", `{"category":"LUNCH"}`, CodeBadRequest, "args.category"},
		{"Hold", `{"dialogId":"d1"}`, CodeActionNotAllowed, ""},
		{"Answer", `{"dialogId":"nope"}`, CodeNoSuchDialog, ""},
		{"Retrieve", `{}`, CodeNoSuchDialog, ""},
	}
	for _, tt := range tests {
		f := c.call(tt.cmd, json.RawMessage(tt.args))
		if f.OK || f.Error.Code != tt.wantCode || !strings.Contains(f.Error.Message, tt.wantMsg) {
			t.Errorf("%s %s: got %+v, want %s mentioning %q", tt.cmd, tt.args, f.Error, tt.wantCode, tt.wantMsg)
		}
	}

	h.fin.mu.Lock()
	h.fin.silent = true
	h.fin.mu.Unlock()
	if f := c.call("SetState", map[string]any{"state": "READY"}); f.OK || f.Error.Code != CodeTimeout {
		t.Errorf("unanswered command: got %+v, want timeout", f.Error)
	}
}

func TestFinesseErrorMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"wrong password", &core.FinesseError{Status: 401, Type: "Authorization Failure", Message: "UNAUTHORIZED"}, CodeWrongCredentials},
		{"locked", &core.FinesseError{Status: 401, Type: "Authorization Failure", Message: "ACCOUNT_LOCKED"}, CodeAccountLocked},
		{"503", &core.FinesseError{Status: 503, Type: "Service Unavailable"}, CodeFinesseOutOfService},
		{"invalid state", &core.FinesseError{Status: 400, Type: "Invalid State", Message: "bad"}, CodeFinesseError},
		{"unreachable", errors.Join(errors.New("dial tcp"), core.ErrUnreachable), CodeFinesseUnreachable},
		{"certificate", core.ErrUntrustedCertificate, CodeUntrustedCertificate},
		{"timeout", core.ErrCommandTimeout, CodeTimeout},
		{"other", errors.New("boom"), CodeInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.port.SendFunc = func(context.Context, core.Command) error { return tt.err }
			c := h.connect(t)
			c.handshake(nil)
			f := c.call("Login", map[string]any{"agentId": "1001", "extension": "5001"})
			if f.OK || f.Error.Code != tt.want {
				t.Fatalf("got %+v, want %s", f.Error, tt.want)
			}
			var fe *core.FinesseError
			if errors.As(tt.err, &fe) && (f.Error.Finesse == nil || f.Error.Finesse.Type != fe.Type) {
				t.Errorf("finesse detail = %+v, want type %q", f.Error.Finesse, fe.Type)
			}
			if tt.want == CodeInternal && strings.Contains(f.Error.Message, "boom") {
				t.Errorf("internal error leaked details: %q", f.Error.Message)
			}
		})
	}
}

func TestSecurePasswordLogin(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef01234567")
	h := newHarness(t, func(c *Config, _ *core.Config) { c.SecurePasswordKey = key })
	c := h.connect(t)
	c.handshake(nil)
	wire := encryptForTest(t, key, []byte("8 bytes!"), "s3cret-pw")
	c.mustOK("Login", map[string]any{"agentId": "1001", "extension": "5001", "password": wire, "securePassword": true})
	if got := h.port.Sent()[0].Password; got != "s3cret-pw" {
		t.Errorf("decrypted password = %q, want s3cret-pw", got)
	}
	bad := base64.StdEncoding.EncodeToString([]byte("short"))
	if f := c.call("Login", map[string]any{"agentId": "1001", "extension": "5001", "password": bad, "securePassword": true}); f.OK || f.Error.Code != CodeBadRequest {
		t.Errorf("bad secure password: got %+v, want bad_request", f.Error)
	}
}

func TestPasswordLookup(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config, _ *core.Config) {
		c.PasswordLookup = func(id string) (string, error) {
			if id == "1001" {
				return "from-keychain", nil
			}
			return "", errors.New("not found")
		}
	})
	c := h.connect(t)
	c.handshake(nil)
	c.mustOK("Login", map[string]any{"agentId": "1001", "extension": "5001"})
	if got := h.port.Sent()[0].Password; got != "from-keychain" {
		t.Errorf("password = %q, want the keychain's", got)
	}
	if f := c.call("Login", map[string]any{"agentId": "1002", "extension": "5002"}); f.OK || f.Error.Code != CodeBadRequest || !strings.Contains(f.Error.Message, "password") {
		t.Errorf("no saved password: got %+v, want bad_request naming the password", f.Error)
	}
}

func TestOversizedFrame(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.connect(t)
	c.sendRaw([]byte(`{"id":"big","cmd":"Ping","args":{"x":"` + strings.Repeat("a", 70<<10) + `"}}`))
	_, err := c.read()
	if got := websocket.CloseStatus(err); got != websocket.StatusMessageTooBig {
		t.Errorf("after a 70 KiB frame: close status %v (err %v), want 1009", got, err)
	}
	c2 := h.connect(t) // the server is fine
	c2.mustOK("Ping", nil)
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config, _ *core.Config) { c.RateLimit, c.Burst = rate.Every(time.Hour), 3 })
	c := h.connect(t)
	var limited int
	for range 6 {
		f := c.call("Ping", nil)
		if !f.OK && f.Error.Code == CodeRateLimited {
			limited++
		}
	}
	if limited != 3 {
		t.Errorf("rate limited %d of 6 pings with burst 3, want 3", limited)
	}
}

// FuzzParseFrame: no frame makes parsing panic, and every refusal has a
// code from the protocol.
func FuzzParseFrame(f *testing.F) {
	for _, seed := range []string{`{"id":"1","cmd":"Ping"}`, `{"id":1}`, `[`, `{"id":"x","cmd":"Login","args":5}`, ``} {
		f.Add([]byte(seed))
	}
	c := &client{limiter: rate.NewLimiter(rate.Inf, 1), state: stateConnected}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _, rerr := c.parse(data)
		if rerr != nil && rerr.Code == "" {
			t.Errorf("refusal without a code for %q", data)
		}
	})
}

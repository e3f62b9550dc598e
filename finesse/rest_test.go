package finesse

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/agentlink/agentlink/core"
	"github.com/google/go-cmp/cmp"
)

const testPassword = "s3cret-Pa55"

// fakeFinesse records requests and answers from a per-test function.
type fakeFinesse struct {
	mu     sync.Mutex
	reqs   []recorded
	answer func(w http.ResponseWriter, r *http.Request, n int)
}

type recorded struct {
	Method, Path, RequestID, Body string
}

func (f *fakeFinesse) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.reqs = append(f.reqs, recorded{r.Method, r.URL.RequestURI(), r.Header.Get("requestId"), string(body)})
	n := len(f.reqs)
	f.mu.Unlock()
	if u, p, ok := r.BasicAuth(); !ok || u != "1001" || p != testPassword {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte("<ApiErrors><ApiError><ErrorType>Authorization Failure</ErrorType><ErrorMessage>UNAUTHORIZED</ErrorMessage></ApiError></ApiErrors>"))
		return
	}
	f.answer(w, r, n)
}

func (f *fakeFinesse) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

// newRESTLink starts srv (TLS) and a Link pointed at it that trusts it.
func newRESTLink(t *testing.T, f *fakeFinesse, logs io.Writer) *Link {
	t.Helper()
	srv := httptest.NewTLSServer(f)
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return linkTo(t, srv.URL, caFile, logs)
}

func linkTo(t *testing.T, rawURL, caFile string, logs io.Writer) *Link {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(u.Host)
	p, _ := strconv.Atoi(port)
	if logs == nil {
		logs = io.Discard
	}
	l, err := NewLink(Config{
		SideA: Endpoint{Host: host, RESTPort: p}, CAFile: caFile, PlainHTTP: u.Scheme == "http",
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatalf("NewLink: %v", err)
	}
	l.SetCredentials("1001", testPassword)
	l.extension = "5001"
	return l
}

func TestRequestIDOnEveryPutAndPost(t *testing.T) {
	t.Parallel()
	f := &fakeFinesse{answer: func(w http.ResponseWriter, r *http.Request, n int) { w.WriteHeader(http.StatusAccepted) }}
	l := newRESTLink(t, f, nil)
	ctx := context.Background()
	cmds := []core.Command{
		{Kind: core.CmdReady},
		{Kind: core.CmdNotReady, ReasonCodeID: "17"},
		{Kind: core.CmdMakeCall, Number: "5002"},
		{Kind: core.CmdAnswer, DialogID: "42"},
		{Kind: core.CmdSendDTMF, DialogID: "42", Digits: "12#"},
		{Kind: core.CmdWrapUp, DialogID: "42", WrapUpReason: "Billing question"},
	}
	for _, c := range cmds {
		if err := l.Send(ctx, c); err != nil {
			t.Fatalf("Send(%s): %v", c.Kind, err)
		}
	}
	seen := map[string]bool{}
	for _, r := range f.requests() {
		if r.RequestID == "" || seen[r.RequestID] {
			t.Errorf("%s %s: requestId %q, want unique and non-empty", r.Method, r.Path, r.RequestID)
		}
		seen[r.RequestID] = true
	}
	if len(seen) != len(cmds) {
		t.Errorf("got %d distinct request ids, want %d", len(seen), len(cmds))
	}
	// An explicit RequestID is sent as is.
	if err := l.Send(ctx, core.Command{Kind: core.CmdHold, DialogID: "42", RequestID: "mine-1"}); err != nil {
		t.Fatal(err)
	}
	if got := f.requests()[len(cmds)].RequestID; got != "mine-1" {
		t.Errorf("requestId = %q, want mine-1", got)
	}
}

func TestCommandBodies(t *testing.T) {
	t.Parallel()
	f := &fakeFinesse{answer: func(w http.ResponseWriter, r *http.Request, n int) { w.WriteHeader(http.StatusAccepted) }}
	l := newRESTLink(t, f, nil)
	tests := []struct {
		cmd        core.Command
		method     string
		path, body string
	}{
		{core.Command{Kind: core.CmdReady}, "PUT", "/finesse/api/User/1001", "<User><state>READY</state></User>"},
		{core.Command{Kind: core.CmdNotReady, ReasonCodeID: "17"}, "PUT", "/finesse/api/User/1001", "<User><state>NOT_READY</state><reasonCodeId>17</reasonCodeId></User>"},
		{core.Command{Kind: core.CmdLogout, ReasonCodeID: "23"}, "PUT", "/finesse/api/User/1001", "<User><state>LOGOUT</state><reasonCodeId>23</reasonCodeId></User>"},
		{core.Command{Kind: core.CmdMakeCall, Number: "912125550123"}, "POST", "/finesse/api/User/1001/Dialogs",
			"<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>5001</fromAddress><toAddress>912125550123</toAddress></Dialog>"},
		{core.Command{Kind: core.CmdAnswer, DialogID: "7"}, "PUT", "/finesse/api/Dialog/7",
			"<Dialog><requestedAction>ANSWER</requestedAction><targetMediaAddress>5001</targetMediaAddress></Dialog>"},
		{core.Command{Kind: core.CmdRelease, DialogID: "7"}, "PUT", "/finesse/api/Dialog/7",
			"<Dialog><requestedAction>DROP</requestedAction><targetMediaAddress>5001</targetMediaAddress></Dialog>"},
		{core.Command{Kind: core.CmdConsult, DialogID: "7", Number: "5002"}, "PUT", "/finesse/api/Dialog/7",
			"<Dialog><requestedAction>CONSULT_CALL</requestedAction><toAddress>5002</toAddress><targetMediaAddress>5001</targetMediaAddress></Dialog>"},
		{core.Command{Kind: core.CmdSingleStepTransfer, DialogID: "7", Number: "5003"}, "PUT", "/finesse/api/Dialog/7",
			"<Dialog><requestedAction>TRANSFER_SST</requestedAction><toAddress>5003</toAddress><targetMediaAddress>5001</targetMediaAddress></Dialog>"},
		{core.Command{Kind: core.CmdSendDTMF, DialogID: "7", Digits: "1234#"}, "PUT", "/finesse/api/Dialog/7",
			"<Dialog><requestedAction>SEND_DTMF</requestedAction><targetMediaAddress>5001</targetMediaAddress><actionParams><ActionParam><name>dtmfString</name><value>1234#</value></ActionParam></actionParams></Dialog>"},
		{core.Command{Kind: core.CmdUpdateCallData, DialogID: "7", Variables: []core.CallVariable{{Name: "callVariable3", Value: "ACME-42"}}}, "PUT", "/finesse/api/Dialog/7",
			"<Dialog><requestedAction>UPDATE_CALL_DATA</requestedAction><mediaProperties><callvariables><CallVariable><name>callVariable3</name><value>ACME-42</value></CallVariable></callvariables></mediaProperties></Dialog>"},
		{core.Command{Kind: core.CmdWrapUp, DialogID: "7", WrapUpReason: "Billing question"}, "PUT", "/finesse/api/Dialog/7",
			"<Dialog><requestedAction>UPDATE_CALL_DATA</requestedAction><mediaProperties><wrapUpReason>Billing question</wrapUpReason></mediaProperties></Dialog>"},
	}
	for i, tt := range tests {
		if err := l.Send(context.Background(), tt.cmd); err != nil {
			t.Fatalf("Send(%s): %v", tt.cmd.Kind, err)
		}
		r := f.requests()[i]
		got := recorded{Method: r.Method, Path: r.Path, Body: r.Body}
		want := recorded{Method: tt.method, Path: tt.path, Body: tt.body}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.cmd.Kind, diff)
		}
	}
}

func TestGetRetriedOn503(t *testing.T) {
	t.Parallel()
	f := &fakeFinesse{answer: func(w http.ResponseWriter, r *http.Request, n int) {
		if n < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write(readGolden(t, "user_ready.xml"))
	}}
	l := newRESTLink(t, f, nil)
	a, err := l.FetchAgent(context.Background())
	if err != nil {
		t.Fatalf("FetchAgent: %v", err)
	}
	if a.State != core.StateReady || len(f.requests()) != 3 {
		t.Errorf("state %s after %d requests, want READY after 3", a.State, len(f.requests()))
	}
}

func TestPutAndPostNotRetried(t *testing.T) {
	t.Parallel()
	for _, cmd := range []core.Command{{Kind: core.CmdMakeCall, Number: "5002"}, {Kind: core.CmdAnswer, DialogID: "1"}} {
		t.Run(string(cmd.Kind), func(t *testing.T) {
			t.Parallel()
			f := &fakeFinesse{answer: func(w http.ResponseWriter, r *http.Request, n int) {
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte("<ApiErrors><ApiError><ErrorType>Service Unavailable</ErrorType><ErrorMessage>SERVER_OUT_OF_SERVICE</ErrorMessage></ApiError></ApiErrors>"))
			}}
			l := newRESTLink(t, f, nil)
			err := l.Send(context.Background(), cmd)
			if !errors.Is(err, core.ErrOutOfService) {
				t.Errorf("err = %v, want ErrOutOfService", err)
			}
			if n := len(f.requests()); n != 1 {
				t.Errorf("%d requests, want exactly 1 (no retry)", n)
			}
		})
	}
}

func TestRESTErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		body   string
		want   error
		fe     *core.FinesseError
	}{
		{"invalid state", 400, string(readGolden(t, "apierrors_invalid_state.xml")), nil,
			&core.FinesseError{Status: 400, Type: "Invalid State", Message: "Invalid State specified for user", Data: "state"}},
		{"wrong password", 401, "<ApiErrors><ApiError><ErrorType>Authorization Failure</ErrorType><ErrorMessage>UNAUTHORIZED</ErrorMessage></ApiError></ApiErrors>",
			core.ErrWrongCredentials, nil},
		{"locked", 401, "<ApiErrors><ApiError><ErrorType>Authorization Failure</ErrorType><ErrorMessage>ACCOUNT_LOCKED</ErrorMessage></ApiError></ApiErrors>",
			core.ErrAccountLocked, nil},
		{"503 without body", 503, "", core.ErrOutOfService, &core.FinesseError{Status: 503, Type: "Service Unavailable"}},
		{"500 html", 500, "<html>oops</html>", nil, &core.FinesseError{Status: 500, Type: "Internal Server Error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeFinesse{answer: func(w http.ResponseWriter, r *http.Request, n int) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}}
			l := newRESTLink(t, f, nil)
			err := l.Send(context.Background(), core.Command{Kind: core.CmdReady})
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			var fe *core.FinesseError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a *core.FinesseError", err)
			}
			if tt.fe != nil {
				if diff := cmp.Diff(tt.fe, fe); diff != "" {
					t.Errorf("FinesseError (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestUntrustedCertificate(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	l := linkTo(t, srv.URL, "", nil)
	_, err := l.FetchAgent(context.Background())
	if !errors.Is(err, core.ErrUntrustedCertificate) || !strings.Contains(err.Error(), "ca_file") {
		t.Errorf("err = %v, want ErrUntrustedCertificate mentioning ca_file", err)
	}
}

func TestUnreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	l := linkTo(t, "http://"+addr, "", nil)
	if _, err := l.FetchDialogs(context.Background()); !errors.Is(err, core.ErrUnreachable) {
		t.Errorf("err = %v, want ErrUnreachable", err)
	}
}

func TestPasswordNeverLogged(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	f := &fakeFinesse{answer: func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable) // exercise resty's retry logging
			return
		}
		w.WriteHeader(http.StatusBadRequest)
	}}
	l := newRESTLink(t, f, &logs)
	_, _ = l.FetchAgent(context.Background())
	_ = l.Send(context.Background(), core.Command{Kind: core.CmdReady})
	l.cfg.Logger.Info("creds", "c", creds{user: "1001", pass: testPassword}) // LogValue redacts
	out := logs.String()
	if out == "" {
		t.Fatal("no log output captured; the test would prove nothing")
	}
	for _, secret := range []string{testPassword, "Authorization", "MTAwMTpzM2NyZXQtUGE1NQ"} {
		if strings.Contains(out, secret) {
			t.Errorf("log output contains %q:\n%s", secret, out)
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLists(t *testing.T) {
	t.Parallel()
	f := &fakeFinesse{answer: func(w http.ResponseWriter, r *http.Request, n int) {
		files := map[string]string{
			"/finesse/api/User/1001/ReasonCodes?category=NOT_READY": "reasoncodes_notready.xml",
			"/finesse/api/User/1001/WrapUpReasons":                  "wrapupreasons.xml",
			"/finesse/api/User/1001/PhoneBooks":                     "phonebooks.xml",
			"/finesse/api/PhoneBook/1/Contacts":                     "contacts.xml",
			"/finesse/api/PhoneBook/2/Contacts":                     "dialogs_empty.xml",
		}
		name, ok := files[r.URL.RequestURI()]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		if name == "dialogs_empty.xml" {
			_, _ = w.Write([]byte("<Contacts/>"))
			return
		}
		_, _ = w.Write(readGolden(t, name))
	}}
	l := newRESTLink(t, f, nil)
	ctx := context.Background()
	codes, err := l.ReasonCodes(ctx, core.CategoryNotReady)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(core.ReasonCode{ID: "17", Category: core.CategoryNotReady, Code: "12", Label: "Lunch"}, codes[0]); diff != "" || len(codes) != 3 {
		t.Errorf("reason codes: %d, first (-want +got):\n%s", len(codes), diff)
	}
	wr, err := l.WrapUpReasons(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]core.WrapUpReason{{ID: "5", Label: "Billing question"}, {ID: "6", Label: "Sales inquiry"}}, wr); diff != "" {
		t.Errorf("wrap-up reasons (-want +got):\n%s", diff)
	}
	pb, err := l.PhoneBook(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := core.Contact{PhoneBook: "Global Directory", BookType: "GLOBAL", FirstName: "Carol", LastName: "Customer", Number: "4085550100", Description: "Key account"}
	if len(pb) != 2 || !cmp.Equal(want, pb[0]) {
		t.Errorf("phone book = %+v, want 2 contacts starting with %+v", pb, want)
	}
	if _, err := l.ReasonCodes(ctx, "BOGUS"); !errors.Is(err, core.ErrInvalidCommand) {
		t.Errorf("bogus category: err = %v, want ErrInvalidCommand", err)
	}
}

package finesse

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/go-resty/resty/v2"
)

// creds are the agent's Finesse credentials. Never log them.
type creds struct {
	user, pass string
	sso        *ssoSession // set instead of pass under single sign-on (sso_creds.go)
}

// LogValue keeps a password out of any log line that mentions creds.
func (c creds) LogValue() slog.Value { return slog.StringValue(c.user + ":<redacted>") }

// restClient speaks Finesse REST (reference §1.1, §2) over resty.
type restClient struct {
	rc      *resty.Client // retries idempotent GETs; safe for concurrent use
	probe   *resty.Client // never retries: SystemInfo probes during failover
	scheme  string        // "https" or "http"; read-only
	timeout time.Duration // per call, all retries included; read-only
	log     *slog.Logger
	unavail *unavailable // 503 streaks per side (unavailable.go); non-nil
}

func newREST(cfg Config, tc *tls.Config) *restClient {
	base := func() *resty.Client {
		// Each transport gets its own copy: net/http writes into its
		// TLSClientConfig on first use (HTTP/2 set-up), which races with the
		// other transport and the XMPP dialer cloning a shared one.
		return resty.New().
			SetTLSClientConfig(tc.Clone()).
			SetLogger(restyLogger{cfg.Logger}).
			SetHeader("Accept", "application/xml").
			SetRedirectPolicy(resty.NoRedirectPolicy())
	}
	rc := base().
		SetRetryCount(3).
		SetRetryWaitTime(200 * time.Millisecond).
		SetRetryMaxWaitTime(2 * time.Second).
		AddRetryCondition(retryIdempotent)
	scheme := "https"
	if cfg.PlainHTTP {
		scheme = "http"
	}
	return &restClient{rc: rc, probe: base(), scheme: scheme, timeout: cfg.RESTTimeout, log: cfg.Logger,
		unavail: newUnavailable()}
}

// closeIdle drops idle keep-alive connections (Run is over).
func (r *restClient) closeIdle() {
	r.rc.GetClient().CloseIdleConnections()
	r.probe.GetClient().CloseIdleConnections()
}

// retryIdempotent retries only GETs, and only on a connection failure or
// 503: resty v2 would otherwise retry a POST (a second MAKE_CALL) too.
func retryIdempotent(resp *resty.Response, err error) bool {
	if resp == nil || resp.Request == nil || resp.Request.Method != http.MethodGet {
		return false
	}
	if err != nil {
		if resp.Request.Context().Err() != nil {
			return false
		}
		var cert *tls.CertificateVerificationError
		return !errors.As(err, &cert) // a certificate does not heal by retrying
	}
	return resp.StatusCode() == http.StatusServiceUnavailable
}

// newRequestID returns 16 random bytes in hex for the requestId header.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

func (r *restClient) baseURL(ep Endpoint) string {
	return r.scheme + "://" + net.JoinHostPort(ep.Host, strconv.Itoa(ep.RESTPort)) + ep.PathPrefix
}

// call performs one request and returns the body of a 2xx answer. A non-2xx
// answer becomes a *core.FinesseError; a transport failure wraps a core
// sentinel (classifyTransport).
func (r *restClient) call(ctx context.Context, ep Endpoint, c creds, method, path string, body any, requestID string, xs ...*exchange) ([]byte, error) {
	return r.callWith(ctx, r.rc, r.timeout, ep, c, method, path, body, requestID, xs...)
}

// exchange adds request headers and reads back the answer's status and
// headers (the Range paging of phonebook.go).
type exchange struct {
	header map[string]string // sent
	status int               // received
	got    http.Header       // received
}

func (r *restClient) callWith(ctx context.Context, rc *resty.Client, timeout time.Duration, ep Endpoint, c creds,
	method, path string, body any, requestID string, xs ...*exchange) ([]byte, error) {
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var b []byte
	if body != nil {
		var err error
		if b, err = xml.Marshal(body); err != nil {
			return nil, fmt.Errorf("finesse: encode %s %s: %w", method, path, err)
		}
	}
	send := func() (*resty.Response, string, error) {
		req := rc.R().SetContext(rctx)
		used := c.authorize(req)
		if b != nil {
			req.SetHeader("Content-Type", "application/xml").SetBody(b)
		}
		if requestID != "" {
			req.SetHeaderVerbatim("requestId", requestID) // Finesse's spelling (reference §1.1)
		}
		for _, x := range xs {
			for k, v := range x.header {
				req.SetHeader(k, v)
			}
		}
		resp, err := req.Execute(method, r.baseURL(ep)+path)
		return resp, used, err
	}
	start := time.Now()
	resp, used, err := send()
	if err == nil && resp.StatusCode() == http.StatusUnauthorized && c.sso != nil && c.sso.refreshNow(used) {
		// The access token was refused before its time: one retry with
		// the refreshed one (Finesse did nothing with a 401 request).
		resp, _, err = send()
	}
	if err != nil {
		r.log.Debug("finesse rest failed", "method", method, "path", path, "request_id", requestID, "err", err)
		// The caller's ctx decides whether it was cancelled; rctx's own
		// deadline (RESTTimeout) is Finesse not answering in time.
		return nil, classifyTransport(ctx, method+" "+path, unwrapTimeout(rctx, err))
	}
	status := resp.StatusCode()
	for _, x := range xs {
		x.status, x.got = status, resp.Header()
	}
	r.unavail.note(ep, status)
	r.log.Debug("finesse rest", "method", method, "path", path, "status", status,
		"request_id", requestID, "elapsed", time.Since(start))
	if status >= 200 && status < 300 {
		return resp.Body(), nil
	}
	return nil, c.ssoRefused(fmt.Errorf("finesse: %s %s: %w", method, path, apiError(status, resp.Body())))
}

// unwrapTimeout reports our own RESTTimeout as a timeout, not as the
// caller's cancellation.
func unwrapTimeout(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("timed out: %w", err)
	}
	return err
}

// apiError decodes an ApiErrors body; a body that is not one still gives a
// FinesseError carrying the status.
func apiError(status int, body []byte) *core.FinesseError {
	var w wireAPIErrors
	if len(body) == 0 || decodeXML(body, "ApiErrors", &w) != nil || len(w.Errors) == 0 {
		return &core.FinesseError{Status: status, Type: http.StatusText(status)}
	}
	fe := finesseError(status, &w)
	if fe.Type == "" {
		fe.Type = http.StatusText(status)
	}
	return fe
}

// get GETs path and decodes it into v.
func (r *restClient) get(ctx context.Context, ep Endpoint, c creds, path, what string, v any) error {
	body, err := r.call(ctx, ep, c, http.MethodGet, path, nil, "")
	if err != nil {
		return err
	}
	if err := decodeXML(body, what, v); err != nil {
		return fmt.Errorf("finesse: GET %s: %w", path, err)
	}
	return nil
}

func userPath(id string) string { return "/finesse/api/User/" + url.PathEscape(id) }

// probeTimeout bounds a failover probe: a black-holed node must not hold
// up the move to the other side for the whole RESTTimeout.
const probeTimeout = 3 * time.Second

// systemInfo GETs SystemInfo once, without retries (a failover probe).
func (r *restClient) systemInfo(ctx context.Context, ep Endpoint, c creds) (*wireSystemInfo, error) {
	const path = "/finesse/api/SystemInfo"
	body, err := r.callWith(ctx, r.probe, min(r.timeout, probeTimeout), ep, c, http.MethodGet, path, nil, "")
	if err != nil {
		return nil, err
	}
	var w wireSystemInfo
	if err := decodeXML(body, "SystemInfo", &w); err != nil {
		return nil, fmt.Errorf("finesse: GET %s: %w", path, err)
	}
	return &w, nil
}

func (r *restClient) user(ctx context.Context, ep Endpoint, c creds) (*wireUser, error) {
	var w wireUser
	return &w, r.get(ctx, ep, c, userPath(c.user), "User", &w)
}

func (r *restClient) dialogs(ctx context.Context, ep Endpoint, c creds) ([]wireDialog, error) {
	var w wireDialogs
	err := r.get(ctx, ep, c, userPath(c.user)+"/Dialogs", "Dialogs", &w)
	return w.Dialogs, err
}

func (r *restClient) putUser(ctx context.Context, ep Endpoint, c creds, body userRequest, rid string) error {
	_, err := r.call(ctx, ep, c, http.MethodPut, userPath(c.user), body, rid)
	return err
}

func (r *restClient) postDialog(ctx context.Context, ep Endpoint, c creds, body dialogRequest, rid string) error {
	_, err := r.call(ctx, ep, c, http.MethodPost, userPath(c.user)+"/Dialogs", body, rid)
	return err
}

func (r *restClient) putDialog(ctx context.Context, ep Endpoint, c creds, id string, body dialogRequest, rid string) error {
	_, err := r.call(ctx, ep, c, http.MethodPut, "/finesse/api/Dialog/"+url.PathEscape(id), body, rid)
	return err
}

func (r *restClient) reasonCodes(ctx context.Context, ep Endpoint, c creds, cat core.ReasonCategory) (*wireReasonCodes, error) {
	var w wireReasonCodes
	path := userPath(c.user) + "/ReasonCodes?category=" + url.QueryEscape(string(cat))
	return &w, r.get(ctx, ep, c, path, "ReasonCodes", &w)
}

func (r *restClient) wrapUpReasons(ctx context.Context, ep Endpoint, c creds) (*wireWrapUpReasons, error) {
	var w wireWrapUpReasons
	return &w, r.get(ctx, ep, c, userPath(c.user)+"/WrapUpReasons", "WrapUpReasons", &w)
}

func (r *restClient) phoneBooks(ctx context.Context, ep Endpoint, c creds) (*wirePhoneBooks, error) {
	var w wirePhoneBooks
	return &w, r.get(ctx, ep, c, userPath(c.user)+"/PhoneBooks", "PhoneBooks", &w)
}

// restyLogger sends resty's own messages to slog at debug level with a fixed
// message. resty never logs credentials unless its debug mode is on, which
// we never turn on.
type restyLogger struct{ l *slog.Logger }

func (r restyLogger) Errorf(format string, v ...any) {
	r.l.Debug("resty error", "detail", fmt.Sprintf(format, v...))
}

func (r restyLogger) Warnf(format string, v ...any) {
	r.l.Debug("resty warning", "detail", fmt.Sprintf(format, v...))
}

func (r restyLogger) Debugf(format string, v ...any) {
	r.l.Debug("resty debug", "detail", fmt.Sprintf(format, v...))
}

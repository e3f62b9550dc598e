package localbridge

import (
	"context"
	"errors"
	"fmt"

	"github.com/agentlink/agentlink/core"
)

// Error codes of protocol v1. They are stable: toolbars branch on them.
const (
	CodeBadJSON                   = "bad_json"
	CodeBadRequest                = "bad_request"
	CodeUnknownCommand            = "unknown_command"
	CodeNotConnected              = "not_connected"
	CodeNotLoggedIn               = "not_logged_in"
	CodeAgentMismatch             = "agent_mismatch"
	CodeNoSuchDialog              = "no_such_dialog"
	CodeActionNotAllowed          = "action_not_allowed"
	CodeWrongCredentials          = "wrong_credentials"
	CodeAccountLocked             = "account_locked"
	CodeFinesseUnreachable        = "finesse_unreachable"
	CodeFinesseOutOfService       = "finesse_out_of_service"
	CodeUntrustedCertificate      = "untrusted_certificate"
	CodeTimeout                   = "timeout"
	CodeRateLimited               = "rate_limited"
	CodeFinesseError              = "finesse_error"
	CodeSecurePasswordUnavailable = "secure_password_unavailable"
	CodeInternal                  = "internal"
	CodeForbiddenScope            = "forbidden_scope"
)

// RequestError is a failed request as the client sees it: a stable code and
// a message for people.
type RequestError struct {
	Code    string
	Message string
	Finesse *core.FinesseError // set with CodeFinesseError and when Finesse explained a failure
	Err     error              // the underlying error, if any
}

func (e *RequestError) Error() string { return e.Code + ": " + e.Message }
func (e *RequestError) Unwrap() error { return e.Err }

// badRequest names the field that is missing or mistyped.
func badRequest(format string, args ...any) *RequestError {
	return &RequestError{Code: CodeBadRequest, Message: fmt.Sprintf(format, args...)}
}

// sentinelCodes maps core sentinels to codes. Order matters: the first match
// wins, and a FinesseError may match several (503 is also out of service).
var sentinelCodes = []struct {
	err  error
	code string
}{
	{core.ErrInvalidCommand, CodeBadRequest},
	{core.ErrNotLoggedIn, CodeNotLoggedIn},
	{core.ErrOtherAgent, CodeAgentMismatch},
	{core.ErrNoSuchDialog, CodeNoSuchDialog},
	{core.ErrActionNotAllowed, CodeActionNotAllowed},
	{core.ErrAccountLocked, CodeAccountLocked},
	{core.ErrWrongCredentials, CodeWrongCredentials},
	{core.ErrUntrustedCertificate, CodeUntrustedCertificate},
	{core.ErrOutOfService, CodeFinesseOutOfService},
	{core.ErrUnreachable, CodeFinesseUnreachable},
	{core.ErrCommandTimeout, CodeTimeout},
	{context.DeadlineExceeded, CodeTimeout},
}

// toRequestError maps any error from the session onto the protocol.
func toRequestError(err error) *RequestError {
	var re *RequestError
	if errors.As(err, &re) {
		return re
	}
	var fe *core.FinesseError
	hasFE := errors.As(err, &fe)
	for _, sc := range sentinelCodes {
		if errors.Is(err, sc.err) {
			out := &RequestError{Code: sc.code, Message: err.Error(), Err: err}
			if hasFE {
				out.Finesse = fe
			}
			return out
		}
	}
	if hasFE {
		return &RequestError{Code: CodeFinesseError, Message: err.Error(), Finesse: fe, Err: err}
	}
	// Details of an unexpected failure go to the log, not to the page.
	return &RequestError{Code: CodeInternal, Message: "internal error; see the AgentLink log", Err: err}
}

func (e *RequestError) wire() *wireError {
	w := &wireError{Code: e.Code, Message: e.Message, Finesse: toWireFinesseError(e.Finesse)}
	var ue *core.UnconfirmedError
	switch {
	case errors.Is(e.Err, core.ErrNotDelivered):
		w.Delivery = "not_delivered"
	case errors.As(e.Err, &ue):
		w.Delivery, w.RequestID = "unconfirmed", ue.RequestID
	}
	return w
}

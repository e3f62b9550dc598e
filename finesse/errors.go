package finesse

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"

	"github.com/agentlink/agentlink/core"
)

// ErrMalformed is wrapped by every error about a Finesse payload that could
// not be decoded.
var ErrMalformed = errors.New("finesse: malformed payload")

// errNoCredentials is returned by operations that need the agent's
// credentials before any arrived.
var errNoCredentials = fmt.Errorf("%w: no credentials yet (sign in first)", core.ErrNotLoggedIn)

// errNoServer is returned by operations that need Finesse before any side
// A was given (first run: the agent types it in the sign-in form).
var errNoServer = fmt.Errorf("%w: no Finesse server configured (enter side A)", core.ErrUnreachable)

// ConfigError says which Config field is wrong and why.
type ConfigError struct {
	Field   string
	Problem string
}

func (e *ConfigError) Error() string {
	return "finesse: config " + e.Field + ": " + e.Problem
}

// classifyTransport maps a transport failure onto the core sentinels. parent
// is the caller's context: its cancellation is reported as such, not as an
// unreachable server.
func classifyTransport(parent context.Context, what string, err error) error {
	if perr := parent.Err(); perr != nil {
		return fmt.Errorf("finesse: %s: %w", what, perr)
	}
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) {
		return fmt.Errorf("%w: %s: %v; set ca_file to the PEM file of the CA that signed the Finesse certificate (or the certificate itself)",
			core.ErrUntrustedCertificate, what, err)
	}
	var host x509.HostnameError
	if errors.As(err, &host) {
		return fmt.Errorf("%w: %s: %v; configure the host name the certificate lists",
			core.ErrUntrustedCertificate, what, err)
	}
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) {
		return fmt.Errorf("%w: %s: %v", core.ErrUntrustedCertificate, what, err)
	}
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() {
		return fmt.Errorf("%w: %s: timed out: %v", core.ErrUnreachable, what, err)
	}
	return fmt.Errorf("%w: %s: %v", core.ErrUnreachable, what, err)
}

// isAuthFailure reports whether err means the credentials were refused, as
// opposed to a transient failure worth retrying.
func isAuthFailure(err error) bool {
	return errors.Is(err, core.ErrWrongCredentials) || errors.Is(err, core.ErrAccountLocked) ||
		errors.Is(err, core.ErrSSORequired) || errors.Is(err, core.ErrSignInExpired)
}

// errCredsReplaced is returned to a Login whose credentials were replaced
// by another Login before the connection was up.
var errCredsReplaced = errors.New("finesse: credentials replaced by a newer sign-in")

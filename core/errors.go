package core

import (
	"errors"
	"fmt"
)

// Errors callers branch on. Transport errors from a port wrap one of these.
var (
	ErrNotLoggedIn          = errors.New("agent is not logged in")
	ErrNoSuchDialog         = errors.New("no such dialog")
	ErrActionNotAllowed     = errors.New("finesse does not allow that action now")
	ErrCommandTimeout       = errors.New("finesse accepted the request but did not confirm it in time")
	ErrWrongCredentials     = errors.New("wrong agent id or password")
	ErrAccountLocked        = errors.New("account locked after too many wrong passwords")
	ErrUnreachable          = errors.New("finesse is unreachable")
	ErrUntrustedCertificate = errors.New("finesse certificate is not trusted")
	ErrOutOfService         = errors.New("finesse is out of service")
	ErrSlowWatcher          = errors.New("watcher fell behind and was cut off")
	ErrSnapshotRequired     = errors.New("events since that sequence number are gone; take a fresh snapshot")
	ErrInvalidCommand       = errors.New("invalid command")
	// ErrOtherAgent refuses a Login as another agent while one is signed
	// in: it would silently replace the live session.
	ErrOtherAgent = errors.New("another agent is signed in here; log out first")
	// ErrSSORequired says the refused sign-in was a password on a Finesse
	// whose systemAuthMode is SSO (or HYBRID, for an SSO account): the
	// agent must use single sign-on instead.
	ErrSSORequired = errors.New("this Finesse signs agents in with single sign-on (SSO): use Sign in with SSO")
	// ErrSignInExpired says the single sign-on session can no longer be
	// refreshed (refresh token revoked or expired): sign in again.
	ErrSignInExpired = errors.New("the single sign-on session expired or was revoked: sign in again")
)

// FinesseError is an error Finesse reported, synchronously as an ApiErrors
// body or asynchronously as an apiErrors notification.
type FinesseError struct {
	Status    int    // HTTP status; 0 for an asynchronous error
	Type      string // ErrorType, e.g. "Invalid State", "Generic Error"
	Message   string // ErrorMessage
	Data      string // ErrorData (a field name or CTI error code)
	RequestID string // the request it answers, when known
	DialogID  string // the dialog it concerns, when known
}

func (e *FinesseError) Error() string {
	s := "finesse: " + e.Type
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Data != "" {
		s += " (" + e.Data + ")"
	}
	if e.Status != 0 {
		s = fmt.Sprintf("%s [HTTP %d]", s, e.Status)
	}
	return s
}

// Is maps Finesse's answers onto the sentinels callers branch on.
func (e *FinesseError) Is(target error) bool {
	switch target {
	case ErrWrongCredentials:
		return e.Status == 401 && e.Message != "ACCOUNT_LOCKED"
	case ErrAccountLocked:
		return e.Status == 401 && e.Message == "ACCOUNT_LOCKED"
	case ErrOutOfService:
		return e.Status == 503
	case ErrNoSuchDialog:
		return e.Status == 404 && e.Type == "Dialog Not Found"
	}
	return false
}

// AsyncError is an asynchronous Finesse error as watchers see it.
type AsyncError = FinesseError

package finessesim

import (
	"crypto/subtle"
	"errors"
)

// Authentication failures. REST maps them to 401 bodies; XMPP to SASL
// not-authorized.
var (
	errBadCredentials = errors.New("finessesim: wrong user or password")
	errLocked         = errors.New("finessesim: account locked")
)

// checkPassword verifies an agent's credentials with the reference's
// lock-out rule (§1.2): LockoutAfter consecutive wrong passwords lock the
// account for LockoutFor, during which even the right password fails. REST
// and XMPP share the counter.
func (s *Sim) checkPassword(user, pass string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.agents[user]
	if a == nil {
		return errBadCredentials
	}
	now := s.now()
	if now.Before(a.lockedUntil) {
		return errLocked
	}
	if subtle.ConstantTimeCompare([]byte(pass), []byte(a.cfg.Password)) != 1 {
		a.failures++
		if a.failures >= s.cfg.LockoutAfter {
			a.failures = 0
			a.lockedUntil = now.Add(s.cfg.LockoutFor)
			s.log.Info("account locked", "agent", user)
		}
		return errBadCredentials
	}
	a.failures = 0
	return nil
}

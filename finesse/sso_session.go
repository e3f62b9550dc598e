package finesse

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/agentlink/agentlink/core"
	"golang.org/x/oauth2"
)

// ssoSession holds one agent's SSO tokens and refreshes the access token
// at 75 % of its lifetime. The link's credentials point at it and never
// change on a refresh, so a refresh neither restarts XMPP nor signs anyone
// in again: REST reads the current access token per request, and only a
// later XMPP reconnect uses the new one.
type ssoSession struct {
	agent  string
	conf   *oauth2.Config
	client *http.Client
	hooks  SSOConfig
	log    *slog.Logger

	rmu sync.Mutex // one refresh at a time: IdS may rotate the refresh token

	mu       sync.Mutex
	tok      *oauth2.Token
	obtained time.Time // when tok arrived: the 75 % rule counts from here
	dead     error     // set once the session cannot be refreshed any more
	// authRetries counts connects refused with a token (sso_mode.go).
	authRetries int
	refreshC    chan struct{}

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// SetSSOToken gives the link an SSO session for agentID, from a browser
// sign-in or from tokens kept in the keychain; like SetCredentials it
// makes Run connect, and a Login without a password then signs the agent
// in. Refreshing starts at once (an old access token from the keychain may
// be near its end).
func (l *Link) SetSSOToken(agentID string, tok *oauth2.Token) {
	s := &ssoSession{
		agent: agentID, conf: l.cfg.SSO.oauth(""), client: ssoHTTPClient(l.tls),
		hooks: l.cfg.SSO, log: l.cfg.Logger,
		tok: tok, obtained: time.Now(), refreshC: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	if tok.ExpiresIn == 0 {
		// From the keychain: when it was issued is unknown, so refresh at
		// once rather than guess where 75 % of its lifetime lies.
		s.refreshC <- struct{}{}
	}
	go s.run()
	l.setCreds(creds{user: agentID, sso: s})
}

// access returns the current access token.
func (s *ssoSession) access() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok.AccessToken
}

// close stops the refresher without waiting for it (callers hold the
// link's lock, which a hook it is running may want); safe to call more
// than once.
func (s *ssoSession) close() {
	s.once.Do(func() { close(s.stop) })
}

// refreshAt is when 75 % of the access token's lifetime has passed; zero
// when the token has no expiry.
func (s *ssoSession) refreshAt() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok.Expiry.IsZero() {
		return time.Time{}
	}
	life := s.tok.Expiry.Sub(s.obtained)
	return s.obtained.Add(life * 3 / 4)
}

// run refreshes at 75 % of each token's lifetime until the session ends or
// IdS refuses the refresh token. A refresh IdS cannot answer (unreachable)
// is retried every few seconds: the old token works until it expires.
func (s *ssoSession) run() {
	defer close(s.done)
	retry := time.Duration(0)
	for {
		var wait <-chan time.Time
		var t *time.Timer
		if at := s.refreshAt(); !at.IsZero() || retry > 0 {
			d := time.Until(at)
			if retry > 0 {
				d = retry
			}
			t = time.NewTimer(max(d, 0))
			wait = t.C
		}
		select {
		case <-s.stop:
		case <-wait:
		case <-s.refreshC:
		}
		if t != nil {
			t.Stop()
		}
		select {
		case <-s.stop:
			return
		default:
		}
		err := s.refreshFrom(s.access())
		switch {
		case err == nil:
			retry = 0
			s.mu.Lock()
			s.authRetries = 0 // time went by normally: refused connects may retry again
			s.mu.Unlock()
		case s.isDead():
			return
		default:
			retry = min(max(retry*2, time.Second), 30*time.Second)
			s.log.Warn("sso token refresh failed; retrying", "agent", s.agent, "err", err, "retry_in", retry)
		}
	}
}

// refreshFrom gets a new token pair with the refresh token, unless the
// access token is no longer stale (another caller refreshed meanwhile). A
// refusal (revoked or expired refresh token) ends the session and tells
// the agent.
func (s *ssoSession) refreshFrom(stale string) error {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	s.mu.Lock()
	rt, cur, dead := s.tok.RefreshToken, s.tok.AccessToken, s.dead
	s.mu.Unlock()
	if dead != nil {
		return dead
	}
	if cur != stale {
		return nil
	}
	if rt == "" {
		return s.kill(errors.New("IdS gave no refresh token"))
	}
	ctx, cancel := context.WithTimeout(context.WithValue(context.Background(), oauth2.HTTPClient, s.client), 20*time.Second)
	defer cancel()
	tok, err := s.conf.TokenSource(ctx, &oauth2.Token{RefreshToken: rt}).Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && (re.ErrorCode != "" || (re.Response != nil && re.Response.StatusCode < 500)) {
			return s.kill(fmt.Errorf("IdS refused the refresh token (%s)", oauthReason(err)))
		}
		return fmt.Errorf("sso refresh: %s", oauthReason(err))
	}
	s.mu.Lock()
	s.tok, s.obtained = tok, time.Now()
	s.mu.Unlock()
	s.log.Info("sso access token refreshed", "agent", s.agent, "expires", tok.Expiry.Format(time.RFC3339))
	if s.hooks.OnTokens != nil {
		s.hooks.OnTokens(s.agent, tok)
	}
	return nil
}

// kill marks the session dead and asks the agent to sign in again, once.
func (s *ssoSession) kill(why error) error {
	err := fmt.Errorf("%w: %v", core.ErrSignInExpired, why)
	s.mu.Lock()
	first := s.dead == nil
	if first {
		s.dead = err
	}
	s.mu.Unlock()
	if first {
		s.log.Warn("sso session ended: the agent must sign in again", "agent", s.agent, "err", why)
		if s.hooks.OnSignInNeeded != nil {
			s.hooks.OnSignInNeeded(s.agent, err)
		}
	}
	return err
}

func (s *ssoSession) isDead() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dead != nil
}

// refreshNow refreshes at once because Finesse refused the access token
// stale before its time (expired early or revoked), and reports whether
// there is a newer one to retry with.
func (s *ssoSession) refreshNow(stale string) bool {
	return s.refreshFrom(stale) == nil && s.access() != stale
}

// deadErr is why the session ended, or nil.
func (s *ssoSession) deadErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dead
}

package core

import (
	"context"
	"fmt"
	"slices"
)

// listCache keeps the reason code and wrap-up lists for the current login:
// toolbars ask for them on every connect and they rarely change. Its owner
// guards it.
type listCache struct {
	gen      uint64 // bumped by invalidate, so a fetch begun before it is not stored
	reasons  map[ReasonCategory][]ReasonCode
	wrapUps  []WrapUpReason
	haveWrap bool
}

func (c *listCache) invalidate() {
	c.gen++
	c.reasons = nil
	c.wrapUps, c.haveWrap = nil, false
}

// ReasonCodes returns the Not Ready or Logout reason codes, from the cache
// when this login already fetched them.
func (s *Session) ReasonCodes(ctx context.Context, c ReasonCategory) ([]ReasonCode, error) {
	if c != CategoryNotReady && c != CategoryLogout {
		return nil, fmt.Errorf("%w: reason category %q; use NOT_READY or LOGOUT", ErrInvalidCommand, c)
	}
	s.mu.Lock()
	cached, ok := s.lists.reasons[c]
	gen := s.lists.gen
	s.mu.Unlock()
	if ok {
		return slices.Clone(cached), nil
	}
	codes, err := s.port.ReasonCodes(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("reason codes: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lists.gen == gen && s.agent.LoggedIn() {
		if s.lists.reasons == nil {
			s.lists.reasons = make(map[ReasonCategory][]ReasonCode)
		}
		s.lists.reasons[c] = slices.Clone(codes)
	}
	return codes, nil
}

// WrapUpReasons returns the wrap-up reasons, from the cache when this login
// already fetched them.
func (s *Session) WrapUpReasons(ctx context.Context) ([]WrapUpReason, error) {
	s.mu.Lock()
	cached, ok := s.lists.wrapUps, s.lists.haveWrap
	gen := s.lists.gen
	s.mu.Unlock()
	if ok {
		return slices.Clone(cached), nil
	}
	reasons, err := s.port.WrapUpReasons(ctx)
	if err != nil {
		return nil, fmt.Errorf("wrap-up reasons: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lists.gen == gen && s.agent.LoggedIn() {
		s.lists.wrapUps, s.lists.haveWrap = slices.Clone(reasons), true
	}
	return reasons, nil
}

// PhoneBook returns the agent's phone-book contacts. It is not cached:
// contacts are edited more often than reason codes and asked for less.
func (s *Session) PhoneBook(ctx context.Context) ([]Contact, error) {
	contacts, err := s.port.PhoneBook(ctx)
	if err != nil {
		return nil, fmt.Errorf("phone book: %w", err)
	}
	return contacts, nil
}

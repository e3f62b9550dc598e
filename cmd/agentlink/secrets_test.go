package main

import (
	"sync"
	"testing"

	"github.com/zalando/go-keyring"
)

// memSecrets is an in-memory secretStore for tests; with err set, every
// call fails with it (a machine without a Secret Service).
type memSecrets struct {
	mu  sync.Mutex
	m   map[[2]string]string
	err error
}

func (s *memSecrets) Get(service, user string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return "", s.err
	}
	v, ok := s.m[[2]string{service, user}]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (s *memSecrets) Set(service, user, secret string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.m[[2]string{service, user}] = secret
	return nil
}

func (s *memSecrets) Delete(service, user string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	if _, ok := s.m[[2]string{service, user}]; !ok {
		return keyring.ErrNotFound
	}
	delete(s.m, [2]string{service, user})
	return nil
}

// useMemKeychain makes newKeychain use an in-memory store (failing with
// err when err is non-nil) until the test ends. Tests that call it must
// not be parallel: the store is package state.
func useMemKeychain(t *testing.T, err error) *memSecrets {
	t.Helper()
	s := &memSecrets{m: map[[2]string]string{}, err: err}
	old := defaultSecretStore
	defaultSecretStore = s
	t.Cleanup(func() { defaultSecretStore = old })
	return s
}

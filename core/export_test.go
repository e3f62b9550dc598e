package core

// PendingCount reports how many commands wait for an outcome, so tests can
// check that none leaks.
func (s *Session) PendingCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// WatcherCount reports how many watchers are registered.
func (s *Session) WatcherCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.watchers)
}

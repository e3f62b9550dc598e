package core

import (
	"errors"
	"strings"
)

// isInvalidState reports Finesse's 400 "Invalid State" refusal of a request
// the agent's current state does not allow.
func isInvalidState(err error) bool {
	var fe *FinesseError
	return errors.As(err, &fe) && fe.Status == 400 && strings.EqualFold(strings.TrimSpace(fe.Type), "Invalid State")
}

// agentState returns the agent's current state.
func (s *Session) agentState() AgentState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.agent.State
}

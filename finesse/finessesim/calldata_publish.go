package finessesim

import "fmt"

// SetCallVariables changes call variables of a live dialog from inside the
// process and publishes the Dialog PUT to every agent on it, exactly as an
// UPDATE_CALL_DATA request would, but without the REST round trip. It
// exists for load generators (cmd/agentlink-bench): a REST writer can only
// change call data as fast as the HTTPS stack answers, which made the
// simulator, not the client, the limit of a whole-chain rate. The variables
// are taken as given (no length or name checks: that is the REST path's job).
func (s *Sim) SetCallVariables(dialogID string, vars ...Var) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.dialogs[dialogID]
	if d == nil {
		return fmt.Errorf("%w: %q", ErrUnknownDialog, dialogID)
	}
	for _, v := range vars {
		set := false
		for i := range d.vars {
			if d.vars[i].Name == v.Name {
				d.vars[i].Value, set = v.Value, true
				break
			}
		}
		if !set {
			d.vars = append(d.vars, v)
		}
	}
	st := s.newStep("", false)
	st.dialogToAll(d)
	s.flushLocked(st)
	return nil
}

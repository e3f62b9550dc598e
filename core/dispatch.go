package core

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// pending is a command waiting for its outcome. It is created and removed
// under the session lock; done has room for the one outcome.
type pending struct {
	id       string
	kind     CommandKind
	dialogID string     // the resolved dialog, for dialog commands
	reason   string     // the requested reason code id, for NotReady
	done     chan error // buffered(1): nil on success, or the Finesse error
}

// Execute validates cmd, sends it through the port and waits for its real
// outcome (see the package doc). It returns an ErrInvalidCommand error for a
// malformed command, ErrNotLoggedIn, ErrNoSuchDialog or ErrActionNotAllowed
// when the command cannot apply now, the port's or Finesse's error (a
// *FinesseError) when it fails, ErrCommandTimeout when no outcome arrives
// within Config.CommandTimeout, and ctx.Err() when ctx ends first.
//
// cmd.RequestID is ignored: the session assigns a fresh one.
//
// A Logout that Finesse refuses with "Invalid State" while the agent is not
// Not Ready (UCCE signs out only from Not Ready) is retried after a
// NotReady without a reason, the step the Finesse desktop has agents take
// by hand.
func (s *Session) Execute(ctx context.Context, cmd Command) error {
	err := s.execute(ctx, cmd)
	if cmd.Kind != CmdLogout || !isInvalidState(err) || s.agentState() == StateNotReady {
		return err
	}
	if err := s.execute(ctx, Command{Kind: CmdNotReady}); err != nil {
		return fmt.Errorf("%s: going Not Ready first, as Finesse requires: %w", CmdLogout, err)
	}
	return s.execute(ctx, cmd)
}

func (s *Session) execute(ctx context.Context, cmd Command) error {
	if err := validateCommand(cmd); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p, cmd, err := s.register(cmd)
	if err == errDoneLocally {
		return nil
	}
	if err != nil {
		return err
	}
	defer s.unregister(p)
	err = s.send(ctx, p, cmd)
	if err == nil {
		s.noteDialled(cmd) // directory.go
	}
	s.log.Debug("command done", "kind", cmd.Kind, "request", cmd.RequestID, "dialog", cmd.DialogID, "err", err)
	return err
}

func (s *Session) send(ctx context.Context, p *pending, cmd Command) error {
	sent := s.now()
	if err := s.port.Send(ctx, cmd); err != nil {
		if mayHaveArrived(err) {
			return s.trackUnconfirmed(p, sent, err)
		}
		return fmt.Errorf("%s: %w", cmd.Kind, err)
	}
	if cmd.Kind == CmdLogin && s.loggedInAs(cmd.Extension) {
		// Signing in again is idempotent in Finesse and may change
		// nothing, so no notification would confirm it.
		return nil
	}
	if quietCommand(cmd.Kind) {
		return s.awaitQuiet(ctx, p)
	}
	err := s.await(ctx, p)
	if errors.Is(err, ErrCommandTimeout) {
		return s.trackUnconfirmed(p, sent, ErrCommandTimeout)
	}
	return err
}

// mayHaveArrived reports whether a failed send may have reached Finesse:
// a transport failure the port did not mark as not delivered. Finesse's
// own answers (an HTTP error status) and the caller's cancellation are
// definite.
func mayHaveArrived(err error) bool {
	return errors.Is(err, ErrUnreachable) && !errors.Is(err, ErrNotDelivered)
}

// errDoneLocally tells execute that register completed the command itself.
var errDoneLocally = errors.New("core: done without Finesse")

// awaitQuiet waits for a command whose success Finesse does not notify:
// an asynchronous error (or a confirming update) within the quiet window
// decides; silence means Finesse did it.
func (s *Session) awaitQuiet(ctx context.Context, p *pending) error {
	return s.awaitWithin(ctx, p, s.quiet, nil)
}

// register checks cmd against the model, resolves its dialog and records it
// as pending before it is sent, so that no outcome can arrive unseen.
func (s *Session) register(cmd Command) (*pending, Command, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cmd.Kind != CmdLogin && !s.agent.LoggedIn() {
		return nil, cmd, fmt.Errorf("%s: %w", cmd.Kind, ErrNotLoggedIn)
	}
	if cmd.Kind == CmdLogin && s.agent.LoggedIn() && s.agent.ID != "" && strings.TrimSpace(cmd.AgentID) != s.agent.ID {
		return nil, cmd, fmt.Errorf("%s: %w (agent %s)", cmd.Kind, ErrOtherAgent, s.agent.ID)
	}
	if _, ok := dialogActions[cmd.Kind]; ok {
		id, err := s.resolveDialogLocked(cmd)
		if cmd.Kind == CmdWrapUp && errors.Is(err, ErrNoSuchDialog) {
			if done, _ := s.wrapUpEndedLocked(cmd); done {
				return nil, cmd, errDoneLocally
			}
			if len(s.dialogs) == 0 {
				err = errWrapUpNoCall(cmd)
			}
		}
		if err != nil {
			return nil, cmd, err
		}
		cmd.DialogID = id
	}
	if cmd.Kind == CmdLogin {
		s.loginExt = cmd.Extension
		s.lists.invalidate()
	}
	cmd.RequestID = newRequestID()
	p := &pending{id: cmd.RequestID, kind: cmd.Kind, dialogID: cmd.DialogID,
		reason: cmd.ReasonCodeID, done: make(chan error, 1)}
	s.pending[p.id] = p
	return p, cmd, nil
}

func (s *Session) unregister(p *pending) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending[p.id] == p {
		delete(s.pending, p.id)
	}
}

func (s *Session) loggedInAs(ext string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.agent.LoggedIn() && s.agent.Extension == ext
}

func (s *Session) await(ctx context.Context, p *pending) error {
	return s.awaitWithin(ctx, p, s.timeout, ErrCommandTimeout)
}

// awaitWithin waits up to d for the command's outcome. When d passes with
// no outcome it returns silence wrapped with the command's kind, or nil
// when silence is nil (silence means success).
func (s *Session) awaitWithin(ctx context.Context, p *pending, d time.Duration, silence error) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case err := <-p.done:
		if err != nil {
			return fmt.Errorf("%s: %w", p.kind, err)
		}
		return nil
	case <-t.C:
		if silence == nil {
			return nil
		}
		return fmt.Errorf("%s: %w", p.kind, silence)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// settleLocked resolves the pending commands whose outcome the update
// carries: by request id when Finesse echoed it, otherwise by the state the
// command asked for, because real Finesse does not always echo it
// (reference §6.4).
func (s *Session) settleLocked(requestID string, c *change) {
	for id, p := range s.pending {
		if fe := c.asyncError; fe != nil {
			// An error without a request id about the dialog a command
			// is waiting on is most likely that command's answer.
			if fe.RequestID == id || (fe.RequestID == "" && p.dialogID != "" && fe.DialogID == p.dialogID) {
				err := *fe
				s.finishLocked(p, &err)
			}
			continue
		}
		if requestID == id {
			s.finishLocked(p, nil)
			continue
		}
		// An update another request caused shows states, but it is no
		// evidence that this command's own change happened.
		foreign := requestID != ""
		if (!foreign || stateConfirmed[p.kind]) && s.observedLocked(p, c) {
			s.finishLocked(p, nil)
			continue
		}
		if needsDialog[p.kind] && slices.Contains(c.removed, p.dialogID) {
			s.finishLocked(p, fmt.Errorf("%w: %s ended before Finesse confirmed", ErrNoSuchDialog, p.dialogID))
		}
	}
}

// needsDialog lists the commands that cannot have worked if their dialog
// ended before they were confirmed (a caller hanging up on Answer, say).
var needsDialog = map[CommandKind]bool{
	CmdAnswer: true, CmdHold: true, CmdRetrieve: true, CmdConsult: true, CmdSendDTMF: true,
}

// stateConfirmed lists the commands confirmed by reaching a state, whoever
// caused it; the others need a change nobody else claimed.
var stateConfirmed = map[CommandKind]bool{
	CmdLogin: true, CmdLogout: true, CmdReady: true, CmdNotReady: true,
	CmdAnswer: true, CmdHold: true, CmdRetrieve: true, CmdRelease: true,
}

func (s *Session) finishLocked(p *pending, err error) {
	p.done <- err // never blocks: p leaves the map here, so this is its only outcome
	delete(s.pending, p.id)
}

// observedLocked reports whether change c shows the state p asked for.
func (s *Session) observedLocked(p *pending, c *change) bool {
	switch p.kind {
	case CmdLogin, CmdLogout, CmdReady, CmdNotReady:
		return c.agentSeen && s.agentReachedLocked(p)
	}
	return s.dialogReachedLocked(p, c)
}

func (s *Session) agentReachedLocked(p *pending) bool {
	a := s.agent
	switch p.kind {
	case CmdLogin:
		return a.LoggedIn()
	case CmdLogout:
		return a.State == StateLogout || a.PendingState == StateLogout
	case CmdReady:
		return a.State == StateReady || a.PendingState == StateReady
	}
	return s.notReadyLocked(p.reason)
}

func (s *Session) dialogReachedLocked(p *pending, c *change) bool {
	removed := slices.Contains(c.removed, p.dialogID)
	switch p.kind {
	case CmdMakeCall:
		return s.outboundSeenLocked(c)
	case CmdConsult:
		return s.consultSeenLocked(p.dialogID, c)
	case CmdAnswer, CmdRetrieve:
		return s.agentPartIsLocked(p.dialogID, c, PartActive)
	case CmdHold:
		return s.agentPartIsLocked(p.dialogID, c, PartHeld)
	case CmdRelease:
		return removed || s.agentPartIsLocked(p.dialogID, c, PartDropped)
	case CmdTransfer, CmdConference:
		return removed || slices.Contains(c.changed, p.dialogID)
	case CmdSingleStepTransfer:
		return removed || slices.Contains(c.touched, p.dialogID)
	}
	return slices.Contains(c.touched, p.dialogID)
}

// notReadyLocked reports whether the agent is (or will be) NOT_READY with
// the requested reason. A NOT_READY agent may ask for another reason code,
// so an update still showing the old code confirms nothing.
func (s *Session) notReadyLocked(reason string) bool {
	a := s.agent
	switch {
	case a.PendingState == StateNotReady || a.State == StateWork:
		return true
	case a.State != StateNotReady:
		return false
	}
	return reason == "" || a.ReasonCodeID == "" || a.ReasonCodeID == reason
}

// outboundSeenLocked reports whether c adds a dialog the agent is placing:
// an incoming call ringing meanwhile does not confirm a MakeCall.
func (s *Session) outboundSeenLocked(c *change) bool {
	for _, id := range c.added {
		if e, _ := s.findLocked(id); e != nil && e.d.AgentState != PartAlerting {
			return true
		}
	}
	return false
}

func (s *Session) agentPartIsLocked(id string, c *change, st ParticipantState) bool {
	if !slices.Contains(c.touched, id) {
		return false
	}
	e, _ := s.findLocked(id)
	return e != nil && e.d.AgentState == st
}

// consultSeenLocked reports whether c shows a consult dialog associated
// with dialog id, whichever side Finesse links first.
func (s *Session) consultSeenLocked(id string, c *change) bool {
	for _, x := range slices.Concat(c.added, c.changed) {
		e, _ := s.findLocked(x)
		if e == nil {
			continue
		}
		if x != id && e.d.AssociatedID == id {
			return true
		}
		if x == id && e.d.AssociatedID != "" && e.d.AssociatedID != id {
			return true
		}
	}
	return false
}

// newRequestID returns a fresh random request id, sent to Finesse as the
// requestId header.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (it aborts the program instead)
	return hex.EncodeToString(b[:])
}

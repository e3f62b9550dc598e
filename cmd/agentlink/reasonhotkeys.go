package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/agentlink/agentlink/cmd/agentlink-hotkeys/keyspec"
	"github.com/agentlink/agentlink/core"
)

// Not Ready with a reason by global hotkey (ui.hotkey_not_ready_reasons):
// each configured combination names a Not Ready reason by its label or
// code. The reason is looked up in the agent's reason codes when the key
// is pressed (they may change during the day) and checked once per
// sign-in, so that a reason that does not exist is shown before the
// agent needs it.

// findReason is the Not Ready reason want names: its label (any case),
// else its code.
func findReason(codes []core.ReasonCode, want string) (core.ReasonCode, bool) {
	want = strings.TrimSpace(want)
	for _, rc := range codes {
		if strings.EqualFold(strings.TrimSpace(rc.Label), want) {
			return rc, true
		}
	}
	for _, rc := range codes {
		if strings.TrimSpace(rc.Code) == want && want != "" {
			return rc, true
		}
	}
	return core.ReasonCode{}, false
}

// unknownReason says, in the agent's words, that a configured reason is
// not one of the agent's, and lists the ones there are.
func unknownReason(h ReasonHotkey, codes []core.ReasonCode) error {
	var have []string
	for _, rc := range codes {
		have = append(have, rc.Label)
	}
	list := "the agent has no Not Ready reasons"
	if len(have) > 0 {
		list = "the reasons are: " + strings.Join(have, ", ")
	}
	return fmt.Errorf("the global hotkey %s asks for the Not Ready reason %q, which does not exist (%s); "+
		"fix ui.hotkey_not_ready_reasons in config.toml", keyWords(h.Keys), h.Reason, list)
}

// notReadyWithReason does one reason hotkey: Not Ready with that reason,
// from Ready, wrap-up, or Not Ready with another reason.
func notReadyWithReason(ctx context.Context, s *core.Session, h ReasonHotkey) error {
	agent := s.Snapshot().Agent
	switch agent.State {
	case core.StateReady, core.StateNotReady, core.StateWork, core.StateWorkReady:
	default:
		return fmt.Errorf("the agent is %s: Not Ready is offered from Ready, Not Ready and wrap-up only", agentWords(agent.State))
	}
	codes, err := s.ReasonCodes(ctx, core.CategoryNotReady)
	if err != nil {
		return fmt.Errorf("the Not Ready reasons could not be fetched: %w", err)
	}
	rc, ok := findReason(codes, h.Reason)
	if !ok {
		return unknownReason(h, codes)
	}
	if agent.State == core.StateNotReady && agent.ReasonCodeID == rc.ID {
		return nil // already there
	}
	return s.Execute(ctx, core.Command{Kind: core.CmdNotReady, ReasonCodeID: rc.ID})
}

// checkReasonHotkeys returns a problem for each configured reason that
// is not among the agent's Not Ready reasons.
func checkReasonHotkeys(ctx context.Context, s *core.Session, hs []ReasonHotkey) ([]string, error) {
	codes, err := s.ReasonCodes(ctx, core.CategoryNotReady)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, h := range hs {
		if h.Keys == "" {
			continue // off (shared its combination): already reported
		}
		if _, ok := findReason(codes, h.Reason); !ok {
			out = append(out, unknownReason(h, codes).Error())
		}
	}
	return out, nil
}

// watchReasonHotkeys checks the reason hotkeys each time an agent signs
// in, and reports each problem (log and notice, for the softphone) until
// ctx ends.
func watchReasonHotkeys(ctx context.Context, s *core.Session, hs []ReasonHotkey, log *slog.Logger, notice func(string)) {
	if len(hs) == 0 {
		return
	}
	w := s.Watch(core.WatchOptions{Buffer: 256})
	defer func() { w.Close() }()
	signedIn := false
	check := func(a core.Agent) {
		if a.LoggedIn() == signedIn {
			return
		}
		if signedIn = a.LoggedIn(); !signedIn {
			return
		}
		cctx, cancel := context.WithTimeout(ctx, hotkeyRequestTimeout)
		defer cancel()
		problems, err := checkReasonHotkeys(cctx, s, hs)
		if err != nil {
			log.Warn("global hotkeys: the Not Ready reasons could not be fetched to check ui.hotkey_not_ready_reasons", "err", err)
			return
		}
		for _, p := range problems {
			log.Warn("global hotkeys: "+p, "key", "ui.hotkey_not_ready_reasons")
			notice(upperFirst(p) + ".")
		}
	}
	check(w.Snapshot().Agent)
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.Events():
			if !ok { // the watcher fell behind: start again from now
				w = s.Watch(core.WatchOptions{Buffer: 256})
				check(w.Snapshot().Agent)
				continue
			}
			if ev.Agent != nil {
				check(*ev.Agent)
			}
		}
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// reasonVerbHotkey is the reason hotkey behind verb, for hotkeyTarget.
func reasonVerbHotkey(hs []ReasonHotkey, verb string) (ReasonHotkey, bool, error) {
	n, ok := keyspec.ReasonIndex(verb)
	if !ok {
		return ReasonHotkey{}, false, nil
	}
	if n > len(hs) || hs[n-1].Keys == "" {
		return ReasonHotkey{}, true, fmt.Errorf("no Not Ready reason hotkey %d is configured", n)
	}
	return hs[n-1], true, nil
}

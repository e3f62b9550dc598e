package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/agentlink/agentlink/cmd/agentlink-hotkeys/keyspec"
	"github.com/agentlink/agentlink/core"
)

// Global hotkeys (ui.global_hotkeys): answer, hold/retrieve, end, Ready
// and Not Ready while another program (the CRM's browser) has the focus.
// The keys are grabbed by a separate program, agentlink-hotkeys, which
// sends each press over the single-instance channel (instance.go): the
// grab needs an X11 display (or Windows), and agentlink itself must run
// without one (headless, doctor, SSH, Wayland). hotkeys_helper.go starts
// and stops it; this file holds the settings and what each verb does.

// defaultHotkeys are the combinations used when ui.global_hotkeys is on
// and a verb's key is not set.
func defaultHotkeys() map[string]string {
	return map[string]string{
		"answer": "ctrl+alt+a", "hold": "ctrl+alt+h", "end": "ctrl+alt+e",
		"ready": "ctrl+alt+r", "notready": "ctrl+alt+n",
	}
}

// hotkeyKey is the config key of a verb's combination.
func hotkeyKey(verb string) string {
	if verb == "notready" {
		return "ui.hotkey_not_ready"
	}
	return "ui.hotkey_" + verb
}

// hotkeySetting is the config key of one verb's combination: "" turns
// that hotkey off, anything else must parse (keyspec.Parse).
func hotkeySetting(verb string) setting {
	return setting{key: hotkeyKey(verb), set: setString(func(c *Config, v string) error {
		if strings.TrimSpace(v) == "" {
			c.UI.Hotkeys[verb] = ""
			return nil
		}
		spec, err := keyspec.Parse(v)
		if err != nil {
			return err
		}
		c.UI.Hotkeys[verb] = spec.String()
		return nil
	})}
}

// checkHotkeys refuses two verbs on one combination, which would do
// either at random.
func (c Config) checkHotkeys() error {
	byCombo := map[string][]string{}
	for _, verb := range keyspec.Verbs {
		if k := c.UI.Hotkeys[verb]; k != "" {
			byCombo[k] = append(byCombo[k], hotkeyKey(verb))
		}
	}
	var errs []error
	for combo, keys := range byCombo {
		if len(keys) > 1 {
			errs = append(errs, fmt.Errorf("%s are all %q: give each hotkey its own combination", strings.Join(keys, " and "), combo))
		}
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errors.Join(errs...)
}

// hotkeyBindings are the helper's VERB=KEYS arguments, in verb order.
func (c Config) hotkeyBindings() []string {
	var out []string
	for _, verb := range keyspec.Verbs {
		if k := c.UI.Hotkeys[verb]; k != "" {
			out = append(out, verb+"="+k)
		}
	}
	return out
}

// hotkeyTarget runs hotkey verbs on the session once the app has one.
type hotkeyTarget struct {
	sess atomic.Pointer[core.Session]
}

// do runs one verb (instanceHandler.hotkey).
func (t *hotkeyTarget) do(ctx context.Context, verb string) error {
	s := t.sess.Load()
	if s == nil {
		return errors.New("AgentLink is still starting")
	}
	return runHotkey(ctx, s, verb)
}

// actionCommand is the command behind each call action a hotkey uses.
var actionCommand = map[core.Action]core.CommandKind{
	core.ActionAnswer: core.CmdAnswer, core.ActionHold: core.CmdHold,
	core.ActionRetrieve: core.CmdRetrieve, core.ActionDrop: core.CmdRelease,
}

// runHotkey does what the softphone's Ctrl shortcut of the same name
// does (ui/shortcuts.go): it picks the call from the session's state now.
func runHotkey(ctx context.Context, s *core.Session, verb string) error {
	snap := s.Snapshot()
	switch verb {
	case "ready":
		switch snap.Agent.State {
		case core.StateNotReady, core.StateWork, core.StateWorkReady:
			return s.Execute(ctx, core.Command{Kind: core.CmdReady})
		}
		return fmt.Errorf("the agent is %s: Ready is offered from Not Ready and wrap-up only", agentWords(snap.Agent.State))
	case "notready":
		switch snap.Agent.State {
		case core.StateReady, core.StateWork, core.StateWorkReady:
			return s.Execute(ctx, core.Command{Kind: core.CmdNotReady})
		}
		return fmt.Errorf("the agent is %s: Not Ready is offered from Ready and wrap-up only", agentWords(snap.Agent.State))
	}
	a, id, ok := hotkeyAction(snap.Dialogs, verb)
	if !ok {
		return fmt.Errorf("there is no call to %s", verb)
	}
	return s.Execute(ctx, core.Command{Kind: actionCommand[a], DialogID: id})
}

// hotkeyAction picks the call action a verb means now: answer the ringing
// call; end the call the agent talks on (with a consult up, the consult)
// or else a held one; hold the active call or else retrieve the held one.
func hotkeyAction(ds []core.Dialog, verb string) (core.Action, string, bool) {
	want := map[string][]core.Action{
		"answer": {core.ActionAnswer},
		"end":    {core.ActionDrop},
		"hold":   {core.ActionHold, core.ActionRetrieve},
	}[verb]
	for _, a := range want {
		for _, active := range []bool{true, false} {
			for _, d := range ds {
				if (d.AgentState == core.PartActive) == active && d.Allows(a) {
					return a, d.ID, true
				}
			}
		}
	}
	return "", "", false
}

// agentWords names an agent state for a refusal.
func agentWords(st core.AgentState) string {
	if st == "" {
		return "signed out"
	}
	return strings.ToLower(strings.ReplaceAll(string(st), "_", " "))
}

package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
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

// ReasonHotkey is one Not Ready with a reason hotkey: Keys in canonical
// form and Reason, a Not Ready reason's label or code as the agent's
// reason codes list it (checked at sign-in: reasonhotkeys.go).
type ReasonHotkey struct {
	Keys, Reason string
}

// hotkeyProblem is a hotkey left off by a wrong setting: Say is for the
// agent (the softphone shows it), Detail for the log.
type hotkeyProblem struct {
	Key, Say, Detail string
}

// hotkeySetting is the config key of one verb's combination: "" turns
// that hotkey off. A combination that does not parse (keyspec.Parse)
// turns it off too and is reported as a problem rather than refused: the
// softphone must start, and the other hotkeys work.
func hotkeySetting(verb string) setting {
	key := hotkeyKey(verb)
	return setting{key: key, set: setString(func(c *Config, v string) error {
		c.UI.dropProblems(key)
		c.UI.Hotkeys[verb] = ""
		if strings.TrimSpace(v) == "" {
			return nil
		}
		spec, err := keyspec.Parse(v)
		if err != nil {
			c.UI.badCombination(key, verbWords(verb, ""), v, err)
			return nil
		}
		c.UI.Hotkeys[verb] = spec.String()
		return nil
	})}
}

// reasonHotkeysSetting is ui.hotkey_not_ready_reasons, a table of
// combination = "reason label or code".
func reasonHotkeysSetting() setting {
	const key = "ui.hotkey_not_ready_reasons"
	return setting{key: key, set: setTextMap(func(c *Config, m map[string]string) error {
		c.UI.dropProblems(key)
		c.UI.ReasonHotkeys = nil
		for combo, reason := range m {
			reason = strings.TrimSpace(reason)
			spec, err := keyspec.Parse(combo)
			switch {
			case err != nil:
				c.UI.badCombination(key, verbWords("", reason), combo, err)
			case reason == "":
				c.UI.HotkeyProblems = append(c.UI.HotkeyProblems, hotkeyProblem{Key: key,
					Say:    fmt.Sprintf("The global hotkey %s is off: it names no Not Ready reason (%s in config.toml).", keyWords(spec.String()), key),
					Detail: fmt.Sprintf("%s: %q has an empty reason", key, combo)})
			default:
				c.UI.ReasonHotkeys = append(c.UI.ReasonHotkeys, ReasonHotkey{Keys: spec.String(), Reason: reason})
			}
		}
		sort.Slice(c.UI.ReasonHotkeys, func(i, j int) bool { return c.UI.ReasonHotkeys[i].Keys < c.UI.ReasonHotkeys[j].Keys })
		if n := len(c.UI.ReasonHotkeys); n > keyspec.MaxReasons {
			c.UI.HotkeyProblems = append(c.UI.HotkeyProblems, hotkeyProblem{Key: key,
				Say:    fmt.Sprintf("Only %d Not Ready reason hotkeys can be used; the last %d (by key) are off.", keyspec.MaxReasons, n-keyspec.MaxReasons),
				Detail: fmt.Sprintf("%s has %d entries, at most %d are used", key, n, keyspec.MaxReasons)})
			c.UI.ReasonHotkeys = c.UI.ReasonHotkeys[:keyspec.MaxReasons]
		}
		return nil
	})}
}

// badCombination records a combination that does not parse.
func (u *UIConfig) badCombination(key, what, combo string, err error) {
	u.HotkeyProblems = append(u.HotkeyProblems, hotkeyProblem{Key: key,
		Say: fmt.Sprintf("The global hotkey for %s is off: %q is not a key combination AgentLink can use. "+
			"Fix %s in config.toml (for example \"ctrl+alt+1\").", what, combo, key),
		Detail: fmt.Sprintf("%s: %v", key, err)})
}

// dropProblems forgets key's problems when a later source sets it again.
func (u *UIConfig) dropProblems(key string) {
	u.HotkeyProblems = slices.DeleteFunc(u.HotkeyProblems, func(p hotkeyProblem) bool { return p.Key == key })
}

// verbWords names a verb (or a reason hotkey's reason) for the agent.
func verbWords(verb, reason string) string {
	if n, ok := keyspec.ReasonIndex(verb); ok && reason == "" {
		verb = fmt.Sprintf("Not Ready reason %d", n)
	}
	if reason != "" {
		return "Not Ready – " + reason
	}
	return map[string]string{"answer": "Answer", "hold": "Hold / Retrieve", "end": "End call",
		"ready": "Ready", "notready": "Not Ready"}[verb]
}

// keyWords writes a canonical combination as the agent reads keys:
// "ctrl+alt+f1" is "Ctrl+Alt+F1".
func keyWords(combo string) string {
	parts := strings.Split(combo, "+")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "+")
}

// checkHotkeys turns off every hotkey sharing its combination with
// another (either would happen at random) and says so.
func (c *Config) checkHotkeys() {
	byCombo := map[string][]string{}
	for _, b := range c.allHotkeys() {
		byCombo[b.keys] = append(byCombo[b.keys], b.verb)
	}
	combos := slices.Sorted(maps.Keys(byCombo))
	for _, combo := range combos {
		verbs := byCombo[combo]
		if len(verbs) < 2 {
			continue
		}
		var keys, words []string
		for _, v := range verbs {
			keys = append(keys, c.hotkeyConfigKey(v))
			words = append(words, c.hotkeyWords(v))
			c.hotkeyOff(v)
		}
		c.UI.HotkeyProblems = append(c.UI.HotkeyProblems, hotkeyProblem{Key: keys[0],
			Say: fmt.Sprintf("The global hotkeys %s are off: %s is set for each of them. Give each its own key in config.toml (%s).",
				strings.Join(words, ", "), keyWords(combo), strings.Join(slices.Compact(keys), ", ")),
			Detail: fmt.Sprintf("%s are all %q", strings.Join(keys, " and "), combo)})
	}
}

// boundHotkey is one configured hotkey: its verb and combination.
type boundHotkey struct{ verb, keys string }

// allHotkeys lists the configured hotkeys in verb order, reasons last.
func (c *Config) allHotkeys() []boundHotkey {
	var out []boundHotkey
	for _, verb := range keyspec.Verbs {
		if k := c.UI.Hotkeys[verb]; k != "" {
			out = append(out, boundHotkey{verb, k})
		}
	}
	for i, r := range c.UI.ReasonHotkeys {
		if r.Keys != "" {
			out = append(out, boundHotkey{keyspec.ReasonVerb(i + 1), r.Keys})
		}
	}
	return out
}

// hotkeyConfigKey, hotkeyWords and hotkeyOff work on a verb of either kind.
func (c *Config) hotkeyConfigKey(verb string) string {
	if _, ok := keyspec.ReasonIndex(verb); ok {
		return "ui.hotkey_not_ready_reasons"
	}
	return hotkeyKey(verb)
}

func (c *Config) hotkeyWords(verb string) string {
	if r, ok := c.reasonHotkey(verb); ok {
		return verbWords(verb, r.Reason)
	}
	return verbWords(verb, "")
}

func (c *Config) hotkeyOff(verb string) {
	if n, ok := keyspec.ReasonIndex(verb); ok && n <= len(c.UI.ReasonHotkeys) {
		c.UI.ReasonHotkeys[n-1].Keys = ""
		return
	}
	c.UI.Hotkeys[verb] = ""
}

// reasonHotkey is the reason hotkey behind a reason<n> verb.
func (c *Config) reasonHotkey(verb string) (ReasonHotkey, bool) {
	n, ok := keyspec.ReasonIndex(verb)
	if !ok || n > len(c.UI.ReasonHotkeys) || c.UI.ReasonHotkeys[n-1].Keys == "" {
		return ReasonHotkey{}, false
	}
	return c.UI.ReasonHotkeys[n-1], true
}

// hotkeyBindings are the helper's VERB=KEYS arguments, in verb order.
func (c Config) hotkeyBindings() []string {
	var out []string
	for _, b := range c.allHotkeys() {
		out = append(out, b.verb+"="+b.keys)
	}
	return out
}

// hotkeyTarget runs hotkey verbs on the session once the app has one.
type hotkeyTarget struct {
	sess    atomic.Pointer[core.Session]
	reasons []ReasonHotkey // ui.hotkey_not_ready_reasons; verb reason<n> is the n-th
	// failed, when set, hears why a pressed hotkey did nothing, in the
	// agent's words (the softphone shows it; instance.go logs it).
	failed atomic.Pointer[func(string)]
}

// do runs one verb (instanceHandler.hotkey).
func (t *hotkeyTarget) do(ctx context.Context, verb string) error {
	err := t.run(ctx, verb)
	if f := t.failed.Load(); err != nil && f != nil {
		(*f)(fmt.Sprintf("Global hotkey %s: %s.", verbWordsFor(t.reasons, verb), err))
	}
	return err
}

func (t *hotkeyTarget) run(ctx context.Context, verb string) error {
	s := t.sess.Load()
	if s == nil {
		return errors.New("AgentLink is still starting")
	}
	if h, isReason, err := reasonVerbHotkey(t.reasons, verb); isReason {
		if err != nil {
			return err
		}
		return notReadyWithReason(ctx, s, h)
	}
	return runHotkey(ctx, s, verb)
}

// verbWordsFor names verb for the agent, with its reason for reason<n>.
func verbWordsFor(hs []ReasonHotkey, verb string) string {
	if h, ok, err := reasonVerbHotkey(hs, verb); ok && err == nil {
		return verbWords(verb, h.Reason)
	}
	return verbWords(verb, "")
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

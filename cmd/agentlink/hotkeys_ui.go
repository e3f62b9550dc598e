//go:build !nogui

package main

import "github.com/agentlink/agentlink/ui"

// hotkeyHelp lists the global hotkeys as configured for the softphone's
// keyboard help; nil when they are off.
func hotkeyHelp(cfg Config) []ui.HotkeyHelp {
	if !cfg.UI.GlobalHotkeys {
		return nil
	}
	var out []ui.HotkeyHelp
	for _, b := range cfg.allHotkeys() {
		out = append(out, ui.HotkeyHelp{Keys: keyWords(b.keys), Does: hotkeyDoes(cfg, b.verb)})
	}
	return out
}

// hotkeyDoes says what a verb does, as the help lists it.
func hotkeyDoes(cfg Config, verb string) string {
	switch verb {
	case "answer":
		return "Answer the ringing call"
	case "hold":
		return "Hold the active call, or retrieve the held one"
	case "end":
		return "End the call you are talking on"
	case "ready":
		return "Ready"
	case "notready":
		return "Not Ready"
	}
	return cfg.hotkeyWords(verb)
}

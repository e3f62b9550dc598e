//go:build windows

package main

import (
	"fmt"
	"strings"

	"golang.design/x/hotkey"

	"github.com/agentlink/agentlink/cmd/agentlink-hotkeys/keyspec"
)

var winMods = map[string]hotkey.Modifier{
	"ctrl": hotkey.ModCtrl, "alt": hotkey.ModAlt, "shift": hotkey.ModShift, "super": hotkey.ModWin,
}

// platformKey turns a spec into Windows modifiers and a virtual-key code:
// letters and digits are their upper-case ASCII code, F1 is 0x70.
func platformKey(s keyspec.Spec) ([]hotkey.Modifier, hotkey.Key, error) {
	var mods []hotkey.Modifier
	for _, m := range s.Mods {
		mods = append(mods, winMods[m])
	}
	if len(s.Key) == 1 {
		return mods, hotkey.Key(strings.ToUpper(s.Key)[0]), nil
	}
	var n int
	if _, err := fmt.Sscanf(s.Key, "f%d", &n); err != nil {
		return nil, 0, fmt.Errorf("%s: unknown key", s)
	}
	return mods, hotkey.KeyF1 + hotkey.Key(n-1), nil
}

package main

// On Windows the keys are registered with golang.design/x/hotkey
// (RegisterHotKey); no cgo is needed.

import (
	"fmt"
	"time"

	"golang.design/x/hotkey"

	"github.com/agentlink/agentlink/cmd/agentlink-hotkeys/keyspec"
)

// repeatGap drops a second press of the same hotkey this soon after the
// first: a held key repeats WM_HOTKEY (MOD_NOREPEAT does not fit the
// library's modifier type), which would toggle hold and retrieve again and
// again.
const repeatGap = 400 * time.Millisecond

// grabbedKey is one registered hotkey.
type grabbedKey struct {
	b  keyspec.Binding
	hk *hotkey.Hotkey
}

// grabAll registers every binding, or none: on a failure the ones already
// grabbed are released.
func grabAll(bs []keyspec.Binding) ([]grabbedKey, error) {
	var out []grabbedKey
	for _, b := range bs {
		mods, key, err := platformKey(b.Spec)
		if err != nil {
			releaseAll(out)
			return nil, err
		}
		hk := hotkey.New(mods, key)
		if err := hk.Register(); err != nil {
			releaseAll(out)
			return nil, fmt.Errorf("%w (%v)", takenError(b), err)
		}
		out = append(out, grabbedKey{b: b, hk: hk})
	}
	return out, nil
}

func releaseAll(gs []grabbedKey) {
	for _, g := range gs {
		_ = g.hk.Unregister()
	}
}

// pumpAll passes each key's presses on until it is unregistered.
func pumpAll(gs []grabbedKey, out chan<- keyspec.Binding) {
	for _, g := range gs {
		go func() {
			for range g.hk.Keydown() {
				out <- g.b
			}
		}()
	}
}

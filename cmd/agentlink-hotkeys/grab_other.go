//go:build !((linux && cgo) || windows)

package main

import (
	"errors"

	"github.com/agentlink/agentlink/cmd/agentlink-hotkeys/keyspec"
)

const repeatGap = 0

// grabbedKey is never made here.
type grabbedKey struct{}

// grabAll fails: global hotkeys are built for X11 (Linux with cgo) and
// Windows only.
func grabAll([]keyspec.Binding) ([]grabbedKey, error) {
	return nil, errors.New("global hotkeys are not built for this platform (X11 on Linux and Windows only)")
}

func releaseAll([]grabbedKey)                      {}
func pumpAll([]grabbedKey, chan<- keyspec.Binding) {}

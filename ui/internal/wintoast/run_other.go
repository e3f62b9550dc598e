//go:build !windows

package wintoast

import "errors"

// New fails off Windows: there are no toasts to show.
func New(string) (*Notifier, error) { return nil, errors.New("wintoast: Windows only") }

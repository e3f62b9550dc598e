//go:build !windows

package main

import "context"

// platformChecks are the doctor's checks for this OS only (none here).
func (d *doctor) platformChecks() ([]func(context.Context) checkResult, []string) { return nil, nil }

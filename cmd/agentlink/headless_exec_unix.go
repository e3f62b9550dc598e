//go:build unix && !nogui

package main

import (
	"log/slog"
	"os"
	"syscall"
)

// execHeadlessSibling replaces this process with the nogui build beside it
// (see headless_sibling.go) and so returns only when it did not: no usable
// sibling, or execve failed. Then the app runs headless in this process.
func execHeadlessSibling(logger *slog.Logger) {
	s := findHeadlessSibling(os.Getenv)
	if !s.usable {
		logger.Info("headless: running in this process (the full binary)", "reason", s.why)
		return
	}
	self, _ := os.Executable()
	logger.Info("headless: replacing this process with the nogui build", "path", s.path)
	env := append(os.Environ(), envExecedFrom+"="+self)
	err := syscall.Exec(s.path, append([]string{s.path}, os.Args[1:]...), env)
	logger.Warn("headless: could not run the nogui build; running in this process", "path", s.path, "err", err)
}

package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// monitorLinkTTL is how long a launch page stays on disk: the monitor's
// one-time ticket inside it expires after 60 s anyway.
const monitorLinkTTL = 2 * time.Minute

// monitorLaunchURL turns the Connector Monitor's one-time link into a
// file:// URL of a page that forwards to it. The desktop opens URLs by
// starting a browser (xdg-open, open, start) with the URL on its command
// line, which every user of the host can read (/proc/<pid>/cmdline, ps):
// another user redeemed a ticket that way before the agent's browser did.
// The page lives in the agent's own 0700 config directory with mode 0600,
// so only the path, which holds no secret, is ever on a command line. The
// page removes nothing itself; AgentLink deletes it after monitorLinkTTL.
func monitorLaunchURL(dir, monitorURL string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("monitor link: %w", err)
	}
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	path := filepath.Join(dir, "monitor-"+hex.EncodeToString(b[:])+".html")
	u := html.EscapeString(monitorURL)
	page := `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer">` +
		`<meta http-equiv="refresh" content="0;url=` + u + `"><title>AgentLink Connector Monitor</title>` +
		`<p>Opening the <a href="` + u + `">Connector Monitor</a>…</p>`
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("monitor link: %w", err)
	}
	_, werr := f.WriteString(page)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = os.Remove(path)
		return "", fmt.Errorf("monitor link: %w", werr)
	}
	time.AfterFunc(monitorLinkTTL, func() { _ = os.Remove(path) })
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String(), nil
}

// monitorDir is where launch pages go: the agent's config directory (0700,
// beside the bridge token), or the temp dir when it cannot be found.
func monitorDir() string {
	dir, err := configDir()
	if err != nil {
		return filepath.Join(os.TempDir(), fmt.Sprintf("agentlink-%d", os.Getuid()))
	}
	return dir
}

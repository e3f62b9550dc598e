package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// window is the softphone's X window.
type window struct {
	id string
}

// findWindow waits for the visible window titled "AgentLink".
func findWindow(ctx context.Context) (*window, error) {
	for {
		out, err := exec.CommandContext(ctx, "xdotool", "search", "--onlyvisible", "--name", "^AgentLink$").Output()
		if id, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n"); err == nil && id != "" {
			return &window{id: id}, nil
		}
		select {
		case <-ctx.Done():
			return nil, errors.New("the AgentLink window never appeared")
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// resize sets the window's size (there is no window manager under Xvfb, so
// it takes effect as asked) and waits until X reports it. The app may set
// its own size again meanwhile, so the request is repeated until it holds.
func (w *window) resize(ctx context.Context, width, height int) error {
	want := fmt.Sprintf("Geometry: %dx%d", width, height)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := tool(ctx, "xdotool", "windowsize", w.id, strconv.Itoa(width), strconv.Itoa(height)); err != nil {
			return err
		}
		out, err := tool(ctx, "xdotool", "getwindowgeometry", w.id)
		if err == nil && strings.Contains(out, want) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the window never took the size %dx%d: %s", width, height, out)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// key sends a key combination (xdotool syntax, e.g. "ctrl+k") to the window.
func (w *window) key(ctx context.Context, keys string) error {
	_, err := tool(ctx, "xdotool", "key", "--window", w.id, keys)
	return err
}

// scroll turns the mouse wheel down n notches at (x, y) in the window.
func (w *window) scroll(ctx context.Context, x, y, n int) error {
	_, err := tool(ctx, "xdotool", "mousemove", "--window", w.id, strconv.Itoa(x), strconv.Itoa(y),
		"click", "--repeat", strconv.Itoa(n), "--delay", "30", "5")
	return err
}

// capture returns the window's pixels as PNG. Fyne redraws on its own
// schedule after a change, so it captures until two captures a moment
// apart are the same picture (a call timer ticks once a second, so two
// captures 300 ms apart agree most of the time).
func (w *window) capture(ctx context.Context) ([]byte, error) {
	var prev []byte
	deadline := time.Now().Add(8 * time.Second)
	for {
		png, err := tool(ctx, "import", "-window", w.id, "png:-")
		if err != nil {
			return nil, err
		}
		if prev != nil && png == string(prev) {
			return prev, nil
		}
		if time.Now().After(deadline) {
			return []byte(png), nil // still changing (an animation): take the latest
		}
		prev = []byte(png)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(300 * time.Millisecond):
		}
	}
}

// tool runs an external program and returns its standard output.
func tool(ctx context.Context, name string, args ...string) (string, error) {
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, strings.TrimSpace(errOut.String()))
	}
	return out.String(), nil
}

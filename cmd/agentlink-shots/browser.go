package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// browser is headless Chromium, set up as the localbridge end-to-end tests
// set it up.
type browser struct {
	ctx     context.Context
	cancel  func()
	profile string
}

func startBrowser(ctx context.Context) (*browser, error) {
	path, err := exec.LookPath("chromium")
	if err != nil {
		return nil, fmt.Errorf("chromium not installed (scripts/setup.sh all installs it): %w", err)
	}
	profile, err := os.MkdirTemp("", "agentlink-shots-chromium-")
	if err != nil {
		return nil, err
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true), chromedp.Flag("force-device-scale-factor", "1"),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelB := chromedp.NewContext(actx)
	if err := chromedp.Run(bctx); err != nil {
		cancelB()
		cancelA()
		return nil, fmt.Errorf("starting chromium: %w", err)
	}
	return &browser{ctx: bctx, cancel: func() { cancelB(); cancelA() }, profile: profile}, nil
}

// tab opens a new tab with the given viewport; extra headers go with every
// request the tab makes.
func (b *browser) tab(width, height int64, headers map[string]any) (context.Context, func(), error) {
	tctx, cancel := chromedp.NewContext(b.ctx)
	actions := []chromedp.Action{chromedp.EmulateViewport(width, height)}
	if headers != nil {
		actions = append(actions, network.Enable(), network.SetExtraHTTPHeaders(network.Headers(headers)))
	}
	if err := chromedp.Run(tctx, actions...); err != nil {
		cancel()
		return nil, nil, err
	}
	return tctx, cancel, nil
}

// shot waits for the selector wait to be visible, then captures the
// element sel (or the whole page when sel is "").
func shot(ctx context.Context, wait, sel string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	var png []byte
	actions := []chromedp.Action{chromedp.WaitVisible(wait, chromedp.ByQuery)}
	if sel == "" {
		actions = append(actions, chromedp.FullScreenshot(&png, 100))
	} else {
		actions = append(actions, chromedp.Screenshot(sel, &png, chromedp.ByQuery))
	}
	if err := chromedp.Run(ctx, actions...); err != nil {
		var body string
		_ = chromedp.Run(ctx, chromedp.Text("body", &body, chromedp.ByQuery))
		return nil, fmt.Errorf("waiting for %s: %w (page shows: %.300s)", wait, err, body)
	}
	return png, nil
}

func (b *browser) close() {
	b.cancel()
	_ = os.RemoveAll(b.profile)
}

func chromedpNavigate(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Navigate(url))
}

// waitJS waits until the expression is true in the page.
func waitJS(ctx context.Context, expr string) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Poll(expr, nil, chromedp.WithPollingTimeout(20*time.Second)))
}

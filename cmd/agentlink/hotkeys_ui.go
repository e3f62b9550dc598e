//go:build !nogui

package main

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// showHotkeyNotices shows each message from notices (why global hotkeys
// are off) in a small window of its own and as a notification, until ctx
// ends. The helper is not restarted, so each problem is shown once.
func showHotkeyNotices(ctx context.Context, a fyne.App, notices <-chan string) {
	for {
		select {
		case <-ctx.Done():
			return
		case msg := <-notices:
			fyne.Do(func() {
				a.SendNotification(fyne.NewNotification("AgentLink global hotkeys", msg))
				w := a.NewWindow("AgentLink – global hotkeys")
				text := widget.NewLabel(msg)
				text.Wrapping = fyne.TextWrapWord
				ok := widget.NewButton("OK", w.Close)
				w.SetContent(container.NewBorder(nil, container.NewCenter(ok), nil, nil, text))
				w.Resize(fyne.NewSize(420, 160))
				w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
					if k.Name == fyne.KeyEscape || k.Name == fyne.KeyReturn {
						w.Close()
					}
				})
				w.Show()
			})
		}
	}
}

package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// StartupErrorTitle is the title of the window [RunStartupError] opens.
const StartupErrorTitle = "AgentLink cannot start"

// RunStartupError shows why AgentLink cannot start, and what to do, in a
// window of its own, and returns when the agent closes it. Started from a
// desktop menu, nobody sees stderr: without this a bad config.toml or a
// taken port looked like an app that never opened. Call it on the main
// goroutine instead of [Run]; it calls app.Run itself.
func RunStartupError(app fyne.App, message string) {
	if app.Icon() == nil {
		app.SetIcon(loadIcon(appIconFile))
	}
	w := app.NewWindow(StartupErrorTitle)
	w.SetContent(startupErrorContent(message, app.Clipboard(), app.Quit))
	w.Resize(fyne.NewSize(windowWidth, 320))
	w.SetCloseIntercept(app.Quit)
	w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape || k.Name == fyne.KeyReturn {
			app.Quit()
		}
	})
	w.Show()
	app.Run()
}

func startupErrorContent(message string, clip fyne.Clipboard, quit func()) fyne.CanvasObject {
	head := widget.NewLabelWithStyle(StartupErrorTitle, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	msg := widget.NewLabel(message)
	msg.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabel("Correct this, then start AgentLink again. The message is also printed on standard error.")
	hint.Wrapping = fyne.TextWrapWord
	copyBtn := widget.NewButtonWithIcon("Copy message", theme.ContentCopyIcon(), func() { clip.SetContent(message) })
	quitBtn := widget.NewButton("Close", quit)
	quitBtn.Importance = widget.HighImportance
	buttons := newFitGrid(2, copyBtn, quitBtn)
	return container.NewBorder(head, buttons, nil, nil, container.NewVScroll(container.NewVBox(msg, hint)))
}

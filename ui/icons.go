package ui

import (
	"io/fs"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/agentlink/agentlink/assets"
)

// iconFile is the embedded tray icon for each status (ui/internal/iconsgen
// draws them).
func iconFile(s status) string {
	return "icons/tray-" + s.String() + ".png"
}

// appIconFile is the 512x512 application icon FyneApp.toml also names.
const appIconFile = "icons/Icon.png"

// loadIcon reads an embedded icon, falling back to a theme icon so a
// missing file is visible but never fatal.
func loadIcon(name string) fyne.Resource {
	b, err := fs.ReadFile(assets.Icons, name)
	if err != nil {
		return theme.QuestionIcon()
	}
	return fyne.NewStaticResource(name[len("icons/"):], b)
}

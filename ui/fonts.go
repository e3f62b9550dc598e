package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// dropBundledEmoji stops Fyne from parsing its bundled 4.2 MB colour emoji
// font. Fyne adds that font as a fallback to every text style it measures
// (regular, bold, monospace, ...) and parses it afresh for each, keeping
// the parsed tables: about 5 MB of Go heap per style, 14 MB of the 30 MB
// live heap of the softphone window (see README, "Where the UI's memory
// goes"). The softphone never shows emoji itself; a caller's name or a
// call variable that has one still gets it from a system emoji font, which
// Fyne looks up for a rune none of the fallbacks has, and loads only then.
//
// Fyne's own switch is the no_emoji build tag; doing it here keeps a plain
// `go build` and `go run` as lean. The emoji resource becomes the small
// symbol font (already a fallback), so every lookup still finds a valid
// font. If Fyne's resource is not a StaticResource (a no_emoji build, or a
// later Fyne), nothing changes. Call before any text is measured.
func dropBundledEmoji() {
	r, ok := theme.DefaultEmojiFont().(*fyne.StaticResource)
	if !ok || r == nil {
		return
	}
	r.StaticContent = theme.DefaultSymbolFont().Content()
}

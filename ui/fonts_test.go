package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// TestDropBundledEmoji: after dropBundledEmoji Fyne's emoji fallback is the
// small symbol font, not the 4.2 MB colour emoji font it would parse for
// every text style, and text with an emoji in it is still measured.
func TestDropBundledEmoji(t *testing.T) {
	test.NewTempApp(t)
	dropBundledEmoji()
	if got, max := len(theme.DefaultEmojiFont().Content()), 64<<10; got > max {
		t.Errorf("emoji fallback font is %d bytes, want the symbol font (under %d)", got, max)
	}
	for _, style := range []fyne.TextStyle{{}, {Bold: true}, {Monospace: true}} {
		if size := fyne.MeasureText("Anna 😀 Müller", theme.TextSize(), style); size.Width <= 0 || size.Height <= 0 {
			t.Errorf("text with an emoji in style %+v measures %v", style, size)
		}
	}
	dropBundledEmoji() // a second call changes nothing
}

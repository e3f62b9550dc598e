package ui

import (
	"bytes"
	"image/png"
	"io/fs"
	"os"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/agentlink/agentlink/assets"
)

// TestTrayIconsMatchStatusColours checks every status has an embedded icon
// whose centre ring (or disc) carries the state bar's colour, so the tray
// and the window never disagree.
func TestTrayIconsMatchStatusColours(t *testing.T) {
	t.Parallel()
	for s := statusOffline; s <= statusLast; s++ {
		t.Run(s.String(), func(t *testing.T) {
			t.Parallel()
			b, err := fs.ReadFile(assets.Icons, iconFile(s))
			if err != nil {
				t.Fatalf("read %s: %v", iconFile(s), err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("decode %s: %v", iconFile(s), err)
			}
			if got := img.Bounds().Dx(); got != 64 {
				t.Errorf("%s is %d px wide, want 64", iconFile(s), got)
			}
			// (4, 32) lies on the outer disc or ring of every icon.
			r, g, bl, a := img.At(4, 32).RGBA()
			want := statusColor(s)
			if uint8(r>>8) != want.R || uint8(g>>8) != want.G || uint8(bl>>8) != want.B || a>>8 != 0xff {
				t.Errorf("%s at (4,32) = %02x%02x%02x/%02x, want %02x%02x%02x/ff", iconFile(s),
					r>>8, g>>8, bl>>8, a>>8, want.R, want.G, want.B)
			}
			if res := loadIcon(iconFile(s)); !bytes.Equal(res.Content(), b) {
				t.Errorf("loadIcon(%s) did not return the embedded file", iconFile(s))
			}
		})
	}
}

func TestAppIconAndFyneAppToml(t *testing.T) {
	t.Parallel()
	var meta struct {
		Website, Description string
		Details              struct {
			Icon, Name, ID, Version string
			Build                   int
		}
		LinuxAndBSD struct {
			GenericName, Comment string
			Categories, Keywords []string
		}
		Migrations map[string]bool
	}
	if _, err := toml.DecodeFile("../FyneApp.toml", &meta); err != nil {
		t.Fatalf("decode FyneApp.toml: %v", err)
	}
	d := meta.Details
	if d.Name != "AgentLink" || d.ID != "io.agentlink.app" || d.Version != "0.1.0" || d.Build != 1 {
		t.Errorf("Details = %+v, want AgentLink io.agentlink.app 0.1.0 build 1", d)
	}
	if meta.Website == "" || meta.Description == "" || meta.LinuxAndBSD.GenericName == "" ||
		meta.LinuxAndBSD.Comment == "" || len(meta.LinuxAndBSD.Categories) == 0 || len(meta.LinuxAndBSD.Keywords) == 0 {
		t.Errorf("FyneApp.toml is missing Website, Description or LinuxAndBSD fields: %+v", meta)
	}
	if !meta.Migrations["fyneDo"] {
		t.Error("FyneApp.toml: [Migrations] fyneDo is not true")
	}
	f, err := os.Open("../" + d.Icon)
	if err != nil {
		t.Fatalf("icon named by FyneApp.toml: %v", err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatalf("decode %s: %v", d.Icon, err)
	}
	if cfg.Width != 512 || cfg.Height != 512 {
		t.Errorf("%s is %dx%d, want 512x512", d.Icon, cfg.Width, cfg.Height)
	}
	m := Metadata()
	if m.ID != d.ID || m.Name != d.Name || m.Version != d.Version || m.Build != d.Build || !m.Migrations["fyneDo"] {
		t.Errorf("Metadata() = %+v, want it to match FyneApp.toml %+v", m, d)
	}
	if m.Icon == nil || m.Icon.Name() != "Icon.png" {
		t.Errorf("Metadata().Icon = %v, want the embedded Icon.png", m.Icon)
	}
	if d.Icon != "assets/"+appIconFile {
		t.Errorf("FyneApp.toml icon %q is not the embedded %q", d.Icon, appIconFile)
	}
}

// Command iconsgen draws AgentLink's tray icons and application icon as
// PNGs into assets/icons. The icons are simple shapes on the state colour,
// so they stay readable at 16 px and need no design tool:
//
//	go run ./ui/internal/iconsgen -out assets/icons
//
// The colours must match statusColor in ui/present.go; ui's icon test
// checks that they do.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

// shape reports whether the point (x, y), both in [-1, 1], is painted.
type shape func(x, y float64) bool

// layer is one shape in one colour; later layers paint over earlier ones.
type layer struct {
	fill color.NRGBA
	in   shape
}

var (
	white = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	green = color.NRGBA{0x2e, 0x9e, 0x44, 0xff}
	red   = color.NRGBA{0xd3, 0x3a, 0x2f, 0xff}
	amber = color.NRGBA{0xf0, 0x8c, 0x00, 0xff}
	blue  = color.NRGBA{0x1e, 0x6f, 0xd9, 0xff}
	plum  = color.NRGBA{0x8e, 0x44, 0xad, 0xff}
	grey  = color.NRGBA{0x80, 0x80, 0x80, 0xff}
	navy  = color.NRGBA{0x17, 0x3f, 0x7a, 0xff}
	teal  = color.NRGBA{0x00, 0x89, 0x7b, 0xff}
)

func main() {
	out := flag.String("out", "assets/icons", "directory to write the PNGs to")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "iconsgen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	tray := map[string][]layer{
		"ready":    {{green, disc(1)}, {white, check}},
		"notready": {{red, disc(1)}, {white, box(-0.55, -0.14, 0.55, 0.14)}},
		"ringing":  {{amber, disc(1)}, {white, ring(0.62, 0.14)}, {white, disc(0.28)}},
		"talking":  {{blue, disc(1)}, {white, disc(0.42)}},
		"wrapup":   {{plum, disc(1)}, {white, lines}},
		"held":     {{teal, disc(1)}, {white, box(-0.36, -0.45, -0.1, 0.45)}, {white, box(0.1, -0.45, 0.36, 0.45)}},
		"offline":  {{grey, ring(0.86, 0.14)}, {grey, segment(-0.6, 0.6, 0.6, -0.6, 0.13)}},
	}
	for name, layers := range tray {
		if err := write(filepath.Join(dir, "tray-"+name+".png"), draw(64, layers)); err != nil {
			return err
		}
	}
	app := []layer{{navy, rounded(0.22)}, {white, ring(0.36, 0.09).at(-0.22, 0)}, {amber, ring(0.36, 0.09).at(0.22, 0)}}
	return write(filepath.Join(dir, "Icon.png"), draw(512, app))
}

// draw renders layers at size x size with 4x4 supersampling per pixel.
func draw(size int, layers []layer) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px)+(float64(sx)+0.5)/ss)/float64(size)*2 - 1
					y := (float64(py)+(float64(sy)+0.5)/ss)/float64(size)*2 - 1
					if c, ok := sample(layers, x, y); ok {
						r, g, b, a = r+float64(c.R), g+float64(c.G), b+float64(c.B), a+1
					}
				}
			}
			if a > 0 {
				img.SetNRGBA(px, py, color.NRGBA{uint8(r / a), uint8(g / a), uint8(b / a), uint8(255 * a / ss / ss)})
			}
		}
	}
	return img
}

func sample(layers []layer, x, y float64) (color.NRGBA, bool) {
	var c color.NRGBA
	hit := false
	for _, l := range layers {
		if l.in(x, y) {
			c, hit = l.fill, true
		}
	}
	return c, hit
}

func write(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return f.Close()
}

func disc(r float64) shape {
	return func(x, y float64) bool { return x*x+y*y <= r*r }
}

func ring(r, w float64) shape {
	return func(x, y float64) bool {
		d := math.Hypot(x, y)
		return d <= r+w/2 && d >= r-w/2
	}
}

// at moves a shape's centre to (dx, dy).
func (s shape) at(dx, dy float64) shape {
	return func(x, y float64) bool { return s(x-dx, y-dy) }
}

func box(x0, y0, x1, y1 float64) shape {
	return func(x, y float64) bool { return x >= x0 && x <= x1 && y >= y0 && y <= y1 }
}

func rounded(r float64) shape {
	return func(x, y float64) bool {
		cx := math.Max(math.Abs(x)-(1-r), 0)
		cy := math.Max(math.Abs(y)-(1-r), 0)
		return cx*cx+cy*cy <= r*r
	}
}

// segment is a thick line from (x0, y0) to (x1, y1) with round ends.
func segment(x0, y0, x1, y1, w float64) shape {
	return func(x, y float64) bool {
		dx, dy := x1-x0, y1-y0
		t := math.Max(0, math.Min(1, ((x-x0)*dx+(y-y0)*dy)/(dx*dx+dy*dy)))
		return math.Hypot(x-(x0+t*dx), y-(y0+t*dy)) <= w/2
	}
}

func check(x, y float64) bool {
	return segment(-0.5, 0.02, -0.15, 0.38, 0.2)(x, y) || segment(-0.15, 0.38, 0.52, -0.36, 0.2)(x, y)
}

func lines(x, y float64) bool {
	return box(-0.5, -0.42, 0.5, -0.26)(x, y) || box(-0.5, -0.08, 0.5, 0.08)(x, y) || box(-0.5, 0.26, 0.2, 0.42)(x, y)
}

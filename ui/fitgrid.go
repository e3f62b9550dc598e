package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// fitGrid is a grid of up to cols equal columns that drops to fewer
// columns when the window is too narrow for the widest cell, so a row of
// buttons never makes the window wider than it is. Like Fyne's GridWrap,
// its height follows the width it was last laid out at.
type fitGrid struct {
	cols  int
	width float32 // last laid-out width; 0 before the first layout
}

func newFitGrid(cols int, objs ...fyne.CanvasObject) *fyne.Container {
	return &fyne.Container{Layout: &fitGrid{cols: cols}, Objects: objs}
}

// cell is the size of the largest visible cell and how many are visible.
func cell(objs []fyne.CanvasObject) (fyne.Size, int) {
	var s fyne.Size
	n := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		n++
		s = s.Max(o.MinSize())
	}
	return s, n
}

// columns is how many columns fit in width.
func (g *fitGrid) columns(cellW, width float32, n int) int {
	cols := min(g.cols, max(n, 1))
	if width <= 0 {
		return cols
	}
	pad := theme.Padding()
	for cols > 1 && float32(cols)*cellW+float32(cols-1)*pad > width {
		cols--
	}
	return cols
}

func (g *fitGrid) MinSize(objs []fyne.CanvasObject) fyne.Size {
	c, n := cell(objs)
	if n == 0 {
		return fyne.Size{}
	}
	cols := g.columns(c.Width, g.width, n)
	rows := (n + cols - 1) / cols
	pad := theme.Padding()
	return fyne.NewSize(c.Width, float32(rows)*c.Height+float32(rows-1)*pad)
}

func (g *fitGrid) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	g.width = size.Width
	c, n := cell(objs)
	if n == 0 {
		return
	}
	cols := g.columns(c.Width, size.Width, n)
	pad := theme.Padding()
	w := (size.Width - float32(cols-1)*pad) / float32(cols)
	i := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		row, col := i/cols, i%cols
		o.Move(fyne.NewPos(float32(col)*(w+pad), float32(row)*(c.Height+pad)))
		o.Resize(fyne.NewSize(w, c.Height))
		i++
	}
}

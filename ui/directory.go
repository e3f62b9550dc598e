package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
)

// The directory picker: the agent's phone books (global and team, all
// pages) and recent numbers, searchable as they type. Picking an entry puts
// its number in the dial field, from where Call, Consult and Direct
// transfer take it. Keyboard: Ctrl+K opens it with the cursor in the
// search; Up/Down move the highlight, Enter picks, Escape closes.

// directorySource is what the picker reads. coreSession implements it; a
// session without it shows an empty directory.
type directorySource interface {
	Directory(ctx context.Context) ([]core.DirectoryEntry, error)
}

// Directory implements directorySource.
func (c coreSession) Directory(ctx context.Context) ([]core.DirectoryEntry, error) {
	return c.s.Directory(ctx)
}

// maxShown bounds the rows drawn: the search narrows a 6000-contact book
// faster than anyone scrolls it.
const maxShown = 500

type directoryPicker struct {
	s      *shell
	search *dirSearch
	list   *widget.List
	status *widget.Label
	all    []core.DirectoryEntry // Fyne thread
	shown  []core.DirectoryEntry // Fyne thread
	sel    int                   // Fyne thread: the highlighted row
	dlg    *dialog.CustomDialog
	pick   func(core.DirectoryEntry) // Fyne thread
	closed bool                      // Fyne thread
}

// openDirectory shows the picker over the window; pick gets the chosen
// entry. Fyne thread.
func (s *shell) openDirectory(pick func(core.DirectoryEntry)) *directoryPicker {
	p := &directoryPicker{s: s, pick: pick}
	p.search = newDirSearch(p)
	p.search.SetPlaceHolder("Name, number or book")
	p.search.OnChanged = func(string) { p.filter() }
	p.search.OnSubmitted = func(string) { p.choose(p.sel) }
	p.status = widget.NewLabel("Loading the phone books…")
	p.status.Wrapping = fyne.TextWrapWord
	p.list = widget.NewList(func() int { return len(p.shown) }, p.newRow, p.updateRow)
	p.list.OnSelected = func(i widget.ListItemID) { p.choose(i) }
	content := container.NewBorder(container.NewVBox(p.search, p.status), nil, nil, nil, p.list)
	p.dlg = dialog.NewCustom("Directory", "Close", content, s.win)
	p.dlg.SetOnClosed(func() { p.closed = true })
	size := s.win.Canvas().Size()
	p.dlg.Resize(fyne.NewSize(max(size.Width-24, 200), max(size.Height-48, 240)))
	p.dlg.Show()
	s.win.Canvas().Focus(p.search)
	p.load()
	return p
}

func (p *directoryPicker) load() {
	src, ok := p.s.sess.(directorySource)
	if !ok {
		p.status.SetText("No directory")
		return
	}
	p.s.bg.Add(1)
	go func() {
		defer p.s.bg.Done()
		ctx, cancel := context.WithTimeout(p.s.ctx, commandTimeout)
		defer cancel()
		entries, err := src.Directory(ctx)
		if err != nil {
			p.s.log.Warn("directory failed", "err", err)
		}
		p.s.do(func() {
			p.loaded(entries, err)
			p.s.refresh()
		})
	}()
}

func (p *directoryPicker) loaded(entries []core.DirectoryEntry, err error) {
	p.all = entries
	switch {
	case err != nil:
		p.status.SetText("The phone books could not be read; recent numbers only. " + commandMessage("Directory", err))
	case len(entries) == 0:
		p.status.SetText("No phone-book contacts and no recent numbers yet")
	default:
		p.status.Hide()
	}
	p.filter()
}

func (p *directoryPicker) filter() {
	p.shown = core.SearchDirectory(p.all, p.search.Text, maxShown)
	p.sel = 0
	p.list.UnselectAll()
	p.list.Refresh()
	if len(p.shown) > 0 {
		p.list.ScrollToTop()
	}
}

func (p *directoryPicker) newRow() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func (p *directoryPicker) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if i >= len(p.shown) {
		return
	}
	l.SetText(entryText(p.shown[i], i == p.sel))
	l.TextStyle.Bold = i == p.sel
	l.Refresh()
}

// entryText is one row: the highlighted one is marked for those who do not
// see the bold.
func entryText(e core.DirectoryEntry, selected bool) string {
	mark := "  "
	if selected {
		mark = "› "
	}
	if e.Name == e.Number {
		return fmt.Sprintf("%s%s  (%s)", mark, e.Number, e.Book)
	}
	return fmt.Sprintf("%s%s  %s  (%s)", mark, e.Name, e.Number, e.Book)
}

// move shifts the highlight by d rows. Fyne thread.
func (p *directoryPicker) move(d int) {
	if len(p.shown) == 0 {
		return
	}
	p.sel = min(max(p.sel+d, 0), len(p.shown)-1)
	p.list.Refresh()
	p.list.ScrollTo(p.sel)
}

func (p *directoryPicker) choose(i int) {
	if i < 0 || i >= len(p.shown) || p.closed {
		return
	}
	e := p.shown[i]
	p.dlg.Hide()
	p.pick(e)
}

// dirSearch is the search field: arrows move the highlight, Escape closes.
type dirSearch struct {
	widget.Entry
	p *directoryPicker
}

func newDirSearch(p *directoryPicker) *dirSearch {
	e := &dirSearch{p: p}
	e.ExtendBaseWidget(e)
	return e
}

func (e *dirSearch) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyDown:
		e.p.move(1)
	case fyne.KeyUp:
		e.p.move(-1)
	case fyne.KeyPageDown:
		e.p.move(10)
	case fyne.KeyPageUp:
		e.p.move(-10)
	case fyne.KeyEscape:
		e.p.dlg.Hide()
	default:
		e.Entry.TypedKey(k)
	}
}

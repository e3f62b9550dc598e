package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// consentBanner shows one row per CRM origin asking to connect to the
// bridge, with Allow and Deny. Nothing is connected until the agent picks.
type consentBanner struct {
	s    *shell
	box  *fyne.Container
	rows map[string]fyne.CanvasObject // by origin; Fyne thread
	obj  fyne.CanvasObject
}

func newConsentBanner(s *shell) *consentBanner {
	c := &consentBanner{s: s, box: container.NewVBox(), rows: map[string]fyne.CanvasObject{}}
	c.obj = c.box
	return c
}

func (c *consentBanner) refresh() {
	var pending []string
	if c.s.bridge != nil {
		pending = c.s.bridge.PendingOrigins()
	}
	objs := make([]fyne.CanvasObject, 0, len(pending))
	rows := make(map[string]fyne.CanvasObject, len(pending))
	for _, o := range pending {
		row, ok := c.rows[o]
		if !ok {
			row = c.newRow(o)
		}
		rows[o] = row
		objs = append(objs, row)
		c.setBusy(row, c.s.busy[consentKey(o)])
	}
	c.rows = rows
	c.box.Objects = objs
	c.box.Refresh()
}

func (c *consentBanner) newRow(origin string) fyne.CanvasObject {
	msg := widget.NewLabel(consentText(origin))
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = widget.WarningImportance
	allow := widget.NewButton("Allow", func() { c.decide(origin, true) })
	allow.Importance = widget.HighImportance
	deny := widget.NewButton("Deny", func() { c.decide(origin, false) })
	return container.NewVBox(msg, container.NewHBox(layout.NewSpacer(), deny, allow))
}

func (c *consentBanner) decide(origin string, allow bool) {
	what, fn := "Deny "+origin, c.s.bridge.DenyOrigin
	if allow {
		what, fn = "Allow "+origin, c.s.bridge.AllowOrigin
	}
	c.s.command(consentKey(origin), what, func(context.Context) error { return fn(origin) }, nil)
}

func consentKey(origin string) string { return "consent:" + origin }

// setBusy disables a row's buttons while its answer is being delivered.
func (c *consentBanner) setBusy(row fyne.CanvasObject, busy bool) {
	buttons := row.(*fyne.Container).Objects[1].(*fyne.Container).Objects
	for _, o := range buttons {
		if b, ok := o.(*widget.Button); ok {
			setEnabled(b, !busy)
		}
	}
}

// consentText is the banner's question.
func consentText(origin string) string {
	return "A CRM page at " + origin + " asks to control your phone. Allow it only if you opened that CRM."
}

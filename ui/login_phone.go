package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
)

// phoneOptions is the login form's folded "Phone" section: which device
// of a multiline extension to sign in on (listed from Finesse on request),
// and Mobile Agent sign-in with the number Finesse dials. Pre-filled from
// the configuration (finesse.device_id, finesse.mobile_agent_mode,
// finesse.mobile_dial_number).
type phoneOptions struct {
	f      *loginForm
	device *widget.SelectEntry
	find   *widget.Button
	mode   *widget.Select
	dial   *widget.Entry
	note   *widget.Label // what the device lookup found, or why not
	listed []string      // the device options last listed
	obj    fyne.CanvasObject
}

// The mobile agent modes as the form names them.
var mobileModes = []struct{ label, mode string }{
	{"Desk phone (not a mobile agent)", ""},
	{"Mobile agent, call by call", core.MobileCallByCall},
	{"Mobile agent, nailed connection", core.MobileNailedConnection},
}

// deviceLister is the optional part of the session that lists devices
// (*core.Session has it).
type deviceLister interface {
	Devices(ctx context.Context, q core.DeviceQuery) ([]core.Device, error)
}

func newPhoneOptions(f *loginForm, d LoginDefaults) *phoneOptions {
	p := &phoneOptions{f: f}
	p.device = widget.NewSelectEntry(nil)
	p.device.SetText(d.DeviceID)
	p.device.SetPlaceHolder("Finesse's choice")
	p.find = widget.NewButton("Find devices", p.onFind)
	labels := make([]string, len(mobileModes))
	for i, m := range mobileModes {
		labels[i] = m.label
	}
	p.mode = widget.NewSelect(labels, nil)
	p.mode.SetSelectedIndex(0)
	for i, m := range mobileModes {
		if m.mode == d.MobileMode {
			p.mode.SetSelectedIndex(i)
		}
	}
	p.mode.OnChanged = func(string) { p.refresh() }
	p.dial = entryWith(d.DialNumber, "Number Finesse dials to reach you")
	p.note = widget.NewLabel("")
	p.note.Wrapping = fyne.TextWrapWord
	p.note.Hide()
	form := widget.NewForm(
		widget.NewFormItem("Device", container.NewBorder(nil, nil, nil, p.find, p.device)),
		widget.NewFormItem("Phone", p.mode),
		widget.NewFormItem("Dial number", p.dial),
	)
	item := widget.NewAccordionItem("Phone: device, mobile agent", container.NewVBox(form, p.note))
	acc := widget.NewAccordion(item)
	if d.DeviceID != "" || d.MobileMode != "" {
		acc.Open(0)
	}
	p.obj = acc
	p.refresh()
	return p
}

func (p *phoneOptions) refresh() {
	setEnabled(p.dial, p.mobileMode() != "")
}

func (p *phoneOptions) mobileMode() string {
	if i := p.mode.SelectedIndex(); i > 0 {
		return mobileModes[i].mode
	}
	return ""
}

// dialNumber is the mobile agent's number; "" for a desk phone.
func (p *phoneOptions) dialNumber() string {
	if p.mobileMode() == "" {
		return ""
	}
	return strings.TrimSpace(p.dial.Text)
}

// deviceID is the device typed or picked: a picked option reads
// "<id> – <type name>".
func (p *phoneOptions) deviceID() string {
	if fs := strings.Fields(p.device.Text); len(fs) > 0 {
		return fs[0]
	}
	return ""
}

// onFind lists the extension's devices with the typed credentials.
func (p *phoneOptions) onFind() {
	in := p.f.input()
	if in.AgentID == "" || in.Password == "" || in.Extension == "" {
		p.showNote("Enter your agent ID, password and extension first.")
		return
	}
	dl, ok := p.f.s.sess.(deviceLister)
	if !ok {
		p.showNote("This connection cannot list devices: type the device ID.")
		return
	}
	p.find.Disable()
	p.showNote("Asking Finesse for the devices of extension " + in.Extension + "…")
	s := p.f.s
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		ctx, cancel := context.WithTimeout(s.ctx, commandTimeout)
		defer cancel()
		devs, err := dl.Devices(ctx, core.DeviceQuery{AgentID: in.AgentID, Password: in.Password, Extension: in.Extension})
		s.do(func() {
			p.showDevices(in.Extension, devs, err)
			p.refresh()
			s.refresh()
		})
	}()
}

func (p *phoneOptions) showDevices(ext string, devs []core.Device, err error) {
	var fe *core.FinesseError
	switch {
	case errors.As(err, &fe) && fe.Status == 404:
		p.showNote("Finesse lists no devices for extension " + ext + ": sign in without choosing one.")
		return
	case err != nil:
		p.showNote("Could not list the devices: " + err.Error())
		return
	}
	opts := make([]string, len(devs))
	for i, d := range devs {
		opts[i] = d.ID
		if d.TypeName != "" {
			opts[i] += " – " + d.TypeName
		}
	}
	p.listed = opts
	p.device.SetOptions(opts)
	if len(devs) == 1 {
		p.device.SetText(opts[0])
	}
	p.showNote(plural(len(devs), "device") + " on extension " + ext + ": pick one from the Device list.")
}

func (p *phoneOptions) showNote(s string) {
	p.note.SetText(s)
	p.note.Show()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// phoneWords name a mobile agent's number and the chosen device for the
// identity line, e.g. "mobile agent on 4085551234".
func phoneWords(a core.Agent) []string {
	var out []string
	if a.MobileMode != "" {
		out = append(out, "mobile agent on "+a.MobileDialNumber)
	}
	if a.ActiveDeviceID != "" {
		out = append(out, "device "+a.ActiveDeviceID)
	}
	return out
}

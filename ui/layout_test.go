package ui

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// longReason is the kind of technical error a failover used to put in the
// connection strip: one long line with no spaces to break at.
var longReason = "Get \"https://finesse-a.example.com:8445/finesse/api/SystemInfo\": " +
	strings.Repeat("dial-tcp-10.20.30.40:8445-connect-connection-refused/", 30)

// windowSizes are the smallest and the usual softphone window.
var windowSizes = []fyne.Size{{Width: 320, Height: 480}, {Width: 420, Height: 700}}

// TestLayoutFitsNarrowWindowWithLongTexts fills every text that can grow
// (connection strip, error line, call card, Quit dialog) with the longest
// messages and checks that nothing asks for more width than the window has.
// A screenshot of each size is kept in $AGENTLINK_ARTIFACTS.
func TestLayoutFitsNarrowWindowWithLongTexts(t *testing.T) {
	for _, size := range windowSizes {
		f := newFixture(t, fixtureOpts{answer: finesse})
		f.signIn(core.StateTalking)
		f.sess.Apply(core.Update{Kind: core.UpdateSystem, System: &core.System{
			Status: core.OutOfService, Node: core.NodeB, Host: "finesse-b.very-long-subdomain.contact-centre.example.com",
			Reason: longReason}})
		d := coretest.Dialog("d1", "5001", strings.Repeat("4085550100", 8), core.PartActive, core.ActionHold, core.ActionDrop)
		d.QueueName = strings.Repeat("Premium-Support-Queue-", 6)
		d.Variables = []core.CallVariable{{Name: "callVariable1", Value: strings.Repeat("ACME-Corporation-Account-", 10)}}
		f.sess.Apply(coretest.DialogUpdate(d))
		f.waitFor("the call card", func() bool { return f.card("d1") != nil })
		f.ui(func() {
			f.s.errText = commandMessage("Hold", errorString(longReason))
			f.s.win.Resize(size)
			f.s.refresh()
		})
		f.ui(func() { assertFits(t, f.s.win, size, "softphone") })
		keepCapture(t, f, "layout-softphone", size)

		// Back in service: the strip shrinks again.
		f.sess.Apply(core.Update{Kind: core.UpdateSystem, System: &core.System{Status: core.InService, Node: core.NodeB, Host: "fb"}})
		f.waitFor("in service", func() bool { return f.s.m.System.Status == core.InService })
		f.ui(func() { assertFits(t, f.s.win, size, "softphone after recovery") })

		f.sess.Apply(coretest.Removed("d1"))
		f.waitFor("call gone", func() bool { return !f.s.m.callUp() })
		f.ui(func() {
			f.s.lists.logout = []core.ReasonCode{{ID: "1", Label: strings.Repeat("End of shift and going home ", 4)}}
			f.s.quit()
		})
		f.ui(func() {
			if f.s.quitAsk == nil {
				t.Fatal("no Quit prompt")
			}
			assertFits(t, f.s.win, size, "Quit dialog")
			if w := f.s.quitAsk.dialog.MinSize().Width; w > size.Width {
				t.Errorf("%v: Quit dialog wants %.0f px, window is %.0f", size, w, size.Width)
			}
		})
		keepCapture(t, f, "layout-quit", size)
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

// assertFits fails when the window's content (and any overlay) needs to be
// wider than the window: a real window would grow to fit it.
func assertFits(t *testing.T, w fyne.Window, size fyne.Size, what string) {
	t.Helper()
	if min := w.Content().MinSize(); min.Width > size.Width {
		t.Errorf("%v: %s needs %.0f px wide, window is %.0f", size, what, min.Width, size.Width)
	}
	for _, o := range w.Canvas().Overlays().List() {
		if min := o.MinSize(); min.Width > size.Width {
			t.Errorf("%v: %s overlay needs %.0f px wide, window is %.0f", size, what, min.Width, size.Width)
		}
	}
}

// keepCapture saves what the window draws as a test artefact.
func keepCapture(t *testing.T, f *fixture, name string, size fyne.Size) {
	t.Helper()
	dir := os.Getenv("AGENTLINK_ARTIFACTS")
	if dir == "" {
		return
	}
	path := filepath.Join(dir, name+"-"+sizeName(size)+".png")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	// Lay out afresh at the final size, as a real window does on refresh;
	// as UI work, since the session's events redraw widgets meanwhile.
	var img image.Image
	f.ui(func() {
		f.s.win.Resize(size.AddWidthHeight(1, 1))
		f.s.win.Resize(size)
		img = f.s.win.Canvas().Capture()
	})
	if err := png.Encode(out, img); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

func sizeName(s fyne.Size) string {
	return fmt.Sprintf("%.0fx%.0f", s.Width, s.Height)
}

// TestFitGridDropsColumns checks the button grid's column choice.
func TestFitGridDropsColumns(t *testing.T) {
	g := &fitGrid{cols: 3}
	for _, c := range []struct {
		width float32
		want  int
	}{{0, 3}, {400, 3}, {250, 2}, {100, 1}} {
		if got := g.columns(100, c.width, 3); got != c.want {
			t.Errorf("columns(100, %v) = %d, want %d", c.width, got, c.want)
		}
	}
}

package ui

import (
	"context"

	"fyne.io/fyne/v2/widget"

	"github.com/agentlink/agentlink/core"
)

// Recording control (UCCX, Config.Recording): a Record button on each call
// card, enabled while the agent is talking on that call. Finesse sends no
// event when recording starts (not verified), so the card says "recording
// requested" once Finesse accepted the request.

const recordKey = "record"

// newRecordButton returns the card's Record button, or nil when the
// deployment has recording control off.
func (c *callCard) newRecordButton() *widget.Button {
	if !c.s.recording {
		return nil
	}
	return widget.NewButton("Record", c.onRecord)
}

func (c *callCard) updateRecord(d core.Dialog) {
	if c.record == nil {
		return
	}
	p, ok := d.Participant(c.s.m.Agent.Extension)
	setEnabled(c.record, ok && p.State == core.PartActive && !c.recorded && !c.s.busy[c.key(recordKey)])
	if c.recorded {
		c.record.SetText("Recording requested")
	}
}

func (c *callCard) onRecord() {
	id := c.id
	c.s.command(c.key(recordKey), "Record", func(ctx context.Context) error {
		return c.s.sess.Execute(ctx, core.Command{Kind: core.CmdStartRecording, DialogID: id})
	}, func(err error) {
		if err == nil {
			c.recorded = true
		}
	})
}

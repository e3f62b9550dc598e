package ui

import "github.com/agentlink/agentlink/core"

// model is the state the UI draws: a snapshot kept current by events. It is
// owned by the Fyne thread.
type model struct {
	Seq     uint64
	System  core.System
	Agent   core.Agent
	Dialogs []core.Dialog // in arrival order
	Media   []core.Media  // non-voice MRDs (media.go)
	// Queues and Messages are the queue statistics and team messages
	// (queues.go).
	Queues   []core.Queue
	Messages []core.TeamMessage
}

func modelFrom(s core.Snapshot) model {
	return model{Seq: s.Seq, System: s.System, Agent: s.Agent, Dialogs: append([]core.Dialog(nil), s.Dialogs...),
		Media: append([]core.Media(nil), s.Media...), Queues: s.Queues, Messages: s.TeamMessages}
}

// apply folds one event into m and returns the result; m is not changed.
func (m model) apply(ev core.Event) model {
	if ev.Seq != 0 {
		m.Seq = ev.Seq
	}
	switch ev.Kind {
	case core.EventSystem:
		if ev.System != nil {
			m.System = *ev.System
		}
	case core.EventAgent:
		if ev.Agent != nil {
			m.Agent = *ev.Agent
		}
	case core.EventDialog:
		if ev.Dialog != nil {
			m.Dialogs = upsertDialog(m.Dialogs, *ev.Dialog)
		}
	case core.EventDialogEnded:
		m.Dialogs = removeDialog(m.Dialogs, endedID(ev))
	case core.EventMedia:
		m.Media = append([]core.Media(nil), ev.Media...)
	case core.EventQueues, core.EventTeamMessage:
		m = m.applyBoard(ev) // queues.go
	}
	return m
}

func endedID(ev core.Event) string {
	if ev.Ended != nil {
		return ev.Ended.DialogID
	}
	if ev.Dialog != nil {
		return ev.Dialog.ID
	}
	return ""
}

func upsertDialog(ds []core.Dialog, d core.Dialog) []core.Dialog {
	out := make([]core.Dialog, 0, len(ds)+1)
	found := false
	for _, x := range ds {
		if x.ID == d.ID {
			x, found = d, true
		}
		out = append(out, x)
	}
	if !found {
		out = append(out, d)
	}
	return out
}

func removeDialog(ds []core.Dialog, id string) []core.Dialog {
	out := make([]core.Dialog, 0, len(ds))
	for _, x := range ds {
		if x.ID != id {
			out = append(out, x)
		}
	}
	return out
}

// dialog returns the dialog with the given id.
func (m model) dialog(id string) (core.Dialog, bool) {
	for _, d := range m.Dialogs {
		if d.ID == id {
			return d, true
		}
	}
	return core.Dialog{}, false
}

// current is the call the tray and shortcuts act on: a ringing call first,
// then an active one, then a held one, then the most recent.
func (m model) current() (core.Dialog, bool) {
	for _, want := range []core.ParticipantState{core.PartAlerting, core.PartActive, core.PartHeld} {
		for _, d := range m.Dialogs {
			if d.AgentState == want {
				return d, true
			}
		}
	}
	if n := len(m.Dialogs); n > 0 {
		return m.Dialogs[n-1], true
	}
	return core.Dialog{}, false
}

// callUp reports whether the agent has a call that quitting would abandon.
func (m model) callUp() bool {
	for _, d := range m.Dialogs {
		switch d.AgentState {
		case core.PartAlerting, core.PartActive, core.PartHeld, core.PartInitiating, core.PartInitiated:
			return true
		}
	}
	return false
}

// readyOffered says whether Ready makes sense now: Finesse moves an agent
// to READY only from Not Ready or wrap-up. Reserved, Talking and Hold
// refuse it, so the button and menu item are not offered then.
func readyOffered(a core.Agent) bool {
	switch a.State {
	case core.StateNotReady, core.StateWork, core.StateWorkReady:
		return true
	}
	return false
}

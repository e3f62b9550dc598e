package finesse

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/agentlink/agentlink/core"
)

// mediaTracker keeps the agent's non-voice MRDs (UCCE Media Routing
// Domains) and the open tasks in each, and hands the whole list to the sink
// whenever it changes (core.UpdateMedia). AgentLink shows them; it does not
// act on tasks.
type mediaTracker struct {
	mu    sync.Mutex
	order []string                   // mrd ids as Finesse listed them
	media map[string]core.Media      // by mrd id
	tasks map[string]map[string]bool // mrd id -> open task (dialog) ids
}

// mediaNode says whether node is one of the agent's Media nodes, and which
// MRD: /finesse/api/User/<id>/Media/<mrdId>[/Dialogs].
func mediaNode(node string) (mrd string, ok bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(node), apiPrefix)
	if !ok {
		return "", false
	}
	p := strings.Split(rest, "/")
	if len(p) < 4 || len(p) > 5 || !strings.EqualFold(p[0], "User") || !strings.EqualFold(p[2], "Media") || p[3] == "" {
		return "", false
	}
	if len(p) == 5 && !strings.EqualFold(p[4], "Dialogs") {
		return "", false
	}
	return p[3], true
}

func mediaFromWire(w *wireMedia) core.Media {
	m := core.Media{
		ID:           firstNonEmpty(lastSegment(w.URI), strings.TrimSpace(w.MRDID), strings.TrimSpace(w.ID)),
		Name:         strings.TrimSpace(w.Name),
		Description:  strings.TrimSpace(w.Description),
		State:        core.AgentState(strings.ToUpper(strings.TrimSpace(w.State))),
		ReasonCodeID: strings.TrimSpace(w.ReasonCodeID),
		Routable:     strings.EqualFold(strings.TrimSpace(w.Routable), "true"),
		Since:        parseTime(w.StateChange),
	}
	if w.ReasonCode != nil {
		m.ReasonLabel = strings.TrimSpace(w.ReasonCode.Label)
	}
	return m
}

// taskOpen says whether a non-voice dialog still counts as a task in
// progress. Cisco's nonvoice dialog states include OFFERED, ACCEPTED,
// ACTIVE, PAUSED, WRAPPING_UP, INTERRUPTED and CLOSED; only CLOSED ends it.
func taskOpen(t *wireTask) bool {
	return !strings.EqualFold(strings.TrimSpace(t.State), "CLOSED")
}

func taskID(t *wireTask) string {
	return firstNonEmpty(strings.TrimSpace(t.ID), lastSegment(t.URI))
}

// reset replaces everything with a fresh read (resync).
func (t *mediaTracker) reset(list []wireMedia, tasks []wireTask) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.order, t.media, t.tasks = nil, map[string]core.Media{}, map[string]map[string]bool{}
	for i := range list {
		t.upsertLocked(mediaFromWire(&list[i]))
	}
	for i := range tasks {
		t.taskLocked(strings.TrimSpace(tasks[i].MediaProperties.MediaID), &tasks[i], "POST")
	}
}

func (t *mediaTracker) upsertLocked(m core.Media) {
	if m.ID == "" {
		return
	}
	if t.media == nil {
		t.media, t.tasks = map[string]core.Media{}, map[string]map[string]bool{}
	}
	if _, ok := t.media[m.ID]; !ok {
		t.order = append(t.order, m.ID)
	}
	t.media[m.ID] = m
}

// taskLocked records a task event; verb is the Update's event (POST, PUT,
// DELETE).
func (t *mediaTracker) taskLocked(mrd string, w *wireTask, verb string) {
	id := taskID(w)
	if mrd == "" || id == "" {
		return
	}
	if t.tasks == nil {
		t.media, t.tasks = map[string]core.Media{}, map[string]map[string]bool{}
	}
	if t.tasks[mrd] == nil {
		t.tasks[mrd] = map[string]bool{}
	}
	if verb == "DELETE" || !taskOpen(w) {
		delete(t.tasks[mrd], id)
		return
	}
	t.tasks[mrd][id] = true
}

// list returns the MRDs in Finesse's order with their task counts.
func (t *mediaTracker) list() []core.Media {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]core.Media, 0, len(t.order))
	for _, id := range t.order {
		m := t.media[id]
		m.Tasks = len(t.tasks[id])
		out = append(out, m)
	}
	return out
}

// notified applies one Media notification; it returns an error update to
// pass on, if the notification was an asynchronous Media error.
func (t *mediaTracker) notified(mrd string, u *wireMediaUpdate) *core.Update {
	verb := strings.ToUpper(strings.TrimSpace(u.Event))
	d := u.Data
	if d.APIErrors != nil {
		fe := finesseError(0, d.APIErrors)
		fe.RequestID = strings.TrimSpace(u.RequestID)
		return &core.Update{Kind: core.UpdateError, RequestID: fe.RequestID, Err: fe}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if d.Media != nil {
		m := mediaFromWire(d.Media)
		if m.ID == "" {
			m.ID = mrd
		}
		t.upsertLocked(m)
	}
	if d.Dialogs != nil {
		for i := range d.Dialogs.Dialogs {
			t.taskLocked(mrd, &d.Dialogs.Dialogs[i], verb)
		}
	}
	if d.Dialog != nil {
		t.taskLocked(mrd, d.Dialog, verb)
	}
	return nil
}

// deliverMedia handles an item published on a Media node; it reports
// whether the item was one.
func (s *supervisor) deliverMedia(it pubsubItem) bool {
	mrd, ok := mediaNode(it.node)
	if !ok {
		return false
	}
	payload, err := notificationPayload(it.inner)
	var u wireMediaUpdate
	if err == nil {
		err = decodeXML(payload, "Update", &u)
	}
	if err != nil {
		s.l.cfg.Logger.Warn("finesse media notification dropped", "node", it.node, "err", err)
		return true
	}
	before := s.l.media.list()
	if e := s.l.media.notified(mrd, &u); e != nil {
		s.sink.Apply(*e)
		return true
	}
	if after := s.l.media.list(); !slices.Equal(before, after) {
		s.sink.Apply(core.Update{Kind: core.UpdateMedia, Media: after})
	}
	return true
}

// resyncMedia reads the agent's MRDs and open tasks after a (re)connect.
// A deployment without non-voice MRDs (UCCX, or UCCE without them) answers
// with an error or an empty list: the agent then has voice only, which is
// no reason to fail the session.
func (s *supervisor) resyncMedia(ctx context.Context, ep Endpoint, c creds) {
	var list wireMediaList
	if err := s.l.rest.get(ctx, ep, c, userPath(c.user)+"/Media", "MediaList", &list); err != nil {
		if !noMediaAPI(err) {
			s.l.cfg.Logger.Warn("finesse media list not read", "err", err)
		}
		list.Media = nil
	}
	var tasks wireTasks
	if len(list.Media) > 0 {
		if err := s.l.rest.get(ctx, ep, c, userPath(c.user)+"/Dialogs/Media", "Dialogs", &tasks); err != nil && !noMediaAPI(err) {
			s.l.cfg.Logger.Warn("finesse non-voice dialogs not read", "err", err)
		}
	}
	s.l.media.reset(list.Media, tasks.Dialogs)
	s.sink.Apply(core.Update{Kind: core.UpdateMedia, Media: s.l.media.list()})
}

// noMediaAPI says the server has no Media API for this agent (UCCX, older
// releases): 400, 404, 405 or 501.
func noMediaAPI(err error) bool {
	var fe *core.FinesseError
	if !errors.As(err, &fe) {
		return false
	}
	switch fe.Status {
	case http.StatusBadRequest, http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusNotImplemented:
		return true
	}
	return false
}

// Media returns the agent's non-voice MRDs as last read (for tests and
// doctor; the session gets them through the sink).
func (l *Link) Media() []core.Media { return l.media.list() }

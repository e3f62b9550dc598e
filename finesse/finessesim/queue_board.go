package finessesim

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Queue statistics notifications and supervisor team messages.
//
// Queues (reference §2.8, §6.3): GET User/{id}/Queues and Queue/{id} are in
// rest_config.go; here the waiting calls set through the control API and
// the Queue PUT published on /finesse/api/Queue/{id} to sessions that
// subscribed to it. Finesse publishes at most every 10 s and only on change;
// the simulator publishes at once on each change (tests need no 10 s wait).
//
// Team messages (Finesse 11.6+): a supervisor's TeamMessage
// {uri,id,createdBy{id,firstName,lastName},createdAt (epoch s),duration (s),
// content,teams{team}} as documented for the TeamMessage object. The list
// resource and the notification node are taken as
// /finesse/api/Team/{teamId}/TeamMessages with a POST (new) or DELETE
// (withdrawn) Update carrying <teamMessage>; Cisco's pages seen do not show
// the node, so QueueConfig.TeamMessageNode can change it.

// QueueConfig configures queue statistics and team messages.
type QueueConfig struct {
	// TeamMessageNode is the pub-sub node team messages are published on,
	// with {teamId} replaced; default /finesse/api/Team/{teamId}/TeamMessages.
	TeamMessageNode string
}

func (c QueueConfig) node(team string) string {
	n := c.TeamMessageNode
	if n == "" {
		n = "/finesse/api/Team/{teamId}/TeamMessages"
	}
	return strings.ReplaceAll(n, "{teamId}", team)
}

// boardState is what the control API set; Sim.mu guards it.
type boardState struct {
	waiting map[string]queueWait // by queue id
	msgs    []teamMessage
	nextMsg int
}

type queueWait struct {
	calls  int
	oldest time.Time
}

type teamMessage struct {
	wire    wireTeamMessage
	teams   []string
	expires time.Time // zero: until deleted
}

type wireTeamMessage struct {
	URI       string `xml:"uri"`
	ID        string `xml:"id"`
	CreatedBy struct {
		ID        string `xml:"id"`
		FirstName string `xml:"firstName"`
		LastName  string `xml:"lastName"`
	} `xml:"createdBy"`
	CreatedAt string   `xml:"createdAt"`
	Duration  string   `xml:"duration"`
	Content   string   `xml:"content"`
	Teams     []string `xml:"teams>team"`
}

func queueNode(id string) string { return "/finesse/api/Queue/" + id }

// overrideQueue applies the control API's waiting calls to q (UCCE only:
// UCCX reports -1).
func (s *Sim) overrideQueue(q *wireQueue, id string) {
	if s.cfg.Deployment == UCCX {
		return
	}
	s.mu.Lock()
	wq, ok := s.board.waiting[id]
	s.mu.Unlock()
	if !ok {
		return
	}
	q.Statistics.CallsInQueue = strconv.Itoa(wq.calls)
	q.Statistics.StartTimeOfLongestCallInQueue = ""
	if wq.calls > 0 && !wq.oldest.IsZero() {
		q.Statistics.StartTimeOfLongestCallInQueue = wq.oldest.UTC().Format("2006-01-02T15:04:05Z")
	}
}

// ErrUnknownQueue is returned for a queue id the simulator does not have.
var ErrUnknownQueue = errors.New("finessesim: unknown queue")

// SetQueueWaiting sets how many calls wait in queue id and since when the
// oldest waits, then publishes the queue on its node.
func (s *Sim) SetQueueWaiting(id string, calls int, oldest time.Time) error {
	i := slices.IndexFunc(queues, func(q struct{ ID, Name string }) bool { return q.ID == id })
	if i < 0 {
		return fmt.Errorf("%w %q", ErrUnknownQueue, id)
	}
	if calls < 0 {
		return fmt.Errorf("finessesim: calls waiting %d: want 0 or more", calls)
	}
	s.mu.Lock()
	if s.board.waiting == nil {
		s.board.waiting = map[string]queueWait{}
	}
	s.board.waiting[id] = queueWait{calls: calls, oldest: oldest}
	s.mu.Unlock()
	q := s.queueStats(id, queues[i].Name)
	doc := updateDoc(encodeRoot(q, "Queue"), "PUT", "", queueNode(id))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliverLocked(event{subNode: queueNode(id), pubsubNode: queueNode(id), doc: doc})
	return nil
}

// PostTeamMessage broadcasts content from supervisor from (a name) to
// team for dur (0 = until deleted) and returns the message id.
func (s *Sim) PostTeamMessage(team, from, content string, dur time.Duration) (string, error) {
	if strings.TrimSpace(content) == "" {
		return "", errors.New("finessesim: team message: content is empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.board.nextMsg++
	now := s.now()
	id := fmt.Sprintf("tm-%d", s.board.nextMsg)
	m := teamMessage{teams: []string{team}}
	m.wire = wireTeamMessage{URI: "/finesse/api/TeamMessage/" + id, ID: id, CreatedAt: strconv.FormatInt(now.Unix(), 10),
		Duration: strconv.Itoa(int(dur / time.Second)), Content: content, Teams: m.teams}
	m.wire.CreatedBy.ID = "supervisor"
	m.wire.CreatedBy.FirstName, m.wire.CreatedBy.LastName, _ = strings.Cut(from, " ")
	if dur > 0 {
		m.expires = now.Add(dur)
	}
	s.board.msgs = append(s.board.msgs, m)
	s.publishTeamMessageLocked(m, "POST")
	return id, nil
}

// DeleteTeamMessage withdraws a team message.
func (s *Sim) DeleteTeamMessage(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.board.msgs, func(m teamMessage) bool { return m.wire.ID == id })
	if i < 0 {
		return fmt.Errorf("finessesim: team message %q: not found", id)
	}
	m := s.board.msgs[i]
	s.board.msgs = slices.Delete(s.board.msgs, i, i+1)
	s.publishTeamMessageLocked(m, "DELETE")
	return nil
}

func (s *Sim) publishTeamMessageLocked(m teamMessage, verb string) {
	for _, team := range m.teams {
		node := s.cfg.Queues.node(team)
		doc := updateDoc(encodeRoot(m.wire, "teamMessage"), verb, "", m.wire.URI)
		s.deliverLocked(event{subNode: node, pubsubNode: node, doc: doc})
	}
}

// getTeamMessages serves the team's active messages to its members.
func (n *Node) getTeamMessages(w http.ResponseWriter, r *http.Request) {
	if !n.teamMember(w, r) {
		return
	}
	s, tid := n.sim, r.PathValue("tid")
	var out struct {
		Msgs []wireTeamMessage `xml:"TeamMessage"`
	}
	s.mu.Lock()
	now := s.now()
	for _, m := range s.board.msgs {
		if slices.Contains(m.teams, tid) && (m.expires.IsZero() || now.Before(m.expires)) {
			out.Msgs = append(out.Msgs, m.wire)
		}
	}
	s.mu.Unlock()
	writeXML(w, out, "TeamMessages")
}

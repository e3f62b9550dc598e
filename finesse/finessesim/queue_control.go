package finessesim

import (
	"errors"
	"net/http"
	"time"
)

// Control API for queue statistics and team messages (queue_board.go).

type ctlQueueBody struct {
	CallsInQueue   *int `json:"callsInQueue"`
	LongestWaitSec int  `json:"longestWaitSec"`
}

// ctlQueue sets a queue's waiting calls; the oldest has waited
// longestWaitSec.
func (s *Sim) ctlQueue(w http.ResponseWriter, r *http.Request) {
	var b ctlQueueBody
	if !decodeJSON(w, r, &b) {
		return
	}
	if b.CallsInQueue == nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "callsInQueue is required"})
		return
	}
	oldest := time.Time{}
	if *b.CallsInQueue > 0 {
		oldest = s.now().Add(-time.Duration(b.LongestWaitSec) * time.Second)
	}
	if err := s.SetQueueWaiting(r.PathValue("qid"), *b.CallsInQueue, oldest); err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, ErrUnknownQueue) {
			status = http.StatusNotFound
		}
		writeJSON(w, status, map[string]string{"error": err.Error()})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type ctlTeamMessageBody struct {
	From        string `json:"from"`
	Content     string `json:"content"`
	DurationSec int    `json:"durationSec"`
}

func (s *Sim) ctlTeamMessage(w http.ResponseWriter, r *http.Request) {
	var b ctlTeamMessageBody
	if !decodeJSON(w, r, &b) {
		return
	}
	if b.From == "" {
		b.From = "Supervisor"
	}
	id, err := s.PostTeamMessage(r.PathValue("tid"), b.From, b.Content, time.Duration(b.DurationSec)*time.Second)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": id})
}

func (s *Sim) ctlDeleteTeamMessage(w http.ResponseWriter, r *http.Request) {
	if err := s.DeleteTeamMessage(r.PathValue("id")); err != nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

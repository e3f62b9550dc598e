package finesse

import (
	"net"
	"strconv"
	"sync"
)

// unavailableStreak is how many 503 answers in a row make a side unusable.
// One 503 can be a single overloaded request; three in a row, with REST
// commands failing each time, is a Finesse that cannot serve the agent even
// though its SystemInfo (when it answers) and XMPP may still look fine.
const unavailableStreak = 3

// unavailable counts consecutive 503 answers per REST endpoint and signals
// the supervisor when a streak reaches unavailableStreak.
type unavailable struct {
	mu     sync.Mutex
	streak map[string]int // by host:port
	c      chan struct{}  // cap 1: a streak was reached
}

func newUnavailable() *unavailable {
	return &unavailable{streak: map[string]int{}, c: make(chan struct{}, 1)}
}

// note records one REST answer's status from ep.
func (u *unavailable) note(ep Endpoint, status int) {
	key := net.JoinHostPort(ep.Host, strconv.Itoa(ep.RESTPort))
	u.mu.Lock()
	defer u.mu.Unlock()
	if status != 503 {
		delete(u.streak, key)
		return
	}
	u.streak[key]++
	if u.streak[key] == unavailableStreak {
		select {
		case u.c <- struct{}{}:
		default:
		}
	}
}

// failing reports whether ep's REST API is in a 503 streak.
func (u *unavailable) failing(ep Endpoint) bool {
	key := net.JoinHostPort(ep.Host, strconv.Itoa(ep.RESTPort))
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.streak[key] >= unavailableStreak
}

// signal fires when some endpoint's streak reaches unavailableStreak.
func (u *unavailable) signal() <-chan struct{} { return u.c }

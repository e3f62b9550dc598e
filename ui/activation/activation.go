// Package activation is the agentlink: URL a Windows toast's buttons
// launch (protocol activation): Windows starts a new agentlink.exe with
// the URL as its argument, and that process hands it to the running
// AgentLink over the single-instance channel. The URL is untrusted input
// (any web page or program can launch agentlink:), so [Parse] accepts
// exactly the two forms [Answer] and [Show] produce and nothing else.
//
// It is standard library only, so the nogui build of cmd/agentlink can
// parse a URL without linking the UI toolkit.
package activation

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Scheme is the URL scheme AgentLink registers (per user, by the MSI).
const Scheme = "agentlink"

// The verbs a URL carries.
const (
	VerbAnswer = "answer" // answer the named ringing call
	VerbShow   = "show"   // bring the window forward
)

// Request is one parsed URL: DialogID is set for VerbAnswer only.
type Request struct {
	Verb     string
	DialogID string
}

// dialogID is what a Finesse dialog id may look like here: Finesse's are
// digits; letters, '-', '.' and '_' leave room for other deployments. 64
// is the longest toast tag Windows accepts.
var dialogID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// ValidDialogID says whether id can travel in a URL and a toast tag.
func ValidDialogID(id string) bool { return dialogID.MatchString(id) }

// Answer is the URL of the Answer button for dialogID. The id must pass
// [ValidDialogID]; it needs no escaping then.
func Answer(dialogID string) string { return Scheme + ":" + VerbAnswer + "?dialog=" + dialogID }

// Show is the URL of a click on the notification or its Show button.
func Show() string { return Scheme + ":" + VerbShow }

// ErrNotActivation says the text does not start with the agentlink: scheme
// at all (so it is not meant for this package).
var ErrNotActivation = errors.New("not an agentlink: URL")

// IsActivation says whether arg looks like an agentlink: URL (a command
// line argument Windows passes on protocol activation).
func IsActivation(arg string) bool {
	return len(arg) > len(Scheme) && strings.EqualFold(arg[:len(Scheme)+1], Scheme+":")
}

// Parse reads an agentlink: URL strictly: "agentlink:show" or
// "agentlink:answer?dialog=ID" (Windows may append a trailing '/' to a
// protocol argument; one is tolerated). Anything else is refused with
// the reason.
func Parse(raw string) (Request, error) {
	if !IsActivation(raw) {
		return Request{}, ErrNotActivation
	}
	rest := strings.TrimSuffix(raw[len(Scheme)+1:], "/")
	verb, query, hasQuery := strings.Cut(rest, "?")
	switch strings.ToLower(verb) {
	case VerbShow:
		if hasQuery {
			return Request{}, fmt.Errorf("agentlink:show takes no parameters, got %q", query)
		}
		return Request{Verb: VerbShow}, nil
	case VerbAnswer:
		id, ok := strings.CutPrefix(query, "dialog=")
		if !hasQuery || !ok {
			return Request{}, errors.New("agentlink:answer needs the call: agentlink:answer?dialog=ID")
		}
		if !ValidDialogID(id) {
			return Request{}, fmt.Errorf("agentlink:answer: %q is not a call id (letters, digits, '.', '-', '_'; at most 64)", clip(id))
		}
		return Request{Verb: VerbAnswer, DialogID: id}, nil
	}
	return Request{}, fmt.Errorf("unknown agentlink: request %q: AgentLink knows agentlink:answer?dialog=ID and agentlink:show", clip(verb))
}

// String is the request as a URL again.
func (r Request) String() string {
	if r.Verb == VerbAnswer {
		return Answer(r.DialogID)
	}
	return Show()
}

// clip shortens untrusted text quoted in an error.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

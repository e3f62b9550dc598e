// Package desknotify shows desktop notifications that Fyne's
// SendNotification cannot: ones with action buttons (Answer), an urgency,
// and that the app can withdraw again (the caller hung up). On Linux and
// FreeBSD it speaks the freedesktop.org Desktop Notifications protocol
// (org.freedesktop.Notifications on the session bus) itself; elsewhere
// [Dial] returns [ErrUnsupported] and the caller falls back to Fyne's
// plain notifications.
package desknotify

import "errors"

// ErrUnsupported is returned by [Dial] where this package has no
// implementation (Windows, macOS).
var ErrUnsupported = errors.New("desknotify: no notification server support on this platform")

// Urgency is the freedesktop urgency hint: a server may keep a Critical
// notification on screen until it is withdrawn or dismissed.
type Urgency byte

// The urgency levels the specification defines.
const (
	Low      Urgency = 0
	Normal   Urgency = 1
	Critical Urgency = 2
)

// DefaultAction is the action key a server invokes when the notification
// itself is clicked; its label is often not shown.
const DefaultAction = "default"

// Capabilities the specification names that this package looks at.
const (
	CapActions    = "actions"     // the server shows action buttons
	CapBodyMarkup = "body-markup" // the server reads the body as markup
)

// Action is one button: Key comes back in [Event.Action], Label is shown.
type Action struct {
	Key, Label string
}

// Notification is what [Client.Notify] shows. Body is plain text; it is
// escaped for servers that read markup.
type Notification struct {
	AppName  string
	Title    string
	Body     string
	Urgency  Urgency
	Actions  []Action // only shown by servers with CapActions
	Replaces uint32   // the id of a notification this one updates in place; 0: a new one
	// Sticky asks the server not to expire it (expire_timeout 0): it stays
	// until withdrawn or dismissed. Otherwise the server's default applies.
	Sticky bool
	// Tag names what the notification is about (the ringing call's dialog
	// id) for platforms that address notifications by tag (Windows toasts,
	// ui/internal/wintoast); the freedesktop server ignores it.
	Tag string
}

// CloseReason says why a notification went away (the specification's codes).
type CloseReason uint32

// The close reasons the specification defines.
const (
	ClosedExpired   CloseReason = 1
	ClosedDismissed CloseReason = 2 // by the user
	ClosedByCall    CloseReason = 3 // withdrawn by CloseNotification
	ClosedUndefined CloseReason = 4
)

// Event is what the server reported about one of this client's
// notifications: an action invoked (Action set) or the notification closed.
type Event struct {
	ID     uint32
	Action string      // the invoked action's key; "" when closed
	Closed bool        // the notification went away
	Reason CloseReason // why, when Closed
}

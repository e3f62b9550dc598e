//go:build linux || freebsd

package desknotify

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/godbus/dbus/v5"
)

const (
	busName = "org.freedesktop.Notifications"
	objPath = dbus.ObjectPath("/org/freedesktop/Notifications")
	iface   = "org.freedesktop.Notifications"
)

// Client talks to the notification server on one session bus connection.
// Its methods are safe for concurrent use.
type Client struct {
	conn   *dbus.Conn
	obj    dbus.BusObject
	sigs   chan *dbus.Signal
	events chan Event
	done   chan struct{}
	wg     sync.WaitGroup

	mu     sync.Mutex // guards server and markup
	server string     // unique bus name of the server that took our last Notify
	markup bool       // the server reads bodies as markup (last Capabilities)
}

// Dial connects to the session bus at address ("" for the user's session
// bus, from DBUS_SESSION_BUS_ADDRESS) and subscribes to the server's
// signals. No server needs to run yet: calls fail until one does.
func Dial(address string) (*Client, error) {
	var conn *dbus.Conn
	var err error
	if address == "" {
		conn, err = dbus.ConnectSessionBus()
	} else {
		conn, err = dbus.Connect(address)
	}
	if err != nil {
		return nil, fmt.Errorf("desknotify: session bus: %w", err)
	}
	err = conn.AddMatchSignal(dbus.WithMatchInterface(iface), dbus.WithMatchObjectPath(objPath))
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("desknotify: subscribing to %s signals: %w", iface, err)
	}
	c := &Client{conn: conn, obj: conn.Object(busName, objPath), sigs: make(chan *dbus.Signal, 16),
		events: make(chan Event, 16), done: make(chan struct{})}
	conn.Signal(c.sigs)
	c.wg.Add(1)
	go c.relay()
	return c, nil
}

// Events delivers the server's ActionInvoked and NotificationClosed
// signals for any notification; the caller matches them on the id Notify
// returned. It is closed by Close.
func (c *Client) Events() <-chan Event { return c.events }

// Capabilities asks the server what it supports (GetCapabilities).
func (c *Client) Capabilities(ctx context.Context) ([]string, error) {
	var caps []string
	if err := c.obj.CallWithContext(ctx, iface+".GetCapabilities", 0).Store(&caps); err != nil {
		return nil, fmt.Errorf("desknotify: GetCapabilities: %w", err)
	}
	c.mu.Lock()
	c.markup = slices.Contains(caps, CapBodyMarkup)
	c.mu.Unlock()
	return caps, nil
}

// Notify shows n and returns its id. Call Capabilities first for the body
// to be escaped on servers that read markup.
func (c *Client) Notify(ctx context.Context, n Notification) (uint32, error) {
	actions := make([]string, 0, 2*len(n.Actions))
	for _, a := range n.Actions {
		actions = append(actions, a.Key, a.Label)
	}
	hints := map[string]dbus.Variant{"urgency": dbus.MakeVariant(byte(n.Urgency))}
	timeout := int32(-1)
	if n.Sticky {
		timeout = 0
	}
	c.mu.Lock()
	body := n.Body
	if c.markup {
		body = escapeMarkup(body)
	}
	c.mu.Unlock()
	call := c.obj.CallWithContext(ctx, iface+".Notify", 0,
		n.AppName, n.Replaces, "", n.Title, body, actions, hints, timeout)
	var id uint32
	if err := call.Store(&id); err != nil {
		return 0, fmt.Errorf("desknotify: Notify: %w", err)
	}
	c.learnServer(ctx)
	return id, nil
}

// Withdraw closes notification id (CloseNotification). The server answers
// with a NotificationClosed event (reason ClosedByCall).
func (c *Client) Withdraw(ctx context.Context, id uint32) error {
	if err := c.obj.CallWithContext(ctx, iface+".CloseNotification", 0, id).Err; err != nil {
		return fmt.Errorf("desknotify: CloseNotification %d: %w", id, err)
	}
	return nil
}

// Close ends the connection and closes Events.
func (c *Client) Close() error {
	select {
	case <-c.done:
		return nil
	default:
	}
	close(c.done)
	err := c.conn.Close()
	c.conn.RemoveSignal(c.sigs)
	c.wg.Wait()
	close(c.events)
	return err
}

// learnServer records the unique bus name of the notification server, so
// that relay ignores look-alike signals another program on the bus sends.
func (c *Client) learnServer(ctx context.Context) {
	var owner string
	err := c.conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.GetNameOwner", 0, busName).Store(&owner)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil {
		c.server = owner
	}
}

// relay turns the server's signals into Events until Close.
func (c *Client) relay() {
	defer c.wg.Done()
	for {
		select {
		case <-c.done:
			return
		case sig, ok := <-c.sigs:
			if !ok {
				return
			}
			ev, ok := c.eventOf(sig)
			if !ok {
				continue
			}
			select {
			case c.events <- ev:
			case <-c.done:
				return
			}
		}
	}
}

// eventOf decodes one signal, or says it is not one of the server's.
func (c *Client) eventOf(sig *dbus.Signal) (Event, bool) {
	c.mu.Lock()
	server := c.server
	c.mu.Unlock()
	if sig.Path != objPath || server == "" || sig.Sender != server {
		return Event{}, false
	}
	switch sig.Name {
	case iface + ".ActionInvoked":
		var ev Event
		if dbus.Store(sig.Body, &ev.ID, &ev.Action) != nil {
			return Event{}, false
		}
		return ev, true
	case iface + ".NotificationClosed":
		var id, reason uint32
		if dbus.Store(sig.Body, &id, &reason) != nil {
			return Event{}, false
		}
		return Event{ID: id, Closed: true, Reason: CloseReason(reason)}, true
	}
	return Event{}, false
}

// escapeMarkup makes s safe as a body for servers that read markup.
var markupEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escapeMarkup(s string) string { return markupEscaper.Replace(s) }

package wintoast

import (
	"context"
	"errors"
	"strconv"
	"sync"

	"github.com/agentlink/agentlink/ui/internal/desknotify"
)

// Notifier is the Windows side of the shell's deskNotifier
// (ui/callalert.go). Its methods are safe for concurrent use.
type Notifier struct {
	appID  string
	run    func(ctx context.Context, script string) error // PowerShell on Windows; tests record
	events chan desknotify.Event

	mu   sync.Mutex
	next uint32
	tags map[uint32]string // notification id → its toast tag (still shown, as far as we know)
}

// NewWith is a Notifier that hands each script to run instead of
// PowerShell: tests record them.
func NewWith(appID string, run func(ctx context.Context, script string) error) *Notifier {
	return newNotifier(appID, run)
}

func newNotifier(appID string, run func(context.Context, string) error) *Notifier {
	return &Notifier{appID: appID, run: run, events: make(chan desknotify.Event, 16), tags: map[uint32]string{}}
}

// Capabilities says toasts have action buttons.
func (*Notifier) Capabilities(context.Context) ([]string, error) {
	return []string{desknotify.CapActions}, nil
}

// Notify shows n as a toast tagged n.Tag (a dialog id; Answer needs one),
// or a tag of its own when n has none. Replacing keeps the id: a toast
// with the same tag and group replaces the one shown.
func (t *Notifier) Notify(ctx context.Context, n desknotify.Notification) (uint32, error) {
	t.mu.Lock()
	id := n.Replaces
	if _, ok := t.tags[id]; !ok || id == 0 {
		t.next++
		id = t.next
	}
	tag := n.Tag
	if tag == "" {
		tag = "n" + strconv.FormatUint(uint64(id), 10)
	}
	t.mu.Unlock()
	if err := t.run(ctx, showScript(t.appID, tag, toastXML(n, tag))); err != nil {
		return 0, err
	}
	t.mu.Lock()
	t.tags[id] = tag
	t.mu.Unlock()
	return id, nil
}

// Withdraw removes notification id's toast.
func (t *Notifier) Withdraw(ctx context.Context, id uint32) error {
	t.mu.Lock()
	tag, ok := t.tags[id]
	delete(t.tags, id)
	t.mu.Unlock()
	if !ok {
		return nil
	}
	return t.run(ctx, removeScript(t.appID, tag))
}

// Events carries the Answer clicks [Notifier.Activate] was fed.
func (t *Notifier) Events() <-chan desknotify.Event { return t.events }

// errNotShown says no toast of this notifier carries the tag.
var errNotShown = errors.New("wintoast: no notification shown for that call")

// Activate reports an Answer click on the toast tagged dialogID, which
// came back through a protocol launch. A tag it did not show (an old
// toast, a forged URL) is refused.
func (t *Notifier) Activate(dialogID string) error {
	t.mu.Lock()
	var id uint32
	for i, tag := range t.tags {
		if tag == dialogID {
			id = i
		}
	}
	t.mu.Unlock()
	if id == 0 {
		return errNotShown
	}
	select {
	case t.events <- desknotify.Event{ID: id, Action: actionAnswer}:
		return nil
	default:
		return errors.New("wintoast: too many clicks pending")
	}
}

// Close does nothing: every PowerShell run has ended with its call.
func (*Notifier) Close() error { return nil }

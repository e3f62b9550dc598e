package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// requestTimeout bounds one bridge request.
const requestTimeout = 15 * time.Second

// frame is any message from the bridge: a response or an event.
type frame struct {
	ID     string          `json:"id"`
	OK     bool            `json:"ok"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	Event string    `json:"event"`
	Seq   uint64    `json:"seq"`
	Data  eventData `json:"data"` // decoded in the same pass: toolbars parse every event
}

// eventData holds the fields of event payloads the figures look at; each
// event kind fills its own subset.
type eventData struct {
	State      string `json:"state"`      // AgentState, Dialog
	Status     string `json:"status"`     // System
	Node       string `json:"node"`       // System
	ID         string `json:"id"`         // Dialog, DialogEnded
	AgentState string `json:"agentState"` // Dialog
}

// Event is one event as a toolbar received it.
type Event struct {
	Name string
	Seq  uint64
	At   time.Time
	Data eventData
}

// BridgeError is a failed bridge request.
type BridgeError struct{ Code, Message string }

func (e *BridgeError) Error() string { return "bridge: " + e.Code + ": " + e.Message }

// toolbar is a CRM toolbar client of the bridge, as a local program
// (bearer token, no Origin). It checks the sequence numbers of every event.
type toolbar struct {
	conn *websocket.Conn
	// light makes the reader take only the event name and seq of events
	// (see parseHead); the rate figure sets it so that the toolbars, which
	// share this process's CPU with the app, cost as little as possible.
	light   atomic.Bool
	nextID  atomic.Uint64
	onEvent atomic.Pointer[func(Event)]

	mu      sync.Mutex
	pending map[string]chan frame // guarded by mu
	lastSeq uint64                // guarded by mu
	events  int                   // guarded by mu
	gaps    int                   // guarded by mu: events missing before one that arrived
	dups    int                   // guarded by mu: events at or below lastSeq
	err     error                 // guarded by mu: why the connection ended

	done chan struct{}
}

// dialToolbar connects, says Hello and Connects (fresh snapshot).
func dialToolbar(ctx context.Context, addr, token string) (*toolbar, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	hdr := http.Header{"Authorization": {"Bearer " + token}}
	conn, _, err := websocket.Dial(ctx, "ws://"+addr+"/v1/bridge", &websocket.DialOptions{HTTPHeader: hdr})
	if err != nil {
		return nil, fmt.Errorf("dial bridge: %w", err)
	}
	conn.SetReadLimit(4 << 20)
	tb := &toolbar{conn: conn, pending: map[string]chan frame{}, done: make(chan struct{})}
	go tb.read()
	if _, err := tb.request(ctx, "Hello", nil); err != nil {
		tb.Close()
		return nil, err
	}
	res, err := tb.request(ctx, "Connect", map[string]any{"agentId": chainAgent.ID})
	if err != nil {
		tb.Close()
		return nil, err
	}
	var cr struct {
		Seq uint64 `json:"seq"`
	}
	if err := json.Unmarshal(res, &cr); err != nil {
		tb.Close()
		return nil, fmt.Errorf("connect result: %w", err)
	}
	tb.mu.Lock()
	// Events after the snapshot may already have arrived; they are checked
	// against the snapshot's seq only if none did.
	if tb.events == 0 {
		tb.lastSeq = cr.Seq
	}
	tb.mu.Unlock()
	return tb, nil
}

// read is the one reader of the connection.
func (tb *toolbar) read() {
	defer close(tb.done)
	for {
		_, data, err := tb.conn.Read(context.Background())
		at := time.Now()
		if err != nil {
			tb.mu.Lock()
			tb.err = err
			tb.mu.Unlock()
			return
		}
		if tb.light.Load() {
			if name, seq, ok := parseHead(data); ok {
				tb.count(seq)
				if fn := tb.onEvent.Load(); fn != nil {
					(*fn)(Event{Name: name, Seq: seq, At: at})
				}
				continue
			}
		}
		var f frame
		if err := json.Unmarshal(data, &f); err != nil {
			tb.conn.Close(websocket.StatusInvalidFramePayloadData, "bad json")
			continue
		}
		if f.Event == "" {
			tb.deliver(f)
			continue
		}
		ev := Event{Name: f.Event, Seq: f.Seq, At: at, Data: f.Data}
		tb.count(ev.Seq)
		if fn := tb.onEvent.Load(); fn != nil {
			(*fn)(ev)
		}
	}
}

func (tb *toolbar) deliver(f frame) {
	tb.mu.Lock()
	ch := tb.pending[f.ID]
	delete(tb.pending, f.ID)
	tb.mu.Unlock()
	if ch != nil {
		ch <- f
	}
}

// count checks seq against the last one seen.
func (tb *toolbar) count(seq uint64) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch {
	case tb.events > 0 && seq <= tb.lastSeq:
		tb.dups++
		return
	case tb.lastSeq > 0 && seq > tb.lastSeq+1:
		tb.gaps += int(seq - tb.lastSeq - 1)
	}
	tb.events++
	tb.lastSeq = seq
}

// SetOnEvent installs fn to be called (on the reader goroutine) for every
// event; nil removes it. fn must not block.
func (tb *toolbar) SetOnEvent(fn func(Event)) {
	if fn == nil {
		tb.onEvent.Store(nil)
		return
	}
	tb.onEvent.Store(&fn)
}

// Stats returns the events counted so far, the sequence gaps and duplicates,
// and the error that ended the connection (nil while open).
func (tb *toolbar) Stats() (events, gaps, dups int, lastSeq uint64, err error) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return tb.events, tb.gaps, tb.dups, tb.lastSeq, tb.err
}

// request sends a command and waits for its response.
func (tb *toolbar) request(ctx context.Context, cmd string, args any) (json.RawMessage, error) {
	id := "r" + strconv.FormatUint(tb.nextID.Add(1), 10)
	msg := map[string]any{"id": id, "cmd": cmd}
	if args != nil {
		msg["args"] = args
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", cmd, err)
	}
	ch := make(chan frame, 1)
	tb.mu.Lock()
	tb.pending[id] = ch
	tb.mu.Unlock()
	defer func() {
		tb.mu.Lock()
		delete(tb.pending, id)
		tb.mu.Unlock()
	}()
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	if err := tb.conn.Write(ctx, websocket.MessageText, data); err != nil {
		return nil, fmt.Errorf("send %s: %w", cmd, err)
	}
	select {
	case f := <-ch:
		if !f.OK {
			if f.Error == nil {
				return nil, &BridgeError{Code: "?", Message: "failed without an error"}
			}
			return nil, &BridgeError{Code: f.Error.Code, Message: f.Error.Message}
		}
		return f.Result, nil
	case <-tb.done:
		return nil, fmt.Errorf("%s: connection closed", cmd)
	case <-ctx.Done():
		return nil, fmt.Errorf("%s: %w", cmd, ctx.Err())
	}
}

// Close closes the connection and waits for the reader.
func (tb *toolbar) Close() {
	_ = tb.conn.Close(websocket.StatusNormalClosure, "bench done")
	select {
	case <-tb.done:
	case <-time.After(5 * time.Second):
		_ = tb.conn.CloseNow()
		<-tb.done
	}
}

func closeAll(tbs []*toolbar) {
	var wg sync.WaitGroup
	for _, tb := range tbs {
		wg.Go(tb.Close)
	}
	wg.Wait()
}

// checkClients reports toolbars that lost or duplicated events, or whose
// connection ended.
func checkClients(tbs []*toolbar) error {
	var errs []error
	for i, tb := range tbs {
		_, gaps, dups, _, err := tb.Stats()
		if gaps > 0 || dups > 0 || err != nil {
			errs = append(errs, fmt.Errorf("client %d: %d missing, %d duplicate events, connection error %v", i, gaps, dups, err))
		}
	}
	return errors.Join(errs...)
}

// parseHead reads the event name and seq from the start of an event frame.
// The bridge encodes events as {"event":"...","seq":N,"data":...} in that
// order (a Go struct); anything else reports !ok and gets a full parse.
func parseHead(data []byte) (name string, seq uint64, ok bool) {
	rest, found := bytes.CutPrefix(data, []byte(`{"event":"`))
	if !found {
		return "", 0, false
	}
	end := bytes.IndexByte(rest, '"')
	if end <= 0 {
		return "", 0, false
	}
	name, rest = string(rest[:end]), rest[end+1:]
	if rest, found = bytes.CutPrefix(rest, []byte(`,"seq":`)); !found {
		return "", 0, false
	}
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	seq, err := strconv.ParseUint(string(rest[:n]), 10, 64)
	if err != nil || n == len(rest) || rest[n] != ',' && rest[n] != '}' {
		return "", 0, false
	}
	return name, seq, true
}

package localbridge

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/time/rate"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/localbridge/peercred"
)

// Limits of a WebSocket client.
const (
	maxFrame      = 64 << 10 // larger frames close the connection with 1009
	outQueueLen   = 256      // responses waiting for the writer
	maxInFlight   = 16       // concurrent commands per client
	writeTimeout  = 10 * time.Second
	commandBudget = 30 * time.Second // upper bound on one command
)

// Close codes we use besides the library's.
const (
	statusGoingAway = websocket.StatusGoingAway
	statusPolicy    = websocket.StatusPolicyViolation // 1008
	statusTryLater  = websocket.StatusTryAgainLater   // 1013
)

// client states: what the client has done so far.
const (
	stateNew = iota
	stateHello
	stateConnected
)

// outItem is one entry of a client's FIFO send queue: a frame to write and,
// after a Connect, the watcher whose events follow that frame.
type outItem struct {
	data  []byte
	watch watcher
}

// client is one WebSocket connection.
type client struct {
	id      string          // read-only
	origin  string          // read-only; "" for token clients
	since   time.Time       // read-only
	srv     *Server         // read-only
	conn    *websocket.Conn // safe for concurrent use
	limiter *rate.Limiter   // used by the read goroutine only
	out     chan outItem    // FIFO to the writer; never blocked on
	slots   chan struct{}   // in-flight command slots
	scopeMu sync.Mutex      // guards scopes and scopeOf: a pairing narrows them from its own goroutine
	scopes  scopeSet        // what this client may do (scopes.go)
	scopeOf string          // the origin those scopes are for
	auth    clientAuth      // pairing and proof (proof.go, pairing.go)
	peer    peercred.Peer   // read-only; the OS user and process (peer.go)
	// embedder is the origin of the CRM page framing the bridge's own
	// toolbar, as the toolbar reported it (Hello embeddedBy), for the audit
	// trail. Set once by the read goroutine before any command.
	embedder string

	lastRead atomic.Int64 // frames read so far, for watchSilence (limits.go)
	// writeCtx and writeTimer belong to the writer goroutine (write);
	// writeExpired is set by the timer when it cut a frame short.
	writeCtx     context.Context
	writeTimer   *time.Timer
	writeExpired atomic.Bool
	closeOnce    sync.Once
	closing      chan struct{} // closed by fail; closeCode/closeReason set before
	closeCode    websocket.StatusCode
	closeReason  string
	cmdWG        sync.WaitGroup // command goroutines

	mu    sync.Mutex // guards the fields below
	state int
	agent string
	lease bool      // takes part in the screen-pop lease (owner.go)
	seen  time.Time // last Connect or ClaimOwner, to pick the next owner
}

func newClientID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return "c-" + hex.EncodeToString(b)
}

func (c *client) info() ClientInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	return ClientInfo{ID: c.id, Origin: c.origin, Since: c.since, Agent: c.agent, Owner: c.srv.ownerID() == c.id, Peer: c.peer}
}

func (s *Server) serveBridge(w http.ResponseWriter, r *http.Request) {
	origin, _ := originOf(r)
	// Origins were already matched exactly by checkOrigin (the library's own
	// check is a glob on host names, which is not what we want).
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		s.log.Debug("bridge websocket accept failed", "err", err)
		return
	}
	conn.SetReadLimit(maxFrame)
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		_ = conn.Close(statusGoingAway, "AgentLink is shutting down")
		return
	}
	ctx := s.runCtx
	c := &client{
		id: newClientID(), origin: origin, since: s.cfg.Now(), srv: s, conn: conn, peer: peerOf(r.Context()),
		limiter: rate.NewLimiter(s.cfg.RateLimit, s.cfg.Burst),
		out:     make(chan outItem, outQueueLen),
		slots:   make(chan struct{}, maxInFlight),
		scopes:  s.scopesFor(origin), scopeOf: origin,
		closing: make(chan struct{}),
	}
	s.clients[c.id] = c
	s.clientWG.Add(1)
	s.mu.Unlock()
	defer s.clientWG.Done()
	// An origin denied between the origin check and the registration above
	// would otherwise keep its connection.
	if origin != "" && !s.selfOrigin(origin) && !s.origins.allowed(origin) {
		c.fail(statusGoingAway, "origin denied by the agent")
	}
	s.log.Info("bridge client connected", "client", c.id, "origin", origin, "peer", peerLabel(c.peer))
	s.events.add(levelInfo, "toolbar connected", c.id+" "+originLabel(origin)+" by "+peerLabel(c.peer))
	s.notifyChanged()

	c.run(ctx)
	s.endPairing(c)

	s.mu.Lock()
	delete(s.clients, c.id)
	s.mu.Unlock()
	s.releaseOwner(c.id)
	s.log.Info("bridge client disconnected", "client", c.id)
	s.events.add(levelInfo, "toolbar disconnected", c.id)
	s.notifyChanged()
}

func originLabel(o string) string {
	if o == "" {
		return "(local program)"
	}
	return o
}

// run serves the connection until it ends. Order of shutdown: the reader
// stops, the writer stops, commands finish, the watcher is closed.
func (c *client) run(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { c.writeLoop(ctx) })
	wg.Go(func() { c.watchSilence(ctx) })
	wg.Go(func() {
		select {
		case <-c.closing:
			_ = c.conn.Close(c.closeCode, c.closeReason) // unblocks the reader
		case <-ctx.Done():
		}
	})
	c.readLoop(ctx)
	cancel()
	wg.Wait()
	c.cmdWG.Wait()
	c.conn.CloseNow() //nolint:errcheck // already closed in most cases
	for {
		select {
		case it := <-c.out:
			if it.watch != nil {
				it.watch.Close()
			}
		default:
			return
		}
	}
}

func (c *client) readLoop(ctx context.Context) {
	for {
		typ, data, err := c.conn.Read(ctx)
		c.lastRead.Add(1)
		if err != nil {
			if websocket.CloseStatus(err) == -1 && !errors.Is(err, context.Canceled) {
				c.srv.log.Debug("bridge client read ended", "client", c.id, "err", err)
			}
			return
		}
		if typ != websocket.MessageText {
			c.reply("", nil, &RequestError{Code: CodeBadJSON, Message: "send JSON in text frames"})
			continue
		}
		c.handle(ctx, data)
	}
}

// writeLoop is the only writer of frames: responses in order, then the
// events of the current watcher.
func (c *client) writeLoop(ctx context.Context) {
	var w watcher
	var evs <-chan core.Event
	c.armWriter(ctx)
	defer c.writeTimer.Stop()
	defer func() {
		if w != nil {
			w.Close()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case it := <-c.out:
			if it.data != nil && !c.write(ctx, it.data) {
				if it.watch != nil {
					it.watch.Close()
				}
				return
			}
			if it.watch != nil {
				if w != nil {
					w.Close()
				}
				w, evs = it.watch, it.watch.Events()
			}
		case ev, ok := <-evs:
			if !ok {
				c.watcherEnded(w.Err())
				evs = nil
				continue
			}
			if data, ok := c.srv.frames.frame(ev); ok && !c.write(ctx, data) {
				return
			}
		}
	}
}

func (c *client) watcherEnded(err error) {
	if errors.Is(err, core.ErrSlowWatcher) {
		c.srv.log.Warn("bridge client too slow", "client", c.id)
		c.srv.events.add(levelWarn, "toolbar too slow, cut off", c.id)
		c.srv.noteSlowClient(c)
		c.fail(statusTryLater, "too slow: reconnect with since")
		return
	}
	c.fail(statusGoingAway, "session watch ended")
}

// write writes one frame within writeTimeout. It is on the path of every
// event to every toolbar, so it allocates nothing: instead of a context
// with a deadline per frame (a timer, a cancel context and the library's
// AfterFunc on it, each time), the writer's one timer closes the connection
// when a frame takes too long, and the frame is written under a context
// without cancellation (the library then arms nothing). A cancelled ctx
// still ends a blocked write: the reader's ctx closes the connection.
func (c *client) write(ctx context.Context, data []byte) bool {
	if ctx.Err() != nil {
		return false
	}
	c.writeTimer.Reset(c.srv.cfg.writeTimeout)
	err := c.conn.Write(c.writeCtx, websocket.MessageText, data)
	if !c.writeTimer.Stop() && err == nil {
		err = errWriteTimeout // finished just as the timer closed the connection
	}
	if err != nil {
		c.srv.log.Debug("bridge client write failed", "client", c.id, "err", err)
		if c.writeExpired.Load() && ctx.Err() == nil {
			c.srv.noteSlowClient(c) // its socket stayed full for writeTimeout: not reading
		}
		return false
	}
	return true
}

// errWriteTimeout is a frame the write timer cut short.
var errWriteTimeout = errors.New("frame write timed out")

// armWriter prepares write: the context frames are written under and the
// timer that closes the connection when one takes longer than writeTimeout.
func (c *client) armWriter(ctx context.Context) {
	c.writeCtx = context.WithoutCancel(ctx)
	c.writeTimer = time.AfterFunc(time.Hour, func() {
		c.writeExpired.Store(true)
		c.conn.CloseNow() //nolint:errcheck // the write in progress fails
	})
	c.writeTimer.Stop()
}

// enqueue puts an item on the send queue without blocking. A client whose
// queue is full is not reading: it is cut off so it cannot hold memory.
func (c *client) enqueue(it outItem) bool {
	select {
	case c.out <- it:
		return true
	default:
		if it.watch != nil {
			it.watch.Close()
		}
		c.srv.noteSlowClient(c)
		c.fail(statusPolicy, "too slow: send queue full")
		return false
	}
}

// fail closes the connection once with a code and reason; the reader then
// ends and run cleans up.
func (c *client) fail(code websocket.StatusCode, reason string) {
	c.closeOnce.Do(func() {
		c.closeCode, c.closeReason = code, reason
		close(c.closing)
	})
}

func (c *client) reply(id string, result any, rerr *RequestError) {
	resp := wireResponse{ID: id, OK: rerr == nil, Result: result}
	if rerr != nil {
		resp.Error = rerr.wire()
	}
	data, err := json.Marshal(resp)
	if err != nil {
		data, _ = json.Marshal(wireResponse{ID: id, Error: &wireError{Code: CodeInternal, Message: "cannot encode result"}})
	}
	c.enqueue(outItem{data: data})
}

// encodeEvent is the bridge's JSON encoding of one event.
func encodeEvent(ev core.Event) ([]byte, bool) {
	we, ok := toWireEvent(ev)
	if !ok {
		return nil, false
	}
	data, err := json.Marshal(we)
	return data, err == nil
}

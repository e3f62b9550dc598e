package localbridge

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/time/rate"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// wsPair returns a client of srv on the server end of a real loopback
// WebSocket connection, and the far end, which reads only if the test does.
func wsPair(t *testing.T, writeTO time.Duration) (*client, *websocket.Conn) {
	t.Helper()
	sess := core.NewSession(core.Config{Port: &coretest.Port{}, Logger: discard()})
	srv, err := New(Config{Addr: "127.0.0.1:0", Token: testToken, Logger: discard(), RateLimit: rate.Inf, Session: sess})
	if err != nil {
		t.Fatal(err)
	}
	srv.cfg.writeTimeout = writeTO
	accepted := make(chan *websocket.Conn, 1)
	hold := make(chan struct{})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		accepted <- c
		<-hold // the handler owns the connection until the test ends
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	far, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(hs.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	near := <-accepted
	t.Cleanup(func() { far.CloseNow(); near.CloseNow(); close(hold); hs.Close() })
	return &client{id: "c-test", srv: srv, conn: near}, far
}

// TestEventWriteAllocatesNothing: writing a frame to a toolbar is on the
// path of every event to every toolbar, so it must not allocate (a
// deadline context per frame cost ~600 bytes per toolbar per event, and
// the garbage collections it caused set the fan-out p99).
func TestEventWriteAllocatesNothing(t *testing.T) {
	c, _ := wsPair(t, time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c.armWriter(ctx)
	frame := []byte(`{"event":"AgentState","seq":1}`)
	// 100 small frames fit the socket buffers: the far end need not read.
	allocs := testing.AllocsPerRun(100, func() {
		if !c.write(ctx, frame) {
			t.Fatal("write failed")
		}
	})
	if allocs != 0 {
		t.Errorf("a frame write allocates %.1f times, want 0", allocs)
	}
}

// TestWriteTimeoutCutsOffNonReader: a toolbar that stops reading fills its
// socket; the frame that then blocks fails after writeTimeout, the
// connection is closed and the client is noted as too slow.
func TestWriteTimeoutCutsOffNonReader(t *testing.T) {
	c, _ := wsPair(t, 300*time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c.armWriter(ctx)
	big := []byte(`{"event":"x","pad":"` + strings.Repeat("x", 60<<10) + `"}`)
	start := time.Now()
	for i := 0; ; i++ {
		if !c.write(ctx, big) {
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatalf("still writing after %d frames and 10s: the write timeout never fired", i)
		}
	}
	if !c.writeExpired.Load() {
		t.Error("the write failed, but not because the write timer fired")
	}
	if !hasFault(c.srv.faults.list(), "toolbar too slow") {
		t.Errorf("faults %+v: want \"toolbar too slow\"", c.srv.faults.list())
	}
	// A cancelled context ends writing at once, without the timer.
	c2, _ := wsPair(t, time.Hour)
	c2.armWriter(ctx)
	cancel()
	if c2.write(ctx, big) {
		t.Error("write with a cancelled context succeeded")
	}
}

func hasFault(fs []monitorFault, kind string) bool {
	for _, f := range fs {
		if f.Kind == kind {
			return true
		}
	}
	return false
}

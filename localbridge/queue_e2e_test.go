package localbridge_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coder/websocket"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestE2EPhoneBookPagesAndQueues: through the real chain (simulator, link,
// session, bridge), GetPhoneBook returns a 2500-contact team book that the
// simulator only hands out 1000 at a time, and a queue change and a team
// message reach a local client as Queues and TeamMessage events.
func TestE2EPhoneBookPagesAndQueues(t *testing.T) {
	t.Parallel()
	c := startChainSim(t, finessesim.Config{PhoneBooks: finessesim.PhoneBookConfig{LargeTeamBook: 2500, MaxObjects: 1000}}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws://"+c.srv.Addr()+"/v1/bridge", &websocket.DialOptions{
		HTTPHeader: http.Header{"Authorization": {"Bearer " + c.token}}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	conn.SetReadLimit(4 << 20)
	frames := make(chan map[string]json.RawMessage, 256)
	go func() {
		defer close(frames)
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				return
			}
			var f map[string]json.RawMessage
			if json.Unmarshal(data, &f) == nil {
				frames <- f
			}
		}
	}()
	var seen []map[string]json.RawMessage // frames an earlier await passed over
	await := func(what string, match func(map[string]json.RawMessage) bool) map[string]json.RawMessage {
		t.Helper()
		for i, f := range seen {
			if match(f) {
				seen = append(seen[:i:i], seen[i+1:]...)
				return f
			}
		}
		for {
			select {
			case f, ok := <-frames:
				if !ok {
					t.Fatalf("connection closed waiting for %s", what)
				}
				if match(f) {
					return f
				}
				seen = append(seen, f)
			case <-ctx.Done():
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}
	call := func(id, req string) map[string]json.RawMessage {
		t.Helper()
		if err := conn.Write(ctx, websocket.MessageText, []byte(req)); err != nil {
			t.Fatal(err)
		}
		f := await("response "+id, func(f map[string]json.RawMessage) bool { return string(f["id"]) == `"`+id+`"` })
		if string(f["ok"]) != "true" {
			t.Fatalf("%s: %s", req, f["error"])
		}
		return f
	}
	call("1", `{"id":"1","cmd":"Hello"}`)
	call("2", `{"id":"2","cmd":"Connect","args":{"agentId":"1001"}}`)
	call("3", `{"id":"3","cmd":"Login","args":{"agentId":"1001","extension":"5001","password":"secret1"}}`)
	await("the agent's queues", func(f map[string]json.RawMessage) bool {
		return string(f["event"]) == `"Queues"` && strings.Contains(string(f["data"]), `"Sales"`)
	})
	f := call("4", `{"id":"4","cmd":"GetPhoneBook"}`)
	var pb struct {
		Contacts []struct {
			PhoneBook, Number, BookType string
		}
	}
	if err := json.Unmarshal(f["result"], &pb); err != nil {
		t.Fatal(err)
	}
	if len(pb.Contacts) != 2503 || pb.Contacts[2502].PhoneBook != "Large Team Book" || pb.Contacts[2502].BookType != "TEAM" {
		t.Fatalf("GetPhoneBook = %d contacts (last %+v), want 2503 ending in the large team book", len(pb.Contacts), pb.Contacts[len(pb.Contacts)-1])
	}
	// The link subscribes after its GETs: repeat the change until the
	// event comes.
	deadline := time.Now().Add(10 * time.Second)
	for got := false; !got; {
		if err := c.sim.SetQueueWaiting("7002", 4, time.Now().Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		select {
		case f := <-frames:
			got = string(f["event"]) == `"Queues"` && strings.Contains(string(f["data"]), `"callsWaiting":4`)
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("no Queues event with 4 waiting")
		}
	}
	if _, err := c.sim.PostTeamMessage("10", "Sam Super", "Storm: expect volume", time.Minute); err != nil {
		t.Fatal(err)
	}
	await("the team message", func(f map[string]json.RawMessage) bool {
		return string(f["event"]) == `"TeamMessage"` && strings.Contains(string(f["data"]), "Storm: expect volume")
	})
}

// TestToolbarQueuesAndTeamMessage: the reference toolbar shows the queue
// figures in its header and a supervisor's message in its notice line.
func TestToolbarQueuesAndTeamMessage(t *testing.T) {
	ctx := browser(t)
	c := startChainSim(t, finessesim.Config{}, nil)
	tb := c.signedInToolbar(t, ctx)
	tb.run("queues in the header", chromedp.Poll(`document.getElementById("queues").textContent === "Sales 0 waiting | Support 0 waiting"`,
		nil, chromedp.WithPollingInFrame(tb.frame)))
	// The link subscribes after its GETs: repeat each change until the
	// toolbar shows it.
	repeat := func(change func()) (stop func()) {
		done := make(chan struct{})
		finished := make(chan struct{})
		go func() {
			defer close(finished)
			tick := time.NewTicker(200 * time.Millisecond)
			defer tick.Stop()
			for {
				change()
				select {
				case <-done:
					return
				case <-tick.C:
				}
			}
		}()
		return func() { close(done); <-finished }
	}
	stop := repeat(func() { _ = c.sim.SetQueueWaiting("7001", 2, time.Now().Add(-time.Minute)) })
	tb.run("waiting calls", chromedp.Poll(`document.getElementById("queues").textContent.startsWith("Sales 2 waiting")`,
		nil, chromedp.WithPollingInFrame(tb.frame)))
	stop()
	stop = repeat(func() { _, _ = c.sim.PostTeamMessage("10", "Sam Super", "Storm: expect volume", time.Minute) })
	tb.run("team message", chromedp.Poll(`document.getElementById("notice").textContent === "Sam Super: Storm: expect volume"`,
		nil, chromedp.WithPollingInFrame(tb.frame)))
	stop()
}

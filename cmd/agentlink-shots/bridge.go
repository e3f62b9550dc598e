package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// bridge is a local program's connection to the app's bridge (bearer token,
// no Origin), the way cmd/agentlink's binary tests connect.
type bridge struct {
	conn *websocket.Conn
	mu   sync.Mutex
	cond chan struct{} // closed and replaced on every frame
	last agentView
	ids  map[string]frame      // command answers by id
	dlgs map[string]dialogView // the dialogs up now, by id
	next int
}

type frame struct {
	ID     string          `json:"id"`
	OK     bool            `json:"ok"`
	Result json.RawMessage `json:"result"`
	Event  string          `json:"event"`
	Data   json.RawMessage `json:"data"`
	Error  *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// agentView is what the pictures wait on: the agent's state.
type agentView struct {
	State string `json:"state"`
}

// dialogView is the part of a Dialog event the pictures wait on.
type dialogView struct {
	ID         string `json:"id"`
	AgentState string `json:"agentState"`
}

func dialBridge(ctx context.Context, addr, token string) (*bridge, error) {
	h := http.Header{"Authorization": {"Bearer " + token}}
	conn, _, err := websocket.Dial(ctx, "ws://"+addr+"/v1/bridge", &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		return nil, fmt.Errorf("dialing the bridge: %w", err)
	}
	b := &bridge{conn: conn, cond: make(chan struct{}), ids: map[string]frame{}, dlgs: map[string]dialogView{}}
	go b.read(context.WithoutCancel(ctx))
	if _, err := b.do(ctx, "Hello", nil); err != nil {
		return nil, err
	}
	if _, err := b.do(ctx, "Connect", map[string]string{"agentId": "1001"}); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *bridge) read(ctx context.Context) {
	for {
		_, data, err := b.conn.Read(ctx)
		if err != nil {
			return
		}
		var f frame
		if json.Unmarshal(data, &f) != nil {
			continue
		}
		b.mu.Lock()
		if f.ID != "" {
			b.ids[f.ID] = f
			if f.ID == "Connect" && f.OK {
				var r struct {
					Snapshot struct {
						Agent agentView `json:"agent"`
					} `json:"snapshot"`
				}
				if json.Unmarshal(f.Result, &r) == nil {
					b.last = r.Snapshot.Agent
				}
			}
		}
		switch f.Event {
		case "AgentState":
			_ = json.Unmarshal(f.Data, &b.last)
		case "Dialog":
			var d dialogView
			if json.Unmarshal(f.Data, &d) == nil {
				b.dlgs[d.ID] = d
			}
		case "CallLog":
			// Act as the CRM: the call is "saved", so it leaves the outbox
			// and the window's "not yet logged" line. Writes may run
			// beside the reads; the answer is not waited for.
			var c struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(f.Data, &c) == nil && c.ID != "" {
				msg, _ := json.Marshal(map[string]any{"id": "ack-" + c.ID, "cmd": "AckCallLog",
					"args": map[string]string{"id": c.ID, "crmRef": "shots-" + c.ID}})
				go func() { _ = b.conn.Write(ctx, websocket.MessageText, msg) }()
			}
		case "DialogEnded":
			var d dialogView
			if json.Unmarshal(f.Data, &d) == nil {
				delete(b.dlgs, d.ID)
			}
		}
		close(b.cond)
		b.cond = make(chan struct{})
		b.mu.Unlock()
	}
}

// do sends a command and waits for its answer.
func (b *bridge) do(ctx context.Context, cmd string, args any) (json.RawMessage, error) {
	b.mu.Lock()
	b.next++
	id := cmd
	if cmd != "Hello" && cmd != "Connect" {
		id = cmd + "-" + strconv.Itoa(b.next)
	}
	b.mu.Unlock()
	msg, _ := json.Marshal(map[string]any{"id": id, "cmd": cmd, "args": args})
	if err := b.conn.Write(ctx, websocket.MessageText, msg); err != nil {
		return nil, fmt.Errorf("sending %s: %w", cmd, err)
	}
	var f frame
	err := b.until(ctx, 20*time.Second, "the answer to "+cmd, func() bool {
		var ok bool
		f, ok = b.ids[id]
		return ok
	})
	if err != nil {
		return nil, err
	}
	if !f.OK {
		if f.Error != nil {
			return nil, fmt.Errorf("%s: %s: %s", cmd, f.Error.Code, f.Error.Message)
		}
		return nil, fmt.Errorf("%s failed", cmd)
	}
	return f.Result, nil
}

// waitState waits for the agent to reach state.
func (b *bridge) waitState(ctx context.Context, state string) error {
	return b.until(ctx, 20*time.Second, "agent state "+state, func() bool { return b.last.State == state })
}

// until waits, with a deadline, for cond (checked under b.mu) to hold.
func (b *bridge) until(ctx context.Context, d time.Duration, what string, cond func() bool) error {
	deadline := time.After(d)
	for {
		b.mu.Lock()
		ok, ch, last := cond(), b.cond, b.last
		b.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-deadline:
			return fmt.Errorf("timed out waiting for %s (agent state %q)", what, last.State)
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
		}
	}
}

// waitDialogs waits until the agent has n dialogs whose agent states are
// all in states (any state when states is empty).
func (b *bridge) waitDialogs(ctx context.Context, n int, states ...string) error {
	return b.until(ctx, 20*time.Second, fmt.Sprintf("%d dialogs %v", n, states), func() bool {
		if len(b.dlgs) != n {
			return false
		}
		for _, d := range b.dlgs {
			if len(states) > 0 && !slices.Contains(states, d.AgentState) {
				return false
			}
		}
		return true
	})
}

func (b *bridge) close() { _ = b.conn.CloseNow() }

// control posts (or deletes) on the simulator's control API.
func control(ctx context.Context, base, method, path string, body any) ([]byte, error) {
	var buf bytes.Buffer
	if body != nil {
		_ = json.NewEncoder(&buf).Encode(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, &buf)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("simulator %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	_, _ = out.ReadFrom(resp.Body)
	if resp.StatusCode >= 300 {
		return nil, fmt.Errorf("simulator %s %s: %s: %s", method, path, resp.Status, out.String())
	}
	return out.Bytes(), nil
}

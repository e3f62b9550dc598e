package main

import (
	"strings"
	"testing"
	"time"
)

// TestReadStdoutFindsControlAPI: the control API address comes out of the
// demo's announcement, and the output is drained to its end afterwards.
func TestReadStdoutFindsControlAPI(t *testing.T) {
	out := "Demo: Finesse simulator side A https://127.0.0.1:1/finesse/api, side B https://127.0.0.1:2/finesse/api, control API http://127.0.0.1:35621\n" +
		"Demo: agent 1001 (Alice Anders), extension 5001\n" +
		"AgentLink bridge: ws://127.0.0.1:3/v1/bridge\n" + strings.Repeat("more output\n", 1000)
	a := &app{}
	ready := make(chan struct{})
	done := make(chan struct{})
	go func() { a.readStdout(strings.NewReader(out), ready); close(done) }()
	for _, c := range []chan struct{}{ready, done} {
		select {
		case <-c:
		case <-time.After(5 * time.Second):
			t.Fatal("the announcement was not read to its end")
		}
	}
	if a.control != "http://127.0.0.1:35621" {
		t.Errorf("control = %q, want http://127.0.0.1:35621", a.control)
	}
}

// TestReadStdoutNotReadyWithoutBridge: without the bridge line the program
// does not go on.
func TestReadStdoutNotReadyWithoutBridge(t *testing.T) {
	a := &app{}
	ready := make(chan struct{})
	a.readStdout(strings.NewReader("Demo: … control API http://127.0.0.1:1\n"), ready) // returns at EOF
	select {
	case <-ready:
		t.Fatal("ready without the bridge line")
	default:
	}
}

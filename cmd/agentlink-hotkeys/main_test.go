package main

import (
	"bytes"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestUsage checks that a bad command line is refused with a clear
// message before any key is grabbed.
func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"answer=ctrl+alt+a"}, "--instance is required"},
		{[]string{"--instance", "x"}, "no hotkeys given"},
		{[]string{"--instance", "x", "answer=ctrl+alt+a", "hold=ctrl+alt+a"}, "ctrl+alt+a is given for both answer and hold"},
		{[]string{"--instance", "x", "answer=ctrl+alt+a", "answer=ctrl+alt+b"}, "answer is given twice"},
		{[]string{"--instance", "x", "dance=ctrl+alt+a"}, "is not a binding"},
	} {
		var out, errOut bytes.Buffer
		if code := run(tc.args, nil, &out, &errOut); code != exitUsage || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("run(%q) = %d, stderr %q; want %d and %q", tc.args, code, errOut.String(), exitUsage, tc.want)
		}
	}
}

// TestNoDisplayClearMessage checks that without an X11 display the helper
// exits with its own message (the hotkey library panicked here instead).
func TestNoDisplayClearMessage(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("X11 only")
	}
	t.Setenv("DISPLAY", ":987")
	var out, errOut bytes.Buffer
	code := run([]string{"--instance", "x", "answer=ctrl+alt+a"}, nil, &out, &errOut)
	want := `agentlink-hotkeys: cannot open the X11 display :987: global hotkeys work on an X11 desktop only`
	if code != exitNoDisplay || !strings.HasPrefix(errOut.String(), want) || out.Len() != 0 {
		t.Errorf("run = %d, stdout %q, stderr %q; want %d and %q", code, out.String(), errOut.String(), exitNoDisplay, want)
	}
}

// TestTakenNamedOnStdout holds a reason hotkey in one helper; a second one
// asking for the same combination exits with exitGrab and names the verb
// and keys on stdout (AgentLink words that for the agent) and the config
// key to change on stderr.
func TestTakenNamedOnStdout(t *testing.T) {
	if runtime.GOOS != "linux" || os.Getenv("DISPLAY") == "" {
		t.Skip("needs an X11 display (scripts/test-env.sh starts Xvfb)")
	}
	stdin, hold := io.Pipe()
	first := make(chan int, 1)
	var out1 syncBuffer
	go func() {
		first <- run([]string{"--instance", "x", "--watch-stdin", "reason2=ctrl+alt+shift+f7"}, stdin, &out1, io.Discard)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out1.String(), "ready:") {
		if time.Now().After(deadline) {
			t.Fatalf("the first helper did not grab: %q", out1.String())
		}
		select {
		case code := <-first:
			t.Fatalf("the first helper exited %d", code)
		case <-time.After(20 * time.Millisecond):
		}
	}
	var out, errOut bytes.Buffer
	code := run([]string{"--instance", "x", "reason2=ctrl+alt+shift+f7"}, nil, &out, &errOut)
	hold.Close()
	<-first
	if code != exitGrab || out.String() != "taken: reason2 ctrl+alt+shift+f7\n" ||
		!strings.Contains(errOut.String(), "(ui.hotkey_not_ready_reasons)") {
		t.Errorf("run = %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}

// syncBuffer is a bytes.Buffer safe to read while run writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

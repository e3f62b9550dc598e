package main

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
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

package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"syscall"
	"testing"
)

// fullDisk writes at most room bytes in all, then fails like a full disk.
type fullDisk struct {
	buf  bytes.Buffer
	room int
}

func (d *fullDisk) Write(p []byte) (int, error) {
	n := min(len(p), d.room)
	d.buf.Write(p[:n])
	d.room -= n
	if n < len(p) {
		return n, syscall.ENOSPC
	}
	return n, nil
}

// TestLogOnFullDisk: records that do not fit are counted, the one cut
// short is ended so the next does not merge into it, stderr is told once,
// and the file says how many were dropped when space returns.
func TestLogOnFullDisk(t *testing.T) {
	t.Parallel()
	var one bytes.Buffer
	slog.New(slog.NewJSONHandler(&one, nil)).Info("call answered", "n", 0, "pad", strings.Repeat("x", 60))
	disk := &fullDisk{room: one.Len() * 3 / 2} // the first record fits, the second is torn
	var stderr bytes.Buffer
	fw := &failSafeWriter{w: disk, warn: &stderr}
	l := slog.New(slog.NewJSONHandler(fw, nil))
	for i := range 4 {
		l.Info("call answered", "n", i, "pad", strings.Repeat("x", 60)) // ~110 bytes each: the 2nd is torn
	}
	if got := strings.Count(stderr.String(), "cannot be written"); got != 1 {
		t.Errorf("stderr warned %d times, want once: %q", got, stderr.String())
	}
	disk.room = 1 << 20 // space freed
	l.Info("after", "n", 9)
	var lines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(disk.buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			if len(lines) == 1 { // the torn record: cut, but alone on its line
				continue
			}
			t.Fatalf("line %q is not JSON: records merged", line)
		}
		lines = append(lines, m)
	}
	if len(lines) != 3 || lines[1]["dropped"] != 3.0 || lines[2]["msg"] != "after" {
		t.Fatalf("file records = %v, want the first record, a note of 3 dropped, and the next record", lines)
	}
}

func TestLogWriterNeverFailsSlog(t *testing.T) {
	t.Parallel()
	fw := &failSafeWriter{w: &fullDisk{}, warn: &bytes.Buffer{}}
	if n, err := fw.Write([]byte("x\n")); n != 2 || err != nil {
		t.Errorf("Write on a full disk = %d, %v; want it counted, not an error slog would drop", n, err)
	}
	if fw.lost != 1 {
		t.Errorf("lost = %d, want 1", fw.lost)
	}
}

package main

import (
	"fmt"
	"io"
	"sync"
)

// failSafeWriter keeps the log file honest on a full or failing disk
// (issue 15): a record that cannot be written is counted, not silently
// lost; a record cut short by the failure is ended with a newline, so the
// next one never merges into it; stderr hears once that records are being
// dropped, and the file itself says how many when writes work again.
type failSafeWriter struct {
	w      io.Writer // the log file
	warn   io.Writer // stderr
	mu     sync.Mutex
	failed bool // the last write failed
	torn   bool // the last write stopped mid-record
	lost   int  // records dropped since the last good write
	warned bool
	faults *faultRelay // the Connector Monitor hears when writes fail and work again; may be nil
}

func (f *failSafeWriter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.torn {
		if _, err := f.w.Write([]byte("\n")); err != nil {
			return f.drop(p, err)
		}
		f.torn = false
	}
	if f.failed {
		note := fmt.Sprintf(`{"level":"WARN","msg":"log records dropped while the log file could not be written","dropped":%d}`+"\n", f.lost)
		if n, err := f.w.Write([]byte(note)); err != nil {
			f.torn = f.torn || n > 0
			return f.drop(p, err)
		}
		f.failed, f.lost = false, 0
		if f.faults != nil {
			f.faults.clear("logfile")
		}
	}
	n, err := f.w.Write(p)
	if err != nil {
		f.torn = n > 0 && n < len(p)
		return f.drop(p, err)
	}
	return n, nil
}

// drop counts a record that did not reach the file and says so once. It
// reports success to slog: the record still went to stderr through the
// other handler, and an error here would only be discarded.
func (f *failSafeWriter) drop(p []byte, err error) (int, error) {
	if !f.failed && f.faults != nil {
		f.faults.raise("logfile", "log file unwritable", err.Error()+"; records go to stderr only")
	}
	f.failed = true
	f.lost++
	if !f.warned {
		f.warned = true
		fmt.Fprintf(f.warn, "agentlink: the log file cannot be written (%v); its records are dropped, stderr keeps them\n", err)
	}
	return len(p), nil
}

// Close closes the underlying file when it can be closed.
func (f *failSafeWriter) Close() error {
	if c, ok := f.w.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

package main

import (
	"net/url"
	"os"
	"strings"
	"testing"
)

// TestMonitorLaunchURLKeepsTicketOffTheCommandLine: what the desktop hands to
// the browser (and so puts on a command line every user can read) names a
// file, not the ticket; the ticket is only in that file, readable by the
// agent alone, and the page forwards to the monitor.
func TestMonitorLaunchURLKeepsTicketOffTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	const monitor = "http://127.0.0.1:28445/monitor/?ticket=s3cr3t-t1cket"
	got, err := monitorLaunchURL(dir, monitor)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "s3cr3t") {
		t.Fatalf("launch URL %q carries the ticket", got)
	}
	u, err := url.Parse(got)
	if err != nil || u.Scheme != "file" {
		t.Fatalf("launch URL %q: want a file:// URL (%v)", got, err)
	}
	fi, err := os.Stat(u.Path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("launch page mode %v, want 0600", fi.Mode().Perm())
	}
	page, err := os.ReadFile(u.Path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `http-equiv="refresh" content="0;url=`+monitor) {
		t.Errorf("launch page does not forward to the monitor:\n%s", page)
	}
	again, err := monitorLaunchURL(dir, monitor)
	if err != nil || again == got {
		t.Errorf("second launch URL %q (%v): want a new page each time", again, err)
	}
}

package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

func TestParseScenario(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"", 0, false},
		{"calls=3/min", 20 * time.Second, false},
		{"calls:2/s", 500 * time.Millisecond, false},
		{"calls=1/h", time.Hour, false},
		{"calls=0/min", 0, true},
		{"calls=3/day", 0, true},
		{"rate=3/min", 0, true},
		{"calls=x/min", 0, true},
	} {
		got, err := parseScenario(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("parseScenario(%q): got %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestParseFlags(t *testing.T) {
	t.Parallel()
	o, err := parseFlags(nil)
	if err != nil {
		t.Fatal(err)
	}
	if o.cfg.NodeA.REST != 18445 || o.cfg.NodeB.XMPPTLS != 15233 || o.cfg.ControlAddr != "127.0.0.1:18400" {
		t.Errorf("defaults: got %+v %+v %q", o.cfg.NodeA, o.cfg.NodeB, o.cfg.ControlAddr)
	}
	o, err = parseFlags([]string{"--random-ports", "--deployment", "uccx", "--event-order", "random", "--seed", "7"})
	if err != nil {
		t.Fatal(err)
	}
	if o.cfg.NodeA.REST != 0 || o.cfg.Deployment != "UCCX" || o.cfg.EventOrder != finessesim.Random || o.cfg.Seed != 7 {
		t.Errorf("parsed: got %+v", o.cfg)
	}
	for _, bad := range [][]string{{"--event-order", "sideways"}, {"--scenario", "lots"}, {"extra"}, {"--log-level", "loud"}} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("parseFlags(%q): got nil error", bad)
		}
	}
}

func TestLoadAgents(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.toml", "[[agent]]\nid = \"2001\"\npassword = \"pw\"\nextension = \"6001\"\nfirst_name = \"Dee\"\nwrap_up = \"REQUIRED\"\n")
	agents, err := loadAgents(good)
	if err != nil || len(agents) != 1 || agents[0].ID != "2001" || agents[0].WrapUpOnIncoming != "REQUIRED" {
		t.Errorf("good file: got %+v, %v", agents, err)
	}
	for name, body := range map[string]string{
		"missing.toml": "[[agent]]\nid = \"2001\"\n",
		"unknown.toml": "[[agent]]\nid = \"2001\"\npassword = \"pw\"\nextension = \"6001\"\ncolour = \"red\"\n",
		"wrap.toml":    "[[agent]]\nid = \"2001\"\npassword = \"pw\"\nextension = \"6001\"\nwrap_up = \"SOMETIMES\"\n",
		"empty.toml":   "",
		"syntax.toml":  "[[agent]\n",
	} {
		if _, err := loadAgents(write(name, body)); err == nil {
			t.Errorf("%s: got nil error", name)
		}
	}
}

// TestRun starts the command's run loop on random ports and stops it.
func TestRun(t *testing.T) {
	t.Parallel()
	o, err := parseFlags([]string{"--random-ports", "--scenario", "calls=20/s", "--talk-time", "50ms", "--log-level", "error"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out strings.Builder
	done := make(chan error, 1)
	pr, pw, _ := os.Pipe()
	go func() { done <- run(ctx, o, pw); pw.Close() }()
	buf := make([]byte, 4096)
	n, _ := pr.Read(buf)
	out.Write(buf[:n])
	for !strings.Contains(out.String(), "Try: curl") {
		m, err := pr.Read(buf)
		if err != nil {
			t.Fatalf("banner incomplete: %q", out.String())
		}
		out.Write(buf[:m])
	}
	line := out.String()[strings.Index(out.String(), "Control API ")+len("Control API "):]
	ctl := strings.Fields(line)[0]
	resp, err := http.Get(ctl + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("healthz: got %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return after cancel")
	}
}

func TestParseMRDsAndDevices(t *testing.T) {
	o, err := parseFlags([]string{"--mrds", "5000=Chat, 5001=Email", "--devices", "5001=SEP1,5001=CSF2,5002=SEP3"})
	if err != nil {
		t.Fatal(err)
	}
	if len(o.cfg.MRDs) != 2 || o.cfg.MRDs[1] != (finessesim.MRDConfig{ID: "5001", Name: "Cisco_Email_MRD", Description: "Email"}) {
		t.Fatalf("MRDs = %+v", o.cfg.MRDs)
	}
	if d := o.cfg.Devices; len(d["5001"]) != 2 || d["5001"][1].ID != "CSF2" || len(d["5002"]) != 1 {
		t.Fatalf("Devices = %+v", d)
	}
	for _, bad := range [][]string{{"--mrds", "5000"}, {"--devices", "=SEP1"}} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("parseFlags(%q): no error", bad)
		}
	}
}

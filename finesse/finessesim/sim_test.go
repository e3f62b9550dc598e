package finessesim

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestStartOptions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startSim(t, Config{PlainHTTP: true, CADir: dir})
	if s.CAFile() != filepath.Join(dir, "ca.pem") {
		t.Errorf("CAFile: got %q, want it in CADir", s.CAFile())
	}
	b, err := os.ReadFile(s.CAFile())
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatalf("ca.pem is not PEM: %q", b)
	}
	ca, err := x509.ParseCertificate(blk.Bytes)
	if err != nil || !ca.IsCA {
		t.Fatalf("ca.pem: %v, IsCA %v", err, ca != nil && ca.IsCA)
	}
	url := s.Node(NodeB).RESTURL()
	if url[:7] != "http://" {
		t.Errorf("PlainHTTP RESTURL: got %q", url)
	}
	req, _ := http.NewRequest("GET", url+"/finesse/api/SystemInfo", nil)
	req.SetBasicAuth("1003", "secret3")
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("plain HTTP SystemInfo: got %d", resp.StatusCode)
	}
	if s.Node("C") != nil || s.Node("b") == nil {
		t.Errorf("Node lookup: C should be nil, b should be node B")
	}
}

func TestTempCARemovedOnClose(t *testing.T) {
	t.Parallel()
	s, err := Start(context.Background(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	file := s.CAFile()
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("CA file missing while running: %v", err)
	}
	s.Close()
	s.Close() // idempotent
	if _, err := os.Stat(filepath.Dir(file)); !os.IsNotExist(err) {
		t.Errorf("temp CA dir still exists after Close: %v", err)
	}
	if err := s.RestoreNode(NodeA); err == nil {
		t.Errorf("RestoreNode after Close: got nil error")
	}
}

func TestStartRejectsBadConfig(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, tc := range map[string]struct {
		ctx context.Context
		cfg Config
	}{
		"deployment":    {context.Background(), Config{Deployment: "PCCE"}},
		"duplicate id":  {context.Background(), Config{Agents: []AgentConfig{{ID: "1", Extension: "1"}, {ID: "1", Extension: "2"}}}},
		"shared ext":    {context.Background(), Config{Agents: []AgentConfig{{ID: "1", Extension: "1"}, {ID: "2", Extension: "1"}}}},
		"no extension":  {context.Background(), Config{Agents: []AgentConfig{{ID: "1"}}}},
		"cancelled ctx": {ctx, Config{}},
		"port in use":   {context.Background(), Config{ControlAddr: "256.0.0.1:1"}},
	} {
		if s, err := Start(tc.ctx, tc.cfg); err == nil {
			s.Close()
			t.Errorf("%s: Start got nil error", name)
		}
	}
}

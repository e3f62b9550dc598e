package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/agentlink/agentlink/localbridge/peercred"
)

// TestDoctorBridgeSquatterGetsNoToken: a listener of another OS user that
// even answers like AgentLink gets nothing from doctor, not the token, and
// the check fails naming that user.
func TestDoctorBridgeSquatterGetsNoToken(t *testing.T) {
	var hits, auths atomic.Int32
	sq := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Authorization") != "" {
			auths.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"app":"agentlink"}`))
	}))
	defer sq.Close()
	dir := t.TempDir()
	tok := strings.Repeat("A", 43)
	if err := writeTokenFile(dir, tok); err != nil {
		t.Fatal(err)
	}
	cfg := defaultConfig()
	cfg.Bridge.Addr = strings.TrimPrefix(sq.URL, "http://")
	d := &doctor{cfg: cfg, dir: dir, checkTimeout: doctorCheckTimeout, stepTimeout: doctorStepTimeout,
		portOwner: func(a *net.TCPAddr) (peercred.Peer, error) {
			if a.IP.To4() != nil {
				return peercred.Peer{UID: "4242", User: "mallory", PID: 77, Process: "nc"}, nil
			}
			return peercred.Peer{}, peercred.ErrNotFound
		}}
	r := d.checkBridge(t.Context())
	if r.Status != statusFail || !strings.Contains(r.Detail, "mallory") {
		t.Errorf("checkBridge = %+v, want FAIL naming mallory", r)
	}
	if hits.Load() != 0 || auths.Load() != 0 {
		t.Errorf("the squatter got %d requests, %d with the token", hits.Load(), auths.Load())
	}
}

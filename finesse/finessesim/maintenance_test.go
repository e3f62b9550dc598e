package finessesim

import (
	"crypto/tls"
	"net/http"
	"testing"
	"time"
)

// TestMaintenanceMode: SetMaintenance publishes SystemInfo with
// finesseMMode on that node only and shows it on REST; ending it clears
// it; a NOT_READY 50045 notice is counted and changes nothing.
func TestMaintenanceMode(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	a := signIn(t, s, NodeA, "1002", true)
	b := signIn(t, s, NodeB, "1003", true)
	if err := s.SetMaintenance(NodeA, "IN_PROGRESS"); err != nil {
		t.Fatal(err)
	}
	a.x.expect("systemInfo PUT IN_SERVICE")
	b.x.quiet(100 * time.Millisecond) // node B is not in maintenance
	si := mustTree(t, a.r.must(200, "GET", "/finesse/api/SystemInfo", "", ""))
	if si.text("finesseMMode") != "IN_PROGRESS" || si.text("finesseTimeInMMode") == "-1" {
		t.Errorf("SystemInfo in maintenance: finesseMMode %q, finesseTimeInMMode %q", si.text("finesseMMode"), si.text("finesseTimeInMMode"))
	}
	if si := mustTree(t, b.r.must(200, "GET", "/finesse/api/SystemInfo", "", "")); si.text("finesseMMode") != "" {
		t.Errorf("node B finesseMMode = %q, want empty", si.text("finesseMMode"))
	}

	b.r.must(202, "PUT", "/finesse/api/User/1003", "<User><state>NOT_READY</state><reasonCodeId>50045</reasonCodeId></User>", "")
	b.x.quiet(100 * time.Millisecond) // a notice: no User event
	if info, _ := s.Agent("1003"); info.State != "READY" || info.MaintenanceNotices != 1 {
		t.Errorf("after the 50045 notice: %+v, want READY with 1 notice", info)
	}

	if err := s.SetMaintenance(NodeA, ""); err != nil {
		t.Fatal(err)
	}
	a.x.expect("systemInfo PUT IN_SERVICE")
	if si := mustTree(t, a.r.must(200, "GET", "/finesse/api/SystemInfo", "", "")); si.text("finesseMMode") != "" || si.text("finesseTimeInMMode") != "-1" {
		t.Errorf("after maintenance: finesseMMode %q, finesseTimeInMMode %q", si.text("finesseMMode"), si.text("finesseTimeInMMode"))
	}
}

// TestOpenSystemInfo: by default SystemInfo needs credentials like every
// resource; Config.OpenSystemInfo answers it without them (and still checks
// credentials that are sent), and only it.
func TestOpenSystemInfo(t *testing.T) {
	t.Parallel()
	for _, open := range []bool{false, true} {
		s := startSim(t, Config{OpenSystemInfo: open})
		hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: s.CAPool()}}}
		t.Cleanup(hc.CloseIdleConnections)
		get := func(path string, auth bool) int {
			req, _ := http.NewRequest(http.MethodGet, s.Node(NodeA).RESTURL()+path, nil)
			if auth {
				req.SetBasicAuth("1001", "wrong")
			}
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		want := map[bool]int{false: 401, true: 200}[open]
		if got := get("/finesse/api/SystemInfo", false); got != want {
			t.Errorf("OpenSystemInfo=%v: SystemInfo without credentials = %d, want %d", open, got, want)
		}
		if got := get("/finesse/api/SystemInfo", true); got != 401 {
			t.Errorf("OpenSystemInfo=%v: SystemInfo with a wrong password = %d, want 401", open, got)
		}
		if got := get("/finesse/api/User/1001", false); got != 401 {
			t.Errorf("OpenSystemInfo=%v: User without credentials = %d, want 401", open, got)
		}
	}
}

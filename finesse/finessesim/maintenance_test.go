package finessesim

import (
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

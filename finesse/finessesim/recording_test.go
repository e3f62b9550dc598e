package finessesim

import (
	"strings"
	"testing"
)

// START_RECORDING over REST on UCCX: 202 on the active call, the async
// Generic Error on a held one, 400 without targetMediaAddress.
func TestStartRecordingREST(t *testing.T) {
	s := startSim(t, Config{Deployment: UCCX, ListRecordingAction: true})
	a := signIn(t, s, NodeA, "1002", true)
	id := answered(t, s, a)
	rec := "<Dialog><requestedAction>START_RECORDING</requestedAction><targetMediaAddress>5002</targetMediaAddress></Dialog>"
	a.r.must(400, "PUT", "/finesse/api/Dialog/"+id, "<Dialog><requestedAction>START_RECORDING</requestedAction></Dialog>", "")
	if got := a.r.must(200, "GET", "/finesse/api/Dialog/"+id, "", ""); !strings.Contains(got, "<action>START_RECORDING</action>") {
		t.Fatalf("START_RECORDING not listed:\n%s", got)
	}
	a.r.must(202, "PUT", "/finesse/api/Dialog/"+id, rec, "r1")
	if !s.Recording(id) {
		t.Fatal("recording not noted")
	}
	a.act(id, "HOLD", "", "")
	a.r.must(202, "PUT", "/finesse/api/Dialog/"+id, rec, "r2")
	for i := 0; ; i++ {
		u := a.x.next()
		if u.summary() == "Generic Error" && u.RequestID == "r2" {
			break
		}
		if i == 4 {
			t.Fatalf("no Generic Error for START_RECORDING on hold; last %s", u)
		}
	}
}

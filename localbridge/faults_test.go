package localbridge

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

// TestFaultBoardSides: side faults open on System events, say why, and
// clear with a failover row when service resumes on the other side.
func TestFaultBoardSides(t *testing.T) {
	b := newFaultBoard(time.Now)
	b.observe(core.System{}) // before the first connection: no fault
	b.observe(core.System{Status: core.OutOfService, Reason: "not connected to Finesse yet"})
	b.observe(core.System{Status: core.InService, Node: core.NodeA, XMPPConnected: true})
	if got := b.list(); len(got) != 0 {
		t.Fatalf("faults while in service: %+v", got)
	}
	b.observe(core.System{Status: core.OutOfService, Node: core.NodeA, XMPPConnected: true,
		Reason: "Finesse on side A refuses requests (503 Service Unavailable); waiting for it to recover"})
	b.observe(core.System{Status: core.OutOfService, Node: core.NodeA, Reason: "side A: connection lost"})
	got := b.list()
	if len(got) != 2 || got[0].Kind != "notifications down" || got[0].Cleared != "" ||
		got[1].Kind != "side refuses requests (503)" || got[1].Cleared == "" {
		t.Fatalf("after a 503 streak then XMPP down on A: %+v", got)
	}
	b.observe(core.System{Status: core.InService, Node: core.NodeB, XMPPConnected: true})
	got = b.list()
	if len(got) != 3 || got[0].Kind != "failover" || got[0].Detail != "from side A to side B" {
		t.Fatalf("after service on B: %+v", got)
	}
	for _, f := range got {
		if f.Cleared == "" {
			t.Errorf("fault still open after service resumed: %+v", f)
		}
	}
}

// TestFaultSlowToolbar: a toolbar cut off for not reading shows in the
// monitor's Faults panel, already cleared (the others are unaffected;
// TestSlowClientCutOff checks that).
func TestFaultSlowToolbar(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config, s *core.Config) {
		s.WatchBuffer = 8
		c.writeTimeout = 500 * time.Millisecond
	})
	slow := h.connect(t)
	slow.handshake(nil)
	big := strings.Repeat("x", 16<<10)
	deadline := time.After(20 * time.Second)
	for i := 0; len(h.srv.Clients()) != 0; i++ {
		select {
		case <-deadline:
			t.Fatalf("slow toolbar still connected after %d events", i)
		default:
		}
		d := coretest.Dialog("d1", "", "555", core.PartAlerting, core.ActionAnswer)
		d.Variables = []core.CallVariable{{Name: "big", Value: big}, {Name: "i", Value: fmt.Sprint(i)}}
		h.sess.Apply(coretest.DialogUpdate(d))
	}
	for _, f := range h.srv.monitorState().Faults {
		if f.Kind == "toolbar too slow" && f.Cleared != "" && strings.Contains(f.Detail, "cut off") {
			return
		}
	}
	t.Fatalf("no cleared 'toolbar too slow' fault: %+v", h.srv.monitorState().Faults)
}

package localbridge

import (
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

func BenchmarkEncodeEvent(b *testing.B) {
	d := coretest.Dialog("12345", "5001", "5550123", core.PartActive, actions(allActions)...)
	d.Variables = []core.CallVariable{{Name: "callVariable1", Value: "account 42"}, {Name: "user.crm.id", Value: "0015g00000XyZ"}}
	d.Participants[0].Since = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ev := core.Event{Seq: 42, Kind: core.EventDialog, At: time.Now(), Dialog: &d}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := encodeEvent(ev); !ok {
			b.Fatal("not encoded")
		}
	}
}

package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMappedPaths(t *testing.T) {
	maps := `55d0c0a00000-55d0c0a01000 r--p 00000000 08:01 11 /usr/lib/chromium/chromium
7f0000000000-7f0003000000 r-xp 00000000 08:01 99   /usr/lib/x86_64-linux-gnu/libLLVM-15.so.1
7f0003000000-7f0003100000 r-xp 00000000 08:01 98   /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so
7f0003100000-7f0003200000 rw-p 00000000 00:00 0
7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]
`
	got := mappedAny(mappedPaths([]byte(maps)), glLibNames...)
	if want := []string{"libLLVM-15.so.1", "swrast_dri.so"}; !cmp.Equal(got, want) {
		t.Errorf("GL libraries = %v, want %v", got, want)
	}
}

// TestPeerRows: the ratio is AgentLink's PSS over Chromium's summed PSS,
// with the 0.5x target on idle and ringing only, and each step has both
// clients' memory and CPU.
func TestPeerRows(t *testing.T) {
	app := []peerReading{pr(40e6, 60e6, 1), pr(70e6, 90e6, 2), pr(50e6, 70e6, 1)}
	browser := []peerReading{pr(100e6, 400e6, 2), pr(100e6, 400e6, 3), pr(100e6, 400e6, 1)}
	rows := peerRows(app, browser)
	if len(rows) != 5*len(shift) {
		t.Fatalf("%d rows, want %d", len(rows), 5*len(shift))
	}
	var ratios []Row
	for _, r := range rows {
		if strings.Contains(r.Metric, "memory ratio") {
			ratios = append(ratios, r)
		}
	}
	want := []struct {
		v      float64
		status Status
	}{{0.4, StatusMet}, {0.7, StatusMissed}, {0.5, StatusInfo}}
	for i, r := range ratios {
		if r.Value != want[i].v || r.Status != want[i].status {
			t.Errorf("%s = %v (%s), want %v (%s)", r.Metric, r.Value, r.Status, want[i].v, want[i].status)
		}
	}
	if ratios[0].Target != "<= 0.50 ×" || ratios[2].Target != "" {
		t.Errorf("targets: idle %q, talking %q", ratios[0].Target, ratios[2].Target)
	}
}

func pr(pss, rss int64, cpu float64) peerReading {
	return peerReading{mem: TreeSample{Mem: Rollup{PSS: pss, RSS: rss}}, cpu: cpu, procs: ProcSample{RSS: rss}}
}

package finesse

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkDecodeNotification measures decoding one whole pub-sub <message>
// stanza (envelope, escaped Update, mapping to core updates): the work done
// for every notification Finesse sends.
func BenchmarkDecodeNotification(b *testing.B) {
	for _, name := range []string{"notify_user_put.xml", "notify_dialog_put.xml", "notify_dialogs_post.xml"} {
		stanza, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			b.Fatalf("read golden file: %v", err)
		}
		b.Run(name, func(b *testing.B) {
			ups, err := decodeMessage(stanza)
			if err != nil || len(ups) == 0 {
				b.Fatalf("decodeMessage(%s) = %d updates, %v; want at least one, nil", name, len(ups), err)
			}
			b.SetBytes(int64(len(stanza)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := decodeMessage(stanza); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeNotificationFast is BenchmarkDecodeNotification through
// the fast decoder (notifyfast.go); in the same run, with "speedup" the
// encoding/xml decoder's ns/op divided by the fast one's.
func BenchmarkDecodeNotificationFast(b *testing.B) {
	for _, name := range []string{"notify_user_put.xml", "notify_dialog_put.xml", "notify_dialogs_post.xml"} {
		stanza, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			b.Fatalf("read golden file: %v", err)
		}
		b.Run(name, func(b *testing.B) {
			if _, _, ok := scanMessage(string(stanza)); !ok {
				b.Fatalf("fast decoder falls back to encoding/xml on %s", name)
			}
			baseNs, baseAllocs := baseline(stanza)
			b.SetBytes(int64(len(stanza)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := fastDecodeMessage(stanza); err != nil {
					b.Fatal(err)
				}
			}
			fast := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(baseNs/fast, "speedup")
			b.ReportMetric(baseNs, "baseline-ns/op")
			b.ReportMetric(baseAllocs, "baseline-allocs/op")
		})
	}
}

// baseline times the encoding/xml decoder on stanza for the speedup figure
// (testing.Benchmark cannot be nested in a running benchmark).
func baseline(stanza []byte) (nsPerOp, allocsPerOp float64) {
	const runs = 500
	start := time.Now()
	for range runs {
		_, _ = decodeMessage(stanza)
	}
	nsPerOp = float64(time.Since(start).Nanoseconds()) / runs
	allocsPerOp = testing.AllocsPerRun(50, func() { _, _ = decodeMessage(stanza) })
	return nsPerOp, allocsPerOp
}

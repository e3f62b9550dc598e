package finesse

import (
	"os"
	"path/filepath"
	"testing"
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

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestIconsUpToDate fails when the committed icons differ from what the
// generator draws, so an edit here is not forgotten in assets/icons.
func TestIconsUpToDate(t *testing.T) {
	dir := t.TempDir()
	if err := run(dir); err != nil {
		t.Fatalf("run: %v", err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.png"))
	if err != nil || len(files) != 8 {
		t.Fatalf("generated %d files (%v), want 8", len(files), err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		got, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "..", "..", "assets", "icons", name))
		if err != nil {
			t.Errorf("assets/icons/%s: %v (run go run ./ui/internal/iconsgen)", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("assets/icons/%s is stale; run: go run ./ui/internal/iconsgen -out assets/icons", name)
		}
	}
}

func TestRunReportsBadDir(t *testing.T) {
	if err := run(filepath.Join(t.TempDir(), "missing", "dir")); err == nil {
		t.Error("run into a missing directory succeeded, want an error")
	}
}

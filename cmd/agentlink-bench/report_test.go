package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRowVerdicts(t *testing.T) {
	tests := []struct {
		name string
		row  Row
		want Status
	}{
		{"latency under limit", durRow(1, "x", time.Millisecond, 2*time.Millisecond), StatusMet},
		{"latency at limit misses", durRow(1, "x", 2*time.Millisecond, 2*time.Millisecond), StatusMissed},
		{"latency without target", durRow(1, "x", time.Hour, 0), StatusInfo},
		{"max under", maxRow(5, "x", 29.9, "MB", 1, 30), StatusMet},
		{"max over", maxRow(5, "x", 30.1, "MB", 1, 30), StatusMissed},
		{"min reached", minRow(3, "x", 5000, "events/s", 0, 5000), StatusMet},
		{"min not reached", minRow(3, "x", 4999, "events/s", 0, 5000), StatusMissed},
		{"check ok", checkRow(6, "x", true, ""), StatusMet},
		{"check not ok", checkRow(6, "x", false, "why"), StatusMissed},
		{"failure", failRow(2, "x", errors.New("boom")), StatusFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.row.Status != tt.want {
				t.Errorf("status = %q, want %q (row %+v)", tt.row.Status, tt.want, tt.row)
			}
		})
	}
}

func TestFmtDur(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{1500 * time.Microsecond, "1.500 ms"},
		{34400 * time.Microsecond, "34.4 ms"},
		{2500 * time.Millisecond, "2.50 s"},
	}
	for _, tt := range tests {
		if got := fmtDur(tt.d); got != tt.want {
			t.Errorf("fmtDur(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func sampleReport() Report {
	return Report{
		Machine: Machine{CPUs: 2, CPUModel: "Test CPU", Memory: "1.0 GiB", GoVersion: "go1.26.8"},
		Started: time.Date(2026, 11, 22, 4, 0, 0, 0, time.UTC), Elapsed: "1s",
		Rows: []Row{
			durRow(1, "fan-out p99", 3*time.Millisecond, 2*time.Millisecond),
			failRow(4, "failover", errors.New("side B | down")),
		},
	}
}

func TestWriteTable(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTable(&buf, sampleReport()); err != nil {
		t.Fatalf("WriteTable() = %v", err)
	}
	out := buf.String()
	for _, want := range []string{"2 CPUs (Test CPU)", "fan-out p99", "3.000 ms", "< 2.000 ms", "MISSED", "FAILED", "2 of 2 rows missed"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestWriteMarkdownEscapesPipes(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, sampleReport()); err != nil {
		t.Fatalf("WriteMarkdown() = %v", err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("got %d lines, want header, separator and 2 rows:\n%s", len(lines), buf.String())
	}
	if !strings.Contains(lines[3], `side B \| down`) {
		t.Errorf("row %q: want the pipe in the note escaped", lines[3])
	}
}

func TestWriteJSONRoundTrip(t *testing.T) {
	want := sampleReport()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, want); err != nil {
		t.Fatalf("WriteJSON() = %v", err)
	}
	var got Report
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, buf.String())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON round trip mismatch (-want +got):\n%s", diff)
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    options
		wantErr string
	}{
		{"defaults", nil, options{soakCalls: 10000, fanoutEvents: 300, rateWriters: 4, figures: []int{1, 2, 3, 4, 5, 6, 7, 8}}, ""},
		{"json and only", []string{"--json", "--only", "6,1,1"}, options{json: true, soakCalls: 10000, fanoutEvents: 300, rateWriters: 4, figures: []int{1, 6}}, ""},
		{"soak calls", []string{"--soak-calls", "500"}, options{soakCalls: 500, fanoutEvents: 300, rateWriters: 4, figures: []int{1, 2, 3, 4, 5, 6, 7, 8}}, ""},
		{"rate writers", []string{"--rate-writers", "8"}, options{soakCalls: 10000, fanoutEvents: 300, rateWriters: 8, figures: []int{1, 2, 3, 4, 5, 6, 7, 8}}, ""},
		{"rate writers out of range", []string{"--rate-writers", "0"}, options{}, "--rate-writers 0"},
		{"soak too small", []string{"--soak-calls", "5"}, options{}, "--soak-calls 5"},
		{"bad figure", []string{"--only", "9"}, options{}, "figures are numbers 1 to 8"},
		{"stray argument", []string{"now"}, options{}, `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFlags(tt.args, &bytes.Buffer{})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseFlags(%q) error = %v, want one containing %q", tt.args, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseFlags(%q) = %v", tt.args, err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(options{})); diff != "" {
				t.Errorf("parseFlags(%q) mismatch (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}

func TestSaveLoadReport(t *testing.T) {
	path := t.TempDir() + "/r.json"
	want := sampleReport()
	if err := saveReport(path, want); err != nil {
		t.Fatalf("saveReport() = %v", err)
	}
	got, err := loadReport(path)
	if err != nil {
		t.Fatalf("loadReport() = %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("loaded report mismatch (-want +got):\n%s", diff)
	}
	if _, err := loadReport(t.TempDir() + "/missing.json"); err == nil || !strings.Contains(err.Error(), "--from-json") {
		t.Errorf("loadReport(missing) = %v, want an error naming --from-json", err)
	}
}
